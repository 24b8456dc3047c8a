import type { CallScope } from "./call-scope";
import { CodedError, ErrorCode } from "../errors";
import { t } from "../i18n";

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
  /** Left the queue (its node closed): skipped when its turn comes. */
  left?: boolean;
}

/** Bounded concurrency with a bounded queue: when both are full, new work fails fast instead of piling up. */
export class Limiter {
  private active = 0;
  /** In arrival order; a caller that leaves stays in place, marked, so that leaving costs no search. */
  private waiting: Waiter[] = [];
  private waitingCount = 0;
  private closed = false;

  constructor(
    private readonly maxActive: number,
    private readonly maxQueued: number
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waitingCount;
  }

  /**
   * Resolves when a slot is free; returns undefined (no promise) on the fast path. When `scope`
   * stops waiting, a queued caller leaves the queue (it was never sent) with a CLOSED error.
   */
  acquire(scope?: CallScope): Promise<void> | undefined {
    if (this.closed || scope?.stopped) return Promise.reject(closedError());
    if (this.active < this.maxActive) {
      this.active++;
      return undefined;
    }
    if (this.waitingCount >= this.maxQueued) {
      return Promise.reject(new CodedError(ErrorCode.queueFull, t("errors.queueFull", { limit: this.maxQueued }), { retryable: false }));
    }
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        waiter.left = true;
        this.waitingCount--;
        reject(closedError());
      };
      const waiter: Waiter = {
        resolve: () => {
          scope?.waiting.delete(leave);
          resolve();
        },
        reject: (err) => {
          scope?.waiting.delete(leave);
          reject(err);
        },
      };
      scope?.waiting.add(leave);
      this.waiting.push(waiter);
      this.waitingCount++;
    });
  }

  /** Hands the slot to the next in the queue, or frees it. */
  release(): void {
    let next = this.waiting.shift();
    while (next?.left) next = this.waiting.shift();
    if (!next) {
      this.active--;
      return;
    }
    this.waitingCount--;
    next.resolve();
  }

  /** Rejects everything still queued; running work keeps its slot until it releases it. */
  close(): void {
    this.closed = true;
    const all = this.waiting;
    this.waiting = [];
    this.waitingCount = 0;
    // A waiter that left has been rejected already: rejecting it again changes nothing.
    for (const waiter of all) waiter.reject(closedError());
  }
}

function closedError(): CodedError {
  return new CodedError(ErrorCode.closed, t("errors.closed"), { retryable: false });
}
