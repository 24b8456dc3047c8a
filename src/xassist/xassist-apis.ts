// The TeamViewer Frontline xAssist wire contract (shared/API-NOTES.md §2): every API this package
// calls, with what the client (xassist-client.ts, xassist-operations.ts) and the practice server
// (src/practice-server) must agree on. Both read this one table, so it is data only: its one import
// is a type, and the practice server gets no client code with it (test/unit/architecture.test.js).
// JSON in and out; a GET only reads, so only a GET is repeated after a timeout or a broken connection.
import type { Answer } from "../core/transport/answer";

interface XassistApi {
  readonly method: "GET" | "POST";
  /** From the server's root [doc]. */
  readonly path: string;
  /** The query parameters of a GET. */
  readonly query?: readonly string[];
  /** What a success answer is: anything else is BAD_RESPONSE. */
  readonly answer: Answer;
}

/** A login or a refresh: the session's tokens [doc]. */
const SESSION: Answer = { kind: "json", fields: { token: "string" } };
/** A CallLog [doc]. */
const CALL_LOG: Answer = { kind: "json", fields: { callId: "string" } };

const TABLE = {
  login: { method: "POST", path: "/login", answer: SESSION },
  /** Logs in by ending the user's older session [doc]. */
  forceLogin: { method: "POST", path: "/auth/forceLogin", answer: SESSION },
  /** [choice] The path is not public: the config node's advanced option "refreshPath" may change it. */
  refresh: { method: "POST", path: "/auth/refresh", answer: SESSION },
  createCall: { method: "POST", path: "/rtc/createCall", answer: CALL_LOG },
  getCallLogById: { method: "GET", path: "/rtc/getCallLogById", query: ["callId"], answer: CALL_LOG },
} as const satisfies Record<string, XassistApi>;

export type XassistApiName = keyof typeof TABLE;
/** A query parameter of an API. */
export type XassistQuery<N extends XassistApiName> = (typeof TABLE)[N] extends { query: readonly (infer Q extends string)[] } ? Q : never;

export const XASSIST_APIS: Readonly<Record<XassistApiName, XassistApi>> = TABLE;

/** Every API's path by name. */
export const XASSIST_PATHS = Object.fromEntries(Object.entries(TABLE).map(([name, api]) => [name, api.path])) as Record<XassistApiName, string>;

/** createCall's callReason and callType [doc]: MESH for a 1:1 call, SFU for several. */
export const CALL_REASONS = ["STANDARD", "SERVICE_REQUEST"];
export const CALL_TYPES = ["MESH", "SFU"];
