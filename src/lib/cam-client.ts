import { FormData, request, type Dispatcher } from "undici";
import { closeDispatcher, createDispatcher, type ConnectionOptions } from "./dispatcher";
import { apiError, CamError, ErrorCode, httpError } from "./errors";
import { t } from "./i18n";
import { Limiter } from "./limiter";
import { retryDelay, type RetryPolicy } from "./retry";
import type { RetryHooks } from "./cam-config-node";

/** The API token travels in this header on every call (API-NOTES §1). */
export const TOKEN_HEADER = "x-cam-apiToken";
/** Server code of an HTTP-200 error answer. */
const ERROR_STATUS = 520;
const CLOSE_GRACE_MS = 10_000;

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

export interface ApiResponse {
  data: unknown;
  contentType: string;
  filename?: string;
}


/** Speaks the Chat&Messenger wire contract: one dispatcher, a bounded queue, retries of transient failures. */
export class CamClient {
  readonly baseURL: string;
  private readonly dispatcher: Dispatcher;
  private readonly limiter: Limiter;
  private readonly headers: Record<string, string>;
  private readonly formHeaders: Record<string, string>;
  private readonly backoffs = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(private readonly options: CamClientOptions) {
    this.baseURL = options.serverURL.replace(/\/+$/, "");
    this.dispatcher = createDispatcher(options);
    this.limiter = new Limiter(options.connections, options.queueLimit);
    this.headers = { [TOKEN_HEADER]: options.token };
    this.formHeaders = { ...this.headers, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  }

  get inFlight(): number {
    return this.limiter.inFlight;
  }

  async call(req: ApiRequest, hooks?: RetryHooks): Promise<ApiResponse> {
    const waiting = this.limiter.acquire();
    if (waiting) await waiting;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.send(req);
        } catch (err) {
          const error = transportError(err);
          if (!error.retryable || attempt > this.options.retries) {
            error.details.attempts = attempt;
            throw error;
          }
          const delay = retryDelay(this.options, attempt);
          hooks?.onRetry?.(attempt, error, delay);
          await this.pause(delay);
          if (this.closed) {
            error.details.attempts = attempt;
            throw error;
          }
        }
      }
    } finally {
      this.limiter.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.limiter.close();
    for (const [timer, wake] of this.backoffs) {
      clearTimeout(timer);
      wake();
    }
    await closeDispatcher(this.dispatcher, CLOSE_GRACE_MS);
  }

  private async send(req: ApiRequest): Promise<ApiResponse> {
    const { body, headers } = this.encode(req);
    const res = await request(`${this.baseURL}/${req.apiName}`, {
      dispatcher: this.dispatcher,
      method: body === undefined ? "GET" : "POST",
      headers,
      body,
    });
    const contentType = String(res.headers["content-type"] ?? "");
    const text = await res.body.text();
    if (res.statusCode !== 200) throw httpError(res.statusCode, this.redact(text.slice(0, 500)));
    if (!contentType.includes("json")) {
      return { data: text, contentType, filename: attachmentName(res.headers["content-disposition"]) };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new CamError(ErrorCode.badResponse, t("errors.badResponse"), { status: res.statusCode });
    }
    const status = (data as { status?: unknown } | null)?.status;
    if (status === ERROR_STATUS || status === String(ERROR_STATUS)) {
      const first = (data as { errors?: Array<{ code?: unknown; message?: unknown }> }).errors?.[0];
      throw apiError(String(first?.code ?? "unknown"), first?.message ? this.redact(String(first.message)) : undefined);
    }
    return { data, contentType };
  }

  private encode(req: ApiRequest): { body?: string | FormData; headers: Record<string, string> } {
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

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.backoffs.delete(timer);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.backoffs.set(timer, wake);
    });
  }

  /** A server could echo the token in a message; it must never reach a log or a Catch node. */
  private redact(text: string): string {
    return this.options.token ? text.split(this.options.token).join("***") : text;
  }
}

/** Turns what undici throws into a CamError; a CamError passes through. Shared with the xAssist client. */
export function transportError(err: unknown): CamError {
  if (err instanceof CamError) return err;
  const code = (err as { code?: string }).code ?? "";
  if (NOT_CONNECTED.has(code)) {
    return new CamError(ErrorCode.network, t("errors.network", { reason: code }), { retryable: true });
  }
  if (TIMEOUTS.has(code)) return new CamError(ErrorCode.timeout, t("errors.timeout"), { retryable: false });
  if (code.startsWith("ERR_TLS") || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return new CamError(ErrorCode.tls, t("errors.tls", { reason: code }), { retryable: false });
  }
  if (code === "UND_ERR_DESTROYED" || code === "UND_ERR_CLOSED") {
    return new CamError(ErrorCode.closed, t("errors.closed"), { retryable: false });
  }
  // The connection broke after the request went out: the server may have acted on it.
  return new CamError(ErrorCode.maybeDelivered, t("errors.maybeDelivered", { reason: code || "?" }), {
    retryable: false,
  });
}

/** Failures before a connection existed: the request never left, so a retry cannot duplicate it. */
const NOT_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

export function encodeForm(fields: Record<string, string>): string {
  let out = "";
  for (const name in fields) {
    if (out) out += "&";
    out += encodeURIComponent(name) + "=" + encodeURIComponent(fields[name]);
  }
  return out;
}

function attachmentName(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(value)?.[1] : undefined;
}
