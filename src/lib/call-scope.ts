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
