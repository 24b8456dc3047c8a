import { Backoffs, type CallScope } from "./call-scope";
import { closeDispatcher, createDispatcher, type ConnectionOptions } from "./dispatcher";
import { exchange, wasNotSent } from "./exchange";
import { BROKEN, transportError } from "./transport-errors";
import { FormData, type Dispatcher } from "./undici";
import { apiError, CamError, ErrorCode, httpError, inputError } from "./errors";
import { t } from "./i18n";
import { Limiter } from "./limiter";
import { retryDelay, type RetryPolicy } from "./retry";
import type { RetryHooks } from "./cam-config-node";

/** The API token travels in this header on every call (API-NOTES §1). */
export const TOKEN_HEADER = "x-cam-apiToken";
/** Server code of an HTTP-200 error answer. */
const ERROR_STATUS = 520;
const CLOSE_GRACE_MS = 10_000;
/** The path part of every request; anything else could move the request (and the token) elsewhere. */
export const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Calls that only read: repeating one after a broken connection cannot duplicate anything. */
const SAFE_TO_REPEAT = new Set([
  "getCallStats",
  "getConferenceRooms",
  "getConferenceMaster",
  "getConferenceRoomStatus",
  "exportUsers",
]);

export interface CamClientOptions extends ConnectionOptions, RetryPolicy {
  serverURL: string;
  token: string;
  queueLimit: number;
}

export interface UploadFile {
  field: string;
  filename: string;
  content: string | Buffer;
  contentType: string;
}

export interface ApiRequest {
  apiName: string;
  /** Form fields, sent as application/x-www-form-urlencoded; none = a bare GET. */
  form?: Record<string, string>;
  /** A file, sent as multipart/form-data. */
  file?: UploadFile;
}

/** What a node may pass along with a call: a retry hook, and the scope its close ends the call through. */
export interface CallHooks extends RetryHooks {
  scope?: CallScope;
}

export interface ApiResponse {
  data: unknown;
  contentType: string;
  filename?: string;
}


/** Speaks the Chat&Messenger wire contract: one dispatcher, a bounded queue, retries of transient failures. */
export class CamClient {
  readonly baseURL: string;
  private readonly origin: string;
  /** The server URL's own path (an on-premise server may live under one), without the trailing slash. */
  private readonly basePath: string;
  private readonly dispatcher: Dispatcher;
  private readonly limiter: Limiter;
  private readonly headers: Record<string, string>;
  private readonly formHeaders: Record<string, string>;
  private readonly backoffs = new Backoffs();
  private closed = false;

