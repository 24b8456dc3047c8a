// The Chat&Messenger wire contract (shared/API-NOTES.md §1): every API this package calls by name,
// with what the client (cam-client.ts, cam-operations.ts) and the practice server
// (src/practice-server) must agree on. Both read this one table, so it is data only: its one import
// is a type, and the practice server gets no client code with it (test/unit/architecture.test.js).
// A [choice] (where the documents are silent) is one value here; TypeScript then names every place
// that builds or reads it.
import type { Answer } from "../core/transport/answer";

/** The API token travels in this header on every call [doc]. */
export const TOKEN_HEADER = "x-cam-apiToken";
/** An answer of HTTP 200 with this `status` is the API's error, `{"status":520,"errors":[{code,message}]}` [doc]. */
export const ERROR_STATUS = 520;
/** The sendMessage panelName of a direct message; any other is a chat room's name [doc]. */
export const DIRECT_PANEL = "messenger";

interface CamApi {
  /** The form fields it reads; a structured argument is a JSON text in its field [doc]. */
  readonly fields: readonly string[];
  /** Sent as multipart/form-data instead of a form: the name of the file's part. */
  readonly file?: string;
  /** Only reads: repeating it after a timeout or a broken connection cannot do anything twice (only these are retried). */
  readonly readOnly: boolean;
  /** Administrators only: anyone else gets the error 800 [doc]. */
  readonly adminOnly?: boolean;
  /** What a success answer is: anything else is BAD_RESPONSE; its kind sets the default size limit (4 MB JSON, 64 MB text). */
  readonly answer: Answer;
}

type JsonFields = Extract<Answer, { kind: "json" }>["fields"];
/** A JSON object with at least these fields ("ok": a `status` of 200). */
const json = (fields: JsonFields): Answer => ({ kind: "json", fields });
/** Text such as CSV. */
const TEXT: Answer = { kind: "text" };

const TABLE = {
  sendMessage: { fields: ["message"], readOnly: false, answer: json({ status: "ok" }) },
  // "message": the German manual's messages.json says message=[...] [doc]
  sendMessages: { fields: ["messages", "message"], readOnly: false, answer: json({ status: "ok", count: "number" }) },
  createQuickCall: { fields: ["expiredDate", "title", "password"], readOnly: false, answer: json({ sid: "string", url: "string" }) },
  getCallStats: { fields: ["roomName"], readOnly: true, answer: json({ participants: "number" }) },
  // [choice] the answer is the CSV itself
  exportUsers: { fields: ["path"], readOnly: true, adminOnly: true, answer: TEXT },
  updateUsersCSV: { fields: [], file: "file", readOnly: false, adminOnly: true, answer: json({ status: "ok" }) },
  // [choice] the field's name: the manual shows only the JS client's argument
  updateChatRoom: { fields: ["chatRoom"], readOnly: false, answer: json({ chatRoom: "object" }) },
  getConferenceRooms: { fields: [], readOnly: true, answer: json({ conferenceRooms: "array" }) },
  getConferenceMaster: { fields: [], readOnly: true, answer: json({ conferenceRooms: "array" }) },
  // [choice] the field's name, and the rooms nested in conferenceRoomStatus
  getConferenceRoomStatus: { fields: ["yyyyMMdd"], readOnly: true, answer: json({ conferenceRoomStatus: "object" }) },
} as const satisfies Record<string, CamApi>;

/** The name of an API of the table (the path of its endpoint, `${serverURL}/<name>`). */
export type CamApiName = keyof typeof TABLE;
/** A form field of an API. */
export type CamField<N extends CamApiName> = (typeof TABLE)[N]["fields"][number];

/** The Chat&Messenger APIs this package knows; any other name (the generic node) may answer anything. */
export const CAM_APIS: Readonly<Record<CamApiName, CamApi>> = TABLE;

/** An API that takes a file (multipart/form-data), and the name of the file's part. */
export type CamUploadName = { [N in CamApiName]: (typeof TABLE)[N] extends { file: string } ? N : never }[CamApiName];
export const uploadPart = (apiName: CamUploadName): string => TABLE[apiName].file;
