import { CodedError, ErrorCode, RETRYABLE_HTTP_STATUS } from "../core/errors";
import { t } from "../core/i18n";
import { MAX_SERVER_TEXT } from "../core/transport/secrets";

/** Statuses with an explanation of their own in the catalogue (errors.status.*). */
const EXPLAINED = new Set([400, 401, 403, 404, 405, 409, 500, 502, 503, 504]);

/** A non-2xx answer of the xAssist server: code HTTP_<status>, with the server's own message. */
export class XassistError extends CodedError {
  static fromResponse(status: number, text: string, path: string): XassistError {
    const apiMessage = serverMessage(text);
    const meaning = t(`xassist-config:errors.status.${EXPLAINED.has(status) ? status : "other"}`);
    const message = t("xassist-config:errors.http", { status, meaning, path, apiMessage: apiMessage ?? "" }).trim();
    return new XassistError(`HTTP_${status}`, message, { status, apiMessage, path, retryable: RETRYABLE_HTTP_STATUS.has(status) });
  }
}

/** Spring Boot style: {"timestamp","status","error","message","path"}; plain short text is taken as is. */
function serverMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = body?.message ?? body?.error;
    return typeof message === "string" && message ? message.slice(0, MAX_SERVER_TEXT) : undefined;
  } catch {
    const plain = text.trim();
    return plain && plain.length <= MAX_SERVER_TEXT && !plain.includes("<") ? plain : undefined;
  }
}

/** Bad input for an xAssist node, naming the field (texts in the xassist-config catalogue). */
export function xassistInputError(field: string, reason: string, params: Record<string, unknown> = {}): CodedError {
  return new CodedError(ErrorCode.invalidInput, t(`xassist-config:errors.input.${reason}`, { field, ...params }), { field });
}
