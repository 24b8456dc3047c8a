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

/** A 504 is retried only for calls that only read (transport.ts): the server behind the gateway may have acted. */
export const RETRYABLE_HTTP_STATUS = new Set([502, 503]);

interface ErrorDetails {
  status?: number;
  apiMessage?: string;
  field?: string;
  retryable?: boolean;
  attempts?: number;
  [extra: string]: unknown;
}

/** An error a Catch node can act on: `code` is the server's documented code or one of ErrorCode. */
export class CodedError extends Error {
  readonly code: string;
  readonly details: ErrorDetails;

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
    // Node-RED copies an own `stack` into msg.error, with this package's install path: an error of
    // ours says what happened in its message and details.
    delete (this as { stack?: string }).stack;
    // Node-RED copies `cause` into msg.error for Catch nodes (Flow.handleError: msg.error.cause = err.cause)
    // and, for an error no Catch node takes, shows `cause + ""` in the Debug sidebar (util.encodeObject);
    // read it late so that details added after construction (the attempt count) are included.
    Object.defineProperty(this, "cause", { get: () => plainDetails(this.code, this.details), enumerable: false });
  }

  get retryable(): boolean {
    return this.details.retryable === true;
  }

  /** Node-RED makes msg.error.message of this: the plain sentence, without "Error: " before it. */
  override toString(): string {
    return this.message;
  }
}

/**
 * The details as a plain object the Debug sidebar lists (msg.error.cause.field, .status, ...); its
 * toString, not copied with the message, gives the same as JSON for where Node-RED makes text of it.
 */
function plainDetails(code: string, details: ErrorDetails): Record<string, unknown> {
  const cause: Record<string, unknown> = { code, ...details };
  Object.defineProperty(cause, "toString", { value: () => describe(cause), enumerable: false });
  return cause;
}

function describe(cause: Record<string, unknown>): string {
  try {
    return JSON.stringify(cause);
  } catch {
    return `{"code":${JSON.stringify(cause.code)}}`;
  }
}

export function inputError(field: string, reason: string, params: Record<string, unknown> = {}): CodedError {
  return new CodedError(ErrorCode.invalidInput, t(`errors.input.${reason}`, { field, ...params }), { field });
}
