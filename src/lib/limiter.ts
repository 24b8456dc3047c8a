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

  /** Resolves when a slot is free; returns undefined (no promise) on the fast path. */
  acquire(): Promise<void> | undefined {
    if (this.closed) return Promise.reject(closedError());
    if (this.active < this.maxActive) {
      this.active++;
      return undefined;
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(
        new CamError(ErrorCode.queueFull, t("errors.queueFull", { limit: this.maxQueued }), { retryable: false })
      );
    }
    return new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

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
