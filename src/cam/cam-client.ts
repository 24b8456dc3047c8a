import { Readable } from "node:stream";
import { ANY_ANSWER, checkAnswer, isWebPage, parseJson, badResponse, type Answer } from "../core/transport/answer";
import { CAM_APIS, ERROR_STATUS, TOKEN_HEADER, uploadPart, type CamApiName, type CamField, type CamUploadName } from "./cam-apis";
import { inputError } from "../core/errors";
import { apiError, httpError } from "./cam-errors";
import type { ConnectionOptions } from "../core/transport/dispatcher";
import { multipart, type Multipart, type UploadFile } from "../core/transport/multipart";
import type { RetryPolicy } from "../core/transport/retry";
import { serverText } from "../core/transport/secrets";
import { Transport, type CallHooks, type TransportOptions } from "../core/transport/transport";

export type { CallHooks } from "../core/transport/transport";

/** The path part of every request; anything else could move the request (and the token) elsewhere. */
export const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface CamClientOptions extends ConnectionOptions, RetryPolicy, TransportOptions {
  serverURL: string;
  token: string;
  queueLimit: number;
}

export interface ApiRequest {
  apiName: string;
  /** Form fields, sent as application/x-www-form-urlencoded; none = a bare GET. */
  form?: Record<string, string>;
  /** A file, sent as multipart/form-data. */
  file?: UploadFile;
}

/**
 * A request to an API of the wire contract (cam-apis.ts): TypeScript refuses a form field the
 * contract does not name for it, and an upload goes in the part the contract names.
 */
export function apiRequest<N extends CamApiName>(apiName: N, form?: Partial<Record<CamField<N>, string>>): ApiRequest {
  return { apiName, form: form as Record<string, string> | undefined };
}

export function apiUpload(apiName: CamUploadName, file: Omit<UploadFile, "field">): ApiRequest {
  return { apiName, file: { field: uploadPart(apiName), ...file } };
}

export interface ApiResponse {
  data: unknown;
  contentType: string;
  filename?: string;
}

interface ApiFacts {
  readOnly: boolean;
  answer: Answer;
}

/** An API this package does not know (the generic node): not repeated, and any answer is its data. */
const UNKNOWN_API: ApiFacts = { readOnly: false, answer: ANY_ANSWER };

function apiFacts(apiName: string): ApiFacts {
  return Object.hasOwn(CAM_APIS, apiName) ? CAM_APIS[apiName as CamApiName] : UNKNOWN_API;
}

/** Speaks the Chat&Messenger wire contract on the shared transport: token header, forms, the 520 error model. */
export class CamClient {
  readonly baseURL: string;
  private readonly origin: string;
  /** The server URL's own path (an on-premise server may live under one), without the trailing slash. */
  private readonly basePath: string;
  private readonly transport: Transport;
  private readonly headers: Record<string, string>;
  private readonly formHeaders: Record<string, string>;

  constructor(options: CamClientOptions) {
    this.baseURL = options.serverURL.replace(/\/+$/, "");
    const url = new URL(this.baseURL);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.transport = new Transport(options);
    this.transport.secrets.add(options.token);
    this.headers = { [TOKEN_HEADER]: options.token };
    this.formHeaders = { ...this.headers, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  }

  call(req: ApiRequest, hooks: CallHooks = {}): Promise<ApiResponse> {
    const path = this.path(req.apiName);
    // Encoded once, outside the retry loop: only what happens on the wire is a transport failure.
    const encoded = this.encode(req);
    const facts = apiFacts(req.apiName);
    return this.transport.run(() => this.send(req.apiName, path, encoded, hooks.scope), facts.readOnly, hooks);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** Only the configured server: the API name is a plain name, never a URL or a path. */
  private path(apiName: unknown): string {
    if (typeof apiName !== "string" || !API_NAME.test(apiName)) throw inputError("apiName", "apiName");
    return `${this.basePath}/${apiName}`;
  }

  private async send(apiName: string, path: string, { form, file, headers }: Encoded, scope?: CallHooks["scope"]): Promise<ApiResponse> {
    const { answer } = apiFacts(apiName);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: undici reads it a slice at a time in either mode: same bytes, same read-ahead (5 slices of a stalled 40 MB upload)
    const body = file ? Readable.from(file.chunks(), { objectMode: false }) : form;
    const method = body === undefined ? "GET" : "POST";
    const res = await this.transport.exchange({ origin: this.origin, path, method, headers, body }, answer, scope);
    const { contentType, statusCode } = res;
    const secrets = this.transport.secrets;
    if (statusCode !== 200) throw httpError(statusCode, serverText(secrets, res.text));
    if (isWebPage(contentType, res.text)) throw badResponse("webPage", { api: apiName, type: contentType || "?" }, statusCode);
    const text = secrets.redact(res.text);
    const filename = attachmentName(res.contentDisposition && secrets.redact(res.contentDisposition));
    // Some servers label JSON as text/plain: a JSON-looking body is checked for the 520 error model
    // whatever its label; other text (the CSV export) is the answer itself where text is expected.
    if (!contentType.includes("json") && !/^\s*[{[]/.test(text) && answer.kind !== "json") {
      return { data: text, contentType, filename };
    }
    const data = parseJson(text, apiName, statusCode, contentType);
    const status = (data as { status?: unknown } | null)?.status;
    if (status === ERROR_STATUS || status === String(ERROR_STATUS)) {
      const first = (data as { errors?: Array<{ code?: unknown; message?: unknown }> }).errors?.[0];
      throw apiError(secrets.code(first?.code), typeof first?.message === "string" ? serverText(secrets, first.message) : undefined);
    }
    if (answer.kind === "text") throw badResponse("notText", { api: apiName }, statusCode);
    checkAnswer(data, answer, apiName);
    return { data, contentType, filename };
  }

  private encode(req: ApiRequest): Encoded {
    if (req.file) {
      const file = multipart(req.form ?? {}, req.file);
      return { file, headers: { ...this.headers, "content-type": file.contentType, "content-length": String(file.length) } };
    }
    if (!req.form) return { headers: this.headers };
    return { form: encodeForm(req.form), headers: this.formHeaders };
  }
}

/** A request's body, encoded once for all its attempts. */
interface Encoded {
  form?: string;
  file?: Multipart;
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
function attachmentName(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(value)?.[1];
  let name = extended;
  if (extended) {
    try {
      name = decodeURIComponent(extended);
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*"?([^";]+)"?/i.exec(value)?.[1];
  const bare = name?.split(/[\\/]/).pop()?.trim();
  return bare && bare !== "." && bare !== ".." ? bare : undefined;
}
