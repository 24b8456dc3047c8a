// What a handler answers, before it is written to the socket.
import { ERROR_STATUS } from "../../cam/cam-apis";
import { MESSAGES } from "../contract";

export interface Reply {
  httpStatus: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  /** for the request log */
  processed: boolean;
  status?: number;
  code?: string;
}

const JSON_TYPE = "application/json; charset=utf-8";

export function ok(value: unknown, extra: Partial<Reply> = {}): Reply {
  const status = (value as { status?: unknown })?.status;
  return { httpStatus: 200, contentType: JSON_TYPE, body: JSON.stringify(value), processed: true, status: typeof status === "number" ? status : 200, ...extra };
}

/** Chat&Messenger error: HTTP 200, status 520, one error with a string code [doc]. */
export function camError(code: string, message = MESSAGES[code] ?? "error"): Reply {
  return {
    httpStatus: 200,
    contentType: JSON_TYPE,
    body: JSON.stringify({ status: ERROR_STATUS, errors: [{ code, message }] }),
    processed: false,
    status: ERROR_STATUS,
    code,
  };
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** Spring Boot style error body, used by the xAssist endpoints and for plain HTTP errors. */
export function httpError(httpStatus: number, message: string, path: string, now = Date.now()): Reply {
  const body = { timestamp: new Date(now).toISOString(), status: httpStatus, error: REASONS[httpStatus] ?? "Error", message, path };
  return { httpStatus, contentType: JSON_TYPE, body: JSON.stringify(body), processed: false, status: httpStatus };
}
