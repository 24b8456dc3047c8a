import type { CallScope } from "./call-scope";
import type { Dispatcher, FormData } from "./undici";

export interface Outgoing {
  /** scheme://host:port of the server. */
  origin: string;
  /** Path and query, from the first slash. */
  path: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string | FormData;
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
export function exchange(dispatcher: Dispatcher, out: Outgoing, scope?: CallScope): Promise<Incoming> {
  return new Promise((resolve, reject) => {
    if (scope?.aborted) {
      const err = stoppedError();
      unsent.add(err);
      reject(err);
      return;
    }
    dispatcher.dispatch(out, new Exchange(resolve, reject, scope));
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

class Exchange implements Dispatcher.DispatchHandler {
  private controller?: Dispatcher.DispatchController;
  /** Set when the scope aborted this request before it was connected: it is cut off then, unsent. */
  private stopped = false;
  private statusCode = 0;
  private contentType = "";
  private contentDisposition?: string;
  private readonly chunks: Buffer[] = [];
  private readonly stop = (): void => {
    this.stopped = true;
    this.controller?.abort(stoppedError());
  };

  constructor(
    private readonly resolve: (value: Incoming) => void,
    private readonly reject: (err: Error) => void,
    private readonly scope?: CallScope
  ) {
    scope?.running.add(this.stop);
  }

  /** undici calls this right before it writes the request to a connected socket. */
  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.stopped) controller.abort(stoppedError());
    else this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.statusCode = statusCode;
    this.contentType = first(headers["content-type"]) ?? "";
    this.contentDisposition = first(headers["content-disposition"]);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.scope?.running.delete(this.stop);
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    let text = body.toString("utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.resolve({ statusCode: this.statusCode, contentType: this.contentType, contentDisposition: this.contentDisposition, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.scope?.running.delete(this.stop);
    if (!this.controller && typeof err === "object" && err !== null) unsent.add(err);
    this.reject(err);
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function stoppedError(): Error {
  return Object.assign(new Error("stopped"), { code: "STOPPED" });
}
