import type { Node, NodeStatus } from "node-red";
import { editorKey, hasText, t } from "../i18n";

/** A code that can be part of a catalogue key: the server's number, one of ErrorCode, HTTP_<status>. */
const KEYABLE = /^[\w-]{1,64}$/;

/**
 * The status of an error: a phrase with its code ("wrong API token (805)") in the editor's language,
 * looked up in the node's API's config catalogue first (the same number means different things in two
 * APIs), then in the shared one; a code without a phrase reads "error <code>", made on the runtime.
 */
export function errorStatus(code: string, apiCatalogue: string): NodeStatus {
  const keys = KEYABLE.test(code) ? [`${apiCatalogue}:status.codes.${code}`, `status.codes.${code}`] : [];
  const key = keys.find(hasText);
  return { fill: "red", shape: "ring", text: key ? editorKey(key) : t("status.error", { code }) };
}

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
    /** On the practice server every state is shown with a ring, not a dot, so that its work is never taken for real. */
    private readonly practice: boolean,
    private readonly intervalMs = 200
  ) {}

  set(status: NodeStatus): void {
    if (this.closed) return;
    this.latest = this.practice && (status.shape || status.fill) ? { ...status, shape: "ring" } : status;
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
