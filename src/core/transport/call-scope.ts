/** Ends one piece of waiting or running work. */
export type Stop = () => void;

/**
 * The calls of one node, so that its close can end them in two steps: first the waiting ones
 * (queued, or backing off before a retry: never sent, CLOSED), then, after a grace period, the
 * requests still on the wire (MAYBE_DELIVERED). Each call puts one entry in a set while it waits or
 * runs; a flood of messages costs a set insertion each instead of an AbortSignal listener each.
 */
export class CallScope {
  /** Queued calls and back-offs. */
  readonly waiting = new Set<Stop>();
  /** Requests on the wire. */
  readonly running = new Set<Stop>();
  private stoppedWaiting = false;
  private abortedRunning = false;

  get stopped(): boolean {
    return this.stoppedWaiting;
  }

  get aborted(): boolean {
    return this.abortedRunning;
  }

  stopWaiting(): void {
    this.stoppedWaiting = true;
    endAll(this.waiting);
  }

  /** Also stops the waiting: nothing may start once requests are being aborted. */
  abortRunning(): void {
    this.stopWaiting();
    this.abortedRunning = true;
    endAll(this.running);
  }
}

function endAll(stops: Set<Stop>): void {
  const all = [...stops];
  stops.clear();
  for (const stop of all) stop();
}

/** Back-off waits before retries, which a client's close() and a node's scope can cut short. */
export class Backoffs {
  private readonly interrupts = new Set<Stop>();

  /** Resolves true once `ms` have passed, false when cut short. */
  wait(ms: number, scope?: CallScope): Promise<boolean> {
    if (scope?.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const end = (completed: boolean) => {
        clearTimeout(timer);
        this.interrupts.delete(interrupt);
        scope?.waiting.delete(interrupt);
        resolve(completed);
      };
      const interrupt = () => end(false);
      const timer = setTimeout(() => end(true), ms);
      this.interrupts.add(interrupt);
      scope?.waiting.add(interrupt);
    });
  }

  interruptAll(): void {
    endAll(this.interrupts);
  }
}

/**
 * Waits for work that several calls share (a login): the node's close ends the wait with `stopped`
 * but not the work, which the other calls still need.
 */
export function waitForShared<T>(work: Promise<T>, scope: CallScope | undefined, stopped: () => Error): Promise<T> {
  if (!scope) return work;
  if (scope.stopped) return Promise.reject(stopped());
  return new Promise<T>((resolve, reject) => {
    const leave = () => reject(stopped());
    scope.waiting.add(leave);
    work.then(
      (value) => (scope.waiting.delete(leave), resolve(value)),
      (err: unknown) => (scope.waiting.delete(leave), reject(err))
    );
  });
}
