import { CamError, ErrorCode } from "./errors";
import { t } from "./i18n";

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/** Bounded concurrency with a bounded queue: when both are full, new work fails fast instead of piling up. */
export class Limiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private closed = false;

  constructor(private readonly maxActive: number, private readonly maxQueued: number) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves when a slot is free; returns undefined (no promise) on the fast path. An aborted
   * `signal` takes a queued caller out of the queue (it was never sent) with a CLOSED error.
   */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (this.closed || signal?.aborted) return Promise.reject(closedError());
    if (this.active < this.maxActive) {
      this.active++;
      return undefined;
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(
        new CamError(ErrorCode.queueFull, t("errors.queueFull", { limit: this.maxQueued }), { retryable: false })
      );
    }
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(closedError());
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener("abort", leave);
          resolve();
        },
        reject: (err) => {
          signal?.removeEventListener("abort", leave);
          reject(err);
        },
      };
      signal?.addEventListener("abort", leave, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Hands the slot to the next in the queue, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.active--;
  }

  /** Rejects everything still queued; running work keeps its slot until it releases it. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(closedError());
  }
}

function closedError(): CamError {
  return new CamError(ErrorCode.closed, t("errors.closed"), { retryable: false });
}
