import { CamError, ErrorCode } from "./errors";
import { wasNotSent } from "./exchange";
import { t } from "./i18n";

/**
 * Turns what undici throws into a CamError; a CamError passes through. Shared by both clients.
 * The question that matters is whether the request may have reached the server: a failure before
 * its first byte was written is retried (NETWORK); after that it is not (MAYBE_DELIVERED, TIMEOUT).
 */
export function transportError(err: unknown): CamError {
  if (err instanceof CamError) return err;
  const code = String((err as { code?: unknown } | null)?.code ?? "");
  const reason = code || (err as Error | null)?.name || "?";
  if (code.startsWith("ERR_TLS") || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return new CamError(ErrorCode.tls, t("errors.tls", { reason: code }), { retryable: false, reason: code });
  }
  if (code === "UND_ERR_INVALID_ARG") {
    // A header or URL undici refuses to send (e.g. a line break pasted into the token): retrying cannot help.
    return new CamError(ErrorCode.network, t("errors.network", { reason: safeReason(err) }), { retryable: false, reason: code });
  }
  const notSent = wasNotSent(err) || NOT_CONNECTED.has(code);
  if (notSent && CLOSED.has(code)) return new CamError(ErrorCode.closed, t("errors.closed"), { retryable: false, reason: code });
  if (notSent) return new CamError(ErrorCode.network, t("errors.network", { reason }), { retryable: true, reason });
  if (TIMEOUTS.has(code)) return new CamError(ErrorCode.timeout, t("errors.timeout"), { retryable: false, reason: code });
  // The request went out and the connection broke before a complete answer: the server may have acted on it.
  return new CamError(ErrorCode.maybeDelivered, t("errors.maybeDelivered", { reason }), { retryable: false, reason });
}

/** Failures that can only happen before a connection existed, whatever the dispatcher reports. */
const NOT_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
/** The connection itself broke (as opposed to a malformed answer, which a repeat would only get again). */
export const BROKEN = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT"]);
const CLOSED = new Set(["UND_ERR_DESTROYED", "UND_ERR_CLOSED", "UND_ERR_ABORTED"]);

/** undici's own message names the refused header or URL part, never its value. */
function safeReason(err: unknown): string {
  const message = String((err as Error | null)?.message ?? "");
  return /^invalid [\w-]+ header$/.test(message) ? `UND_ERR_INVALID_ARG: ${message}` : "UND_ERR_INVALID_ARG";
}

