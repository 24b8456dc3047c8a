import { t } from "./i18n";

/** Codes of our own, beside the server's documented numeric codes ("805", "491", ...). */
export const ErrorCode = {
  invalidInput: "INVALID_INPUT",
  notConfigured: "NOT_CONFIGURED",
  network: "NETWORK",
  timeout: "TIMEOUT",
  maybeDelivered: "MAYBE_DELIVERED",
  queueFull: "QUEUE_FULL",
  closed: "CLOSED",
  badResponse: "BAD_RESPONSE",
  /** The answer passed the response size limit: the rest was not read. */
  responseTooLarge: "RESPONSE_TOO_LARGE",
  /** The proxy refused or failed the tunnel (407, CONNECT refused, proxy 5xx). */
  proxy: "PROXY",
  tls: "TLS",
  /** Something this package did not foresee; the message says what. */
  internal: "INTERNAL",
} as const;

/** Server codes worth a retry with back-off (API-NOTES: transient). */
export const RETRYABLE_API_CODES = new Set(["491", "503"]);
/** A 504 is retried only for calls that only read (transport.ts): the server behind the gateway may have acted. */
export const RETRYABLE_HTTP_STATUS = new Set([502, 503]);

const DOCUMENTED_CODES = new Set(["400", "405", "406", "451", "452", "490", "491", "500", "503", "800", "802", "805"]);

export interface ErrorDetails {
  status?: number;
  apiMessage?: string;
  field?: string;
  retryable?: boolean;
  attempts?: number;
  [extra: string]: unknown;
}

/** An error a Catch node can act on: `code` is the server's documented code or one of ErrorCode. */
export class CamError extends Error {
  readonly code: string;
  readonly details: ErrorDetails;

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
    // Node-RED copies `cause` into msg.error for Catch nodes; read it late so that details added
    // after construction (the attempt count) are included.
    Object.defineProperty(this, "cause", { get: () => ({ code: this.code, ...this.details }), enumerable: false });
  }

  get retryable(): boolean {
    return this.details.retryable === true;
  }
}

export function inputError(field: string, reason: string, params: Record<string, unknown> = {}): CamError {
  return new CamError(ErrorCode.invalidInput, t(`errors.input.${reason}`, { field, ...params }), { field });
}

/** The error for an HTTP 200 answer with `status: 520`. */
export function apiError(code: string, apiMessage: string | undefined): CamError {
  const meaning = DOCUMENTED_CODES.has(code) ? t(`errors.codes.${code}`) : t("errors.codes.unknown");
  // In Japanese the documented meaning is the server's own message: say it once.
  const shown = apiMessage && !meaning.includes(apiMessage.trim()) ? apiMessage : "";
  const message = t("errors.api", { code, meaning, apiMessage: shown }).trim();
  return new CamError(code, message, { apiMessage, retryable: RETRYABLE_API_CODES.has(code) });
}

export function httpError(status: number, apiMessage?: string): CamError {
  return new CamError(`HTTP_${status}`, t("errors.http", { status }), {
    status,
    apiMessage,
    retryable: RETRYABLE_HTTP_STATUS.has(status),
  });
}
