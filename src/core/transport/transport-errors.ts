import { HOST_NAME_MISMATCH, isProxyFailure } from "./dispatcher";
import { CodedError, ErrorCode } from "../errors";
import { wasNotSent } from "./exchange";
import { t } from "../i18n";

/**
 * Turns what undici throws into a CodedError; a CodedError passes through. Shared by both clients.
 * The question that matters is whether the request may have reached the server: a failure before
 * its first byte was written is retried (NETWORK); after that it is not (MAYBE_DELIVERED, TIMEOUT).
 */
export function transportError(err: unknown): CodedError {
  if (err instanceof CodedError) return err;
  const code = String((err as { code?: unknown } | null)?.code ?? "");
  const reason = code || (err as Error | null)?.name || "?";
  const tlsError = tlsFailure(err, code);
  if (tlsError) return tlsError;
  const proxyError = proxyFailure(err, code);
  if (proxyError) return proxyError;
  if (code === "UND_ERR_INVALID_ARG") {
    // A header or URL undici refuses to send (e.g. a line break pasted into the token): retrying cannot help.
    return new CodedError(ErrorCode.network, t("errors.network", { reason: safeReason(err) }), { retryable: false, reason: code });
  }
  const notSent = wasNotSent(err) || NOT_CONNECTED.has(code);
  if (notSent && CLOSED.has(code)) return new CodedError(ErrorCode.closed, t("errors.closed"), { retryable: false, reason: code });
  if (notSent) return new CodedError(ErrorCode.network, t("errors.network", { reason }), { retryable: true, reason });
  if (TIMEOUTS.has(code)) return new CodedError(ErrorCode.timeout, t("errors.timeout"), { retryable: false, reason: code });
  // The request went out and the connection broke before a complete answer: the server may have acted on it.
  return new CodedError(ErrorCode.maybeDelivered, t("errors.maybeDelivered", { reason }), { retryable: false, reason });
}

/** Node's code for a certificate issued for another host name (also inside undici's proxy TLS error). */
const ALTNAME = "ERR_TLS_CERT_ALTNAME_INVALID";

function tlsFailure(err: unknown, code: string): CodedError | undefined {
  // undici wraps a host-name mismatch behind a proxy in UND_ERR_PRX_TLS, with Node's error as the cause.
  const tlsCode = code === "UND_ERR_PRX_TLS" ? String((err as { cause?: { code?: unknown } }).cause?.code ?? code) : code;
  if (tlsCode === ALTNAME || tlsCode === HOST_NAME_MISMATCH) {
    // Not the self-signed advice: accepting any certificate would not make this one's name right.
    return new CodedError(ErrorCode.tls, t("errors.tlsHostName", { reason: ALTNAME }), { retryable: false, reason: ALTNAME });
  }
  if (tlsCode.startsWith("ERR_TLS") || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(tlsCode)) {
    return new CodedError(ErrorCode.tls, t("errors.tls", { reason: tlsCode }), { retryable: false, reason: tlsCode });
  }
  return undefined;
}

/** The proxy could not reach the server: before the tunnel existed, so a repeat cannot duplicate anything. */
const PROXY_GATEWAY_STATUS = new Set([502, 503, 504]);
/** undici 7's ProxyAgent turns a CONNECT answer other than 200 into this abort error. */
const PROXY_STATUS = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;

/**
 * A proxy that refused the tunnel or could not be reached. Nothing reached the server, so a repeat is
 * safe, but only a proxy's gateway failures (502, 503, 504) may go away by themselves; a refused
 * login (407) or a refused destination (403) will not.
 */
function proxyFailure(err: unknown, code: string): CodedError | undefined {
  const status = code === "UND_ERR_ABORTED" ? PROXY_STATUS.exec(String((err as Error).message))?.[1] : undefined;
  if (status) {
    const proxyStatus = Number(status);
    const retryable = PROXY_GATEWAY_STATUS.has(proxyStatus);
    const key = proxyStatus === 407 ? "errors.proxyAuth" : retryable ? "errors.proxyGateway" : "errors.proxyRefused";
    return new CodedError(ErrorCode.proxy, t(key, { status }), { retryable, reason: `proxy ${status}`, proxyStatus });
  }
  if (isProxyFailure(err) && !CLOSED.has(code)) {
    // Stryker disable next-line StringLiteral: every error marked as the proxy's carries a code (Node's socket errors, undici's, ours)
    const reason = code || "?";
    return new CodedError(ErrorCode.network, t("errors.proxyUnreachable", { reason }), { retryable: true, reason });
  }
  return undefined;
}

/** Failures that can only happen before a connection existed, whatever the dispatcher reports. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
const TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "DEADLINE"]);
/** The connection itself broke (as opposed to a malformed answer, which a repeat would only get again). */
export const BROKEN = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT"]);
const CLOSED = new Set(["UND_ERR_DESTROYED", "UND_ERR_CLOSED", "UND_ERR_ABORTED"]);

/** undici's own message names the refused header or URL part, never its value. */
function safeReason(err: unknown): string {
  // Stryker disable next-line StringLiteral: any text but undici's header words gives the same reason
  const message = String((err as Error | null)?.message ?? "");
  return /^invalid [\w-]+ header$/.test(message) ? `UND_ERR_INVALID_ARG: ${message}` : "UND_ERR_INVALID_ARG";
}
