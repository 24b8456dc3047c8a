import { CodedError, ErrorCode } from "../errors";
import { t } from "../i18n";

/** What a field of a success answer must hold; "ok" is the status 200 of the Chat&Messenger model. */
type FieldKind = "string" | "number" | "boolean" | "object" | "array" | "ok";

/**
 * What one operation counts as success. Anything else is BAD_RESPONSE, never success: a login
 * portal's page, `null`, an array where an object belongs, empty or truncated JSON.
 */
export type Answer =
  /** A JSON object with at least these fields. */
  | { kind: "json"; fields: Record<string, FieldKind> }
  /** Text such as CSV. */
  | { kind: "text" }
  /** JSON of any shape, or text (an API this package does not know). */
  | { kind: "any" };

export const ANY_ANSWER: Answer = { kind: "any" };

/** Default response size limits (the server nodes' "Max. response size" overrides both). */
const MAX_TEXT_BYTES = 64 * 1_048_576;
export const MAX_JSON_BYTES = 4 * 1_048_576;
/** Deeper JSON than any API answer needs; Node-RED's message clone recurses through it. */
const MAX_JSON_DEPTH = 64;

export function answerLimit(answer: Answer): number {
  return answer.kind === "json" ? MAX_JSON_BYTES : MAX_TEXT_BYTES;
}

export function badResponse(reason: string, params: Record<string, unknown> = {}, status?: number): CodedError {
  return new CodedError(ErrorCode.badResponse, t(`errors.response.${reason}`, params), { status, retryable: false });
}

/**
 * A login portal, a proxy's error page or a web server's default page: an answer, but not the API's.
 * Some servers label their JSON as text/html, so the body decides when it looks like JSON.
 */
export function isWebPage(contentType: string, text: string): boolean {
  return /^\s*</.test(text) || (/html/i.test(contentType) && !/^\s*[{[]/.test(text));
}

/**
 * JSON.parse for a server's text, which must be JSON: empty, truncated and too deeply nested
 * texts are BAD_RESPONSE (depth is checked first: cloning a deep answer would overflow the stack).
 */
export function parseJson(text: string, api: string, status: number | undefined, contentType: string): unknown {
  if (!text.trim()) throw badResponse("empty", { api }, status);
  if (depthOver(text, MAX_JSON_DEPTH)) throw badResponse("tooDeep", { api, limit: MAX_JSON_DEPTH }, status);
  try {
    return JSON.parse(text);
  } catch {
    // A page labelled HTML that merely starts like JSON is still a page.
    if (/html/i.test(contentType)) throw badResponse("webPage", { api, type: contentType }, status);
    throw badResponse("notJson", { api }, status);
  }
}

/** Checks a parsed answer against the operation's contract. */
export function checkAnswer(data: unknown, answer: Answer, api: string): void {
  if (answer.kind !== "json") return;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw badResponse("notObject", { api, type: kindOf(data) });
  }
  const record = data as Record<string, unknown>;
  for (const [field, kind] of Object.entries(answer.fields)) {
    if (!fits(record[field], kind)) throw badResponse("field", { api, field, kind: kind === "ok" ? "200" : kind });
  }
}

function fits(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case "ok":
      return value === 200 || value === "200";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "number":
      return Number.isFinite(value);
    default:
      return typeof value === kind;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

/** True when brackets outside strings nest deeper than `limit`. */
function depthOver(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