  constructor(private readonly options: CamClientOptions) {
    this.baseURL = options.serverURL.replace(/\/+$/, "");
    const url = new URL(this.baseURL);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.dispatcher = createDispatcher(options);
    this.limiter = new Limiter(options.connections, options.queueLimit);
    this.headers = { [TOKEN_HEADER]: options.token };
    this.formHeaders = { ...this.headers, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  }

  async call(req: ApiRequest, hooks: CallHooks = {}): Promise<ApiResponse> {
    const path = this.path(req.apiName);
    // Encoded once, outside the retry loop: only what happens on the wire is a transport failure.
    const encoded = this.encode(req);
    const waiting = this.limiter.acquire(hooks.scope);
    if (waiting) await waiting;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.send(path, encoded, hooks.scope);
        } catch (err) {
          const error = withAttempts(this.classify(err, req.apiName, hooks.scope), attempt);
          if (!error.retryable || attempt > this.options.retries) throw error;
          const delay = retryDelay(this.options, attempt);
          hooks.onRetry?.(attempt, error, delay);
          if (!(await this.pause(delay, hooks.scope))) throw stoppedWhileWaiting(error, attempt);
        }
      }
    } finally {
      this.limiter.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.limiter.close();
    this.backoffs.interruptAll();
    await closeDispatcher(this.dispatcher, CLOSE_GRACE_MS);
  }

  /** Only the configured server: the API name is a plain name, never a URL or a path. */
  private path(apiName: unknown): string {
    if (typeof apiName !== "string" || !API_NAME.test(apiName)) throw inputError("apiName", "apiName");
    return `${this.basePath}/${apiName}`;
  }

  private classify(err: unknown, apiName: string, scope?: CallScope): CamError {
    if (scope?.aborted && !(err instanceof CamError)) {
      return wasNotSent(err)
        ? new CamError(ErrorCode.closed, t("errors.closed"), { retryable: false })
        : new CamError(ErrorCode.maybeDelivered, t("errors.maybeDelivered", { reason: "stopped" }), { retryable: false });
    }
    const error = transportError(err);
    if (error.code === ErrorCode.maybeDelivered && SAFE_TO_REPEAT.has(apiName) && BROKEN.has(String(error.details.reason))) {
      return new CamError(ErrorCode.network, t("errors.network", { reason: error.details.reason }), {
        retryable: true,
        reason: error.details.reason,
      });
    }
    return error;
  }

  private async send(path: string, { body, headers }: Encoded, scope?: CallScope): Promise<ApiResponse> {
    const method = body === undefined ? "GET" : "POST";
    const res = await exchange(this.dispatcher, { origin: this.origin, path, method, headers, body }, scope);
    const { contentType, text } = res;
    if (res.statusCode !== 200) throw httpError(res.statusCode, this.redact(text).slice(0, 500));
    // Some servers label JSON as text/html or text/plain: a JSON-looking body is checked for the
    // 520 error model whatever its label; other text (the CSV export) is the answer itself.
    const json = contentType.includes("json");
    if (!json && !/^\s*\{/.test(text)) {
      return { data: text, contentType, filename: attachmentName(res.contentDisposition) };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      if (!json) return { data: text, contentType, filename: attachmentName(res.contentDisposition) };
      throw new CamError(ErrorCode.badResponse, t("errors.badResponse"), { status: res.statusCode });
    }
    const status = (data as { status?: unknown } | null)?.status;
    if (status === ERROR_STATUS || status === String(ERROR_STATUS)) {
      const first = (data as { errors?: Array<{ code?: unknown; message?: unknown }> }).errors?.[0];
      throw apiError(String(first?.code ?? "unknown"), first?.message ? this.redact(String(first.message)) : undefined);
    }
    return { data, contentType };
  }

  private encode(req: ApiRequest): Encoded {
    if (req.file) {
      const form = new FormData();
      for (const [name, value] of Object.entries(req.form ?? {})) form.append(name, value);
      const content = typeof req.file.content === "string" ? req.file.content : new Uint8Array(req.file.content);
      form.append(req.file.field, new Blob([content], { type: req.file.contentType }), req.file.filename);
      return { body: form, headers: this.headers };
    }
    if (!req.form) return { headers: this.headers };
    return { body: encodeForm(req.form), headers: this.formHeaders };
  }

  /** Waits out a back-off; false when the wait was cut short by close() or the node's close. */
  private async pause(ms: number, scope?: CallScope): Promise<boolean> {
    if (this.closed) return false;
    return (await this.backoffs.wait(ms, scope)) && !this.closed;
  }

  /** A server could echo the token in a message; it must never reach a log or a Catch node. */
  private redact(text: string): string {
    return this.options.token ? text.split(this.options.token).join("***") : text;
  }
}

function withAttempts(error: CamError, attempts: number): CamError {
  error.details.attempts = attempts;
  return error;
}

function stoppedWhileWaiting(last: CamError, attempts: number): CamError {
  return new CamError(ErrorCode.closed, t("errors.closed"), { retryable: false, lastCode: last.code, attempts });
}

interface Encoded {
  body?: string | FormData;
  headers: Record<string, string>;
}

function encodeForm(fields: Record<string, string>): string {
  let out = "";
  for (const name in fields) {
    if (out) out += "&";
    out += encodeURIComponent(wellFormed(name)) + "=" + encodeURIComponent(wellFormed(fields[name]));
  }
  return out;
}

/** A lone surrogate (half of an emoji, cut off) cannot be encoded: it becomes U+FFFD instead of an exception. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** The file name of a download, decoded (RFC 6266 filename* first) and reduced to a bare name. */
export function attachmentName(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(value)?.[1];
  let name = extended;
  if (extended) {
    try {
      name = decodeURIComponent(extended.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*"?([^";]+)"?/i.exec(value)?.[1];
  const bare = name?.split(/[\\/]/).pop()?.trim();
  return bare && bare !== "." && bare !== ".." ? bare : undefined;
}
