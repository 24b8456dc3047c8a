import type { CallScope } from "./call-scope";
import { CodedError, ErrorCode } from "../errors";
import { t } from "../i18n";
import type { Demand } from "./dispatcher";
import type { Readable } from "node:stream";
import type { Dispatcher } from "./undici";

export interface Outgoing {
  /** scheme://host:port of the server. */
  origin: string;
  /** Path and query, from the first slash. */
  path: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** A form, or the slices of a multipart body (read once per attempt). */
  body?: string | Readable;
}

/** How much of an error answer (a status other than 2xx) is read: its text only explains the status. */
const ERROR_BODY_BYTES = 64 * 1024;

/** Bounds of one exchange: a server decides neither how long it takes nor how much it sends. */
interface Limits {
  /** The whole exchange, from dispatch to the body's last byte. */
  deadlineMs: number;
  /** The body; the connection is cut as soon as the answer passes it. */
  maxBytes: number;
}

export interface Incoming {
  statusCode: number;
  contentType: string;
  contentDisposition?: string;
  /** The body decoded as UTF-8 (a byte-order mark dropped). */
  text: string;
}

/**
 * One request through the dispatcher, with the body collected as text. A dispatch handler of our
 * own instead of undici's request(): no response stream, no AbortSignal listener, and it sees the
 * moment the request starts to be written, which tells whether a failure may have reached the
 * server (see wasNotSent). A running request joins `scope`, whose abortRunning() cuts it off.
 */
export function exchange(dispatcher: Dispatcher, demand: Demand, out: Outgoing, limits: Limits, scope?: CallScope): Promise<Incoming> {
  return new Promise((resolve, reject) => {
    if (scope?.aborted) {
      const err = stoppedError();
      unsent.add(err);
      reject(err);
      return;
    }
    dispatcher.dispatch(out, new Exchange(resolve, reject, limits, demand, scope));
  });
}

const unsent = new WeakSet<object>();

/**
 * True when the request failed before its first byte was written: connecting, the TLS handshake,
 * a proxy's CONNECT, a closed dispatcher. Such a request cannot have reached the server, so
 * repeating it cannot duplicate it, whatever the error code says (a reset during the handshake
 * looks exactly like a reset after the body was sent).
 */
export function wasNotSent(err: unknown): boolean {
  return typeof err === "object" && err !== null && unsent.has(err);
}

function markUnsent(err: unknown): void {
  // Stryker disable next-line ConditionalExpression: undici reports failures as Error objects; the check only keeps a stray value from throwing
  if (typeof err === "object" && err !== null) unsent.add(err);
}

class Exchange implements Dispatcher.DispatchHandler {
  private controller?: Dispatcher.DispatchController;
  /** Why the request was cut off before it was connected: it is aborted on connection, unsent. */
  private cutOff?: Error;
  private settled = false;
  /** Counted in `demand` until it is on the wire or settled. */
  private wantsConnection = true;
  private statusCode = 0;
  private contentType = "";
  private contentDisposition?: string;
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private readonly deadline: NodeJS.Timeout;
  private readonly stop = (): void => this.cut(stoppedError());

  constructor(
    private readonly resolve: (value: Incoming) => void,
    private readonly reject: (err: Error) => void,
    private readonly limits: Limits,
    private readonly demand: Demand,
    private readonly scope?: CallScope
  ) {
    demand.waiting++;
    scope?.running.add(this.stop);
    this.deadline = setTimeout(() => this.cut(deadlineError()), limits.deadlineMs);
  }

  /** undici calls this right before it writes the request to a connected socket. */
  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.connected();
    if (this.cutOff) controller.abort(this.cutOff);
    else this.controller = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.statusCode = statusCode;
    this.contentType = first(headers["content-type"]) ?? "";
    this.contentDisposition = first(headers["content-disposition"]);
    if (this.isError) return;
    const announced = Number(first(headers["content-length"]));
    if (announced > this.limits.maxBytes) controller.abort(tooLargeError(this.limits.maxBytes));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.received += chunk.length;
    if (this.isError && this.received > ERROR_BODY_BYTES) {
      // The status is the answer: it is reported with the start of its text, and the rest is not read.
      this.chunks.push(chunk.subarray(0, chunk.length - (this.received - ERROR_BODY_BYTES)));
      this.finish();
      // Stryker disable next-line StringLiteral: the exchange has settled, so onResponseError ignores this error
      controller.abort(new Error("the rest of an error answer is not read"));
    } else if (this.received > this.limits.maxBytes) controller.abort(tooLargeError(this.limits.maxBytes));
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.finish();
  }

  private finish(): void {
    if (!this.settle()) return;
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks.length = 0;
    let text = body.toString("utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.resolve({ statusCode: this.statusCode, contentType: this.contentType, contentDisposition: this.contentDisposition, text });
  }

  private get isError(): boolean {
    return this.statusCode < 200 || this.statusCode > 299;
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.chunks.length = 0;
    if (!this.settle()) return;
    if (!this.controller) markUnsent(err);
    this.reject(err);
  }

  /**
   * Ends the exchange now. On the wire, aborting destroys the socket; before that, the error is
   * reported at once and the request is aborted when undici gets to it.
   */
  private cut(err: Error): void {
    if (this.controller) {
      this.controller.abort(err);
      return;
    }
    this.cutOff = err;
    unsent.add(err);
    if (this.settle()) this.reject(err);
  }

  private connected(): void {
    if (!this.wantsConnection) return;
    this.wantsConnection = false;
    this.demand.waiting--;
  }

  private settle(): boolean {
    // Stryker disable next-line BooleanLiteral: a second settle repeats only idempotent steps, and a settled promise ignores a second settlement
    if (this.settled) return false;
    this.settled = true;
    this.connected();
    clearTimeout(this.deadline);
    this.scope?.running.delete(this.stop);
    return true;
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Seen only by classify (transport.ts), which replaces it: a scope is aborted before its exchanges are stopped. */
function stoppedError(): Error {
  // Stryker disable next-line StringLiteral,ObjectLiteral: classify replaces this error for an aborted scope, the only way to it
  return Object.assign(new Error("stopped"), { code: "STOPPED" });
}

/** transportError turns it into NETWORK before the request was written, TIMEOUT after. */
function deadlineError(): Error {
  return Object.assign(
    // Stryker disable next-line StringLiteral: transportError reads the code only; this message is never shown
    new Error("deadline"),
    { code: "DEADLINE" }
  );
}

function tooLargeError(maxBytes: number): CodedError {
  return new CodedError(ErrorCode.responseTooLarge, t("errors.response.tooLarge", { limit: megabytes(maxBytes) }), {
    retryable: false,
    limit: maxBytes,
  });
}

/** "4 MB", "0.5 MB": the unit of the server node's setting. */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1_048_576) * 100) / 100} MB`;
}
