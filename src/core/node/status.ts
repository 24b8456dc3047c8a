import type { Node, NodeStatus } from "node-red";

/**
 * Coalesces status updates: at most one node.status() per interval, always ending on the latest
 * state. A flood of messages then costs a variable write each, not an editor broadcast each.
 */
export class StatusReporter {
  private latest?: NodeStatus;
  private shown = "";
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly node: Node,
    /** Added to every text ("done · practice"), so that a practice server's work is never taken for real. */
    private readonly mark = "",
    private readonly intervalMs = 200
  ) {}

  set(status: NodeStatus): void {
    if (this.closed) return;
    this.latest = this.mark ? { ...status, text: status.text ? `${status.text} · ${this.mark}` : this.mark } : status;
    if (!this.timer) this.flush();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    const status = this.latest;
    this.latest = undefined;
    if (!status) return;
    const key = `${status.fill}|${status.shape}|${status.text}`;
    if (key !== this.shown) {
      this.shown = key;
      this.node.status(status);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.intervalMs);
  }
}
