import { CodedError, RETRYABLE_HTTP_STATUS } from "../core/errors";
import { t } from "../core/i18n";

/** Server codes worth a retry with back-off (API-NOTES: transient). */
export const RETRYABLE_API_CODES = new Set(["491", "503"]);
const DOCUMENTED_CODES = new Set(["400", "405", "406", "451", "452", "490", "491", "500", "503", "800", "802", "805"]);

/** The error for an HTTP 200 answer with `status: 520`. */
export function apiError(code: string, apiMessage: string | undefined): CodedError {
  const meaning = DOCUMENTED_CODES.has(code) ? t(`errors.codes.${code}`) : t("errors.codes.unknown");
  // In Japanese the documented meaning is the server's own message: say it once.
  const shown = apiMessage && !meaning.includes(apiMessage.trim()) ? apiMessage : "";
  const message = t("errors.api", { code, meaning, apiMessage: shown }).trim();
  return new CodedError(code, message, { apiMessage, retryable: RETRYABLE_API_CODES.has(code) });
}

export function httpError(status: number, apiMessage?: string): CodedError {
  return new CodedError(`HTTP_${status}`, t("errors.http", { status }), {
    status,
    apiMessage,
    retryable: RETRYABLE_HTTP_STATUS.has(status),
  });
}
