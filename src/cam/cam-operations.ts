import { API_NAME, apiRequest, apiUpload } from "./cam-client";
import { DIRECT_PANEL } from "./cam-apis";
import { badResponse } from "../core/transport/answer";
import { csvContent, csvToObjects } from "./csv";
import { expiryTime, period } from "../core/dates";
import { CodedError, ErrorCode, inputError } from "../core/errors";
import { t } from "../core/i18n";
import { fixedText, fromMsg, type CallApi, type Operation } from "../core/node/operation";
import type { ApiRequest, ApiResponse } from "./cam-client";
import { bool, checkedText, emailList, integer, isPlainObject, isRequiredText, jsonText, MAX_FILE_BYTES, plainObject, text, words } from "../core/validate";

type CamOperation = Operation<ApiRequest, ApiResponse>;

/** Messages per sendMessages request. */
const BATCH_SIZE = { value: 100, min: 1, max: 10_000, integer: true };
/** Items of one sendMessages list (a bulk send of 100,000 is measured by the bench). */
const MAX_MESSAGES = 1_000_000;
/** The server echoes the name in a header: keep it a plain file name's length. */
const MAX_FILE_NAME = 255;
/** A file name, not a path: no separators, no control characters, not "." or "..". */
const PLAIN_FILE_NAME = /^(?!\.{1,2}$)[^/\\\u0000-\u001f\u007f-\u009f]+$/;

export const sendMessage: CamOperation = {
  type: "cam-send-message",
  inputs: { room: fixedText(""), recipients: fixedText(""), message: fromMsg("payload"), sealed: { value: "false", type: "bool" } },
  settings: { sendTo: { value: "direct", choices: ["direct", "room"] } },
  async run({ values, settings }, call) {
    const direct = settings.sendTo !== "room";
    const panelName = direct ? DIRECT_PANEL : text("room", values.room);
    const users = recipientList(values.recipients);
    if (panelName === DIRECT_PANEL && !users) throw inputError("recipients", "noRecipients");
    const message = {
      panelName,
      message: words("message", values.message),
      isOpened: bool("sealed", values.sealed),
      generalPurposes: { users },
    };
    const res = await call(apiRequest("sendMessage", { message: JSON.stringify(message) })).catch((err: unknown) => {
      throw direct
        ? namingUnknownUser(err, [["recipients", users]])
        : namingUnknownRoom(namingUnknownUser(err, users ? [["recipients", users]] : []), panelName);
    });
    return { payload: res.data };
  },
};

const UNKNOWN_USER_CODES = new Set(["451", "452"]);
const EMAIL_IN_TEXT = /[^\s(),;<>"'「」（）]+@[^\s(),;<>"'「」（）]+/g;

/**
 * A 451/452 answer says which address the server does not know (in its message; else the one
 * recipient there is): the message names the field and the address at a glance.
 */
function namingUnknownUser(err: unknown, candidates: Array<[string, string]>): unknown {
  if (!(err instanceof CodedError) || !UNKNOWN_USER_CODES.has(err.code)) return err;
  // Stryker disable next-line ArrayDeclaration: a made-up item is no recipient's (checked) address: the loop finds nothing either way
  const inServerText = err.details.apiMessage?.match(EMAIL_IN_TEXT) ?? [];
  let found: [string, string] | undefined;
  for (const address of inServerText) {
    const entry = candidates.find(([, users]) => users.split(",").includes(address));
    if (entry) found = [entry[0], address];
    if (found) break;
  }
  if (!found && candidates.length === 1 && !candidates[0][1].includes(",")) found = candidates[0];
  if (!found) return err;
  const [field, address] = found;
  return new CodedError(err.code, t(`errors.unknownUser.${err.code}`, { field, address }), { ...err.details, field, address });
}

/** A 405 answer to a chat room message: the room of the Chat room field does not exist. */
function namingUnknownRoom(err: unknown, room: string): unknown {
  if (!(err instanceof CodedError) || err.code !== UNKNOWN_ROOM_CODE) return err;
  return new CodedError(err.code, t("errors.unknownRoom", { field: "room", room }), { ...err.details, field: "room", room });
}

const UNKNOWN_ROOM_CODE = "405";

/** The wire format's recipient list; the last text is remembered, as a flood usually repeats it. */
let lastRecipients: { input: string; users: string } | undefined;

function recipientList(value: unknown, field = () => "recipients"): string {
  if (typeof value === "string" && value === lastRecipients?.input) return lastRecipients.users;
  const users = emailList(field(), value).join(",");
  if (typeof value === "string") lastRecipients = { input: value, users };
  return users;
}

type BatchItem = Record<string, unknown>;

/** Errors that no other batch can escape: sending the rest would only repeat them (or press a server that said "slow down"). */
const WHOLE_REQUEST_ERRORS = new Set<string>([ErrorCode.closed, ErrorCode.tls, ErrorCode.queueFull, "805", "800", "802", "491", "503"]);

export const sendMessages: CamOperation = {
  type: "cam-send-messages",
  inputs: { messages: fromMsg("payload") },
  settings: { batchSize: BATCH_SIZE },
  async run({ values, settings }, call) {
    const items = batchItems("messages", values.messages);
    const size = integer("batchSize", settings.batchSize ?? BATCH_SIZE.value, BATCH_SIZE.min, BATCH_SIZE.max);
    const batches = [];
    let count = 0;
    let firstError: CodedError | undefined;
    for (let from = 0; from < items.length; from += size) {
      const batch = items.slice(from, from + size);
      try {
        const res = await call(apiRequest("sendMessages", { messages: JSON.stringify(batch) }));
        const sent = confirmedCount(res.data, batch.length);
        count += sent;
        batches.push({ from, size: batch.length, ok: true, count: sent });
      } catch (err) {
        const error = namingUnknownUser(err, batchRecipients(batch, from)) as CodedError;
        // A configuration problem is no batch's fault: report it as it is.
        if (error.code === ErrorCode.notConfigured) throw error;
        firstError ??= error;
        batches.push({ from, size: batch.length, ok: false, code: error.code, message: error.message });
        if (WHOLE_REQUEST_ERRORS.has(error.code)) break;
      }
    }
    if (firstError) {
      const failed = batches.filter((b) => !b.ok).length;
      const message = t("errors.batches", { failed, total: Math.ceil(items.length / size), first: firstError.message });
      throw new CodedError(firstError.code, message, { ...firstError.details, count, batches });
    }
    return { payload: { count, batches } };
  },
};

/** A batch's direct messages as [field, users]: where a 451/452 address came from. */
function batchRecipients(batch: BatchItem[], from: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  batch.forEach((item, i) => {
    const users = (item.property as { users?: string } | undefined)?.users;
    if (users) out.push([`messages[${from + i}].users`, users]);
  });
  return out;
}

/** What the server says it sent of a batch: a whole number no larger than the batch, else BAD_RESPONSE. */
function confirmedCount(data: unknown, size: number): number {
  const count = (data as { count: number }).count;
  if (!Number.isInteger(count) || count < 0 || count > size) throw badResponse("count", { api: "sendMessages", count, size });
  return count;
}

/** Accepts the manual's items, {message, users} shorthands, or the manual's JSON file text. */
function batchItems(field: string, value: unknown): BatchItem[] {
  if (typeof value === "string") value = parseMessagesFile(field, value);
  if (!Array.isArray(value)) throw inputError(field, "notArray");
  if (value.length === 0) throw inputError(field, "missing");
  if (value.length > MAX_MESSAGES) throw inputError(field, "tooMany", { max: MAX_MESSAGES });
  return value.map((item, i) => batchItem(field, i, item));
}

function parseMessagesFile(field: string, value: string): unknown {
  if (value.length > MAX_FILE_BYTES) throw inputError(field, "tooLarge", { max: MAX_FILE_BYTES / 1_048_576 });
  const json = withoutTrailingCommas(value.trim().replace(/^messages\s*=\s*/, ""));
  try {
    return JSON.parse(json);
  } catch {
    throw inputError(field, "json");
  }
}

const CLOSING_BRACKET = /\s*[\]}]/y;

/** Drops a comma before ] or }, as the manual's file has, but never one inside a message text. */
function withoutTrailingCommas(json: string): string {
  if (!/,\s*[\]}]/.test(json)) return json;
  let out = "";
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === "\\") {
        out += json.slice(i, i + 2); // the backslash and the character it escapes
        i++;
      } else {
        out += c;
        if (c === '"') inString = false;
      }
      continue;
    }
    if (c === '"') inString = true;
    if (c === ",") {
      CLOSING_BRACKET.lastIndex = i + 1;
      if (CLOSING_BRACKET.test(json)) continue;
    }
    out += c;
  }
  return out;
}

/** Field names such as messages[3].users are built only for an error: a bulk send checks 100,000 items. */
function batchItem(list: string, i: number, item: unknown): BatchItem {
  const field = (name?: string) => `${list}[${i}]${name ? `.${name}` : ""}`;
  const source = isPlainObject(item) ? item : plainObject(field(), item);
  const message = isRequiredText(source.message) ? source.message : text(field("message"), source.message);
  const room = source.send ?? source.room;
  if (room !== undefined && room !== DIRECT_PANEL) return { send: isRequiredText(room) ? room : text(field("send"), room), message };
  const property = source.property as Record<string, unknown> | undefined;
  const value = source.users ?? property?.users;
  const users = recipientList(value, () => field("users"));
  if (!users) throw inputError(field("users"), "noRecipients");
  return { message, property: { users } };
}

export const createQuickCall: CamOperation = {
  type: "cam-create-quick-call",
  inputs: { expires: fixedText("1h"), title: fixedText(""), password: fixedText(""), userName: fixedText("") },
  async run({ values }, call) {
    const expiredDate = expiryTime("expires", values.expires);
    const title = words("title", values.title, { optional: true });
    const password = text("password", values.password, { optional: true });
    const userName = text("userName", values.userName, { optional: true });
    const res = await call(apiRequest("createQuickCall", { expiredDate: String(expiredDate), title, password }));
    const data = res.data as { sid?: string; url?: string };
    const payload: Record<string, unknown> = { ...data, expiredDate };
    if (userName && data.url) payload.joinUrl = autoLoginUrl(data.url, userName, password);
    return { payload };
  },
};

/** The manual's auto-login: the conference URL with userName and password appended. */
function autoLoginUrl(url: string, userName: string, password: string): string {
  const query = new URLSearchParams({ userName });
  if (password) query.set("password", password);
  return `${url}${url.includes("?") ? "&" : "?"}${query}`;
}

export const callStats: CamOperation = {
  type: "cam-call-stats",
  inputs: { roomName: fromMsg("payload") },
  async run({ values }, call) {
    let roomName = values.roomName;
    if (isPlainObject(roomName)) {
      const source = roomName as Record<string, unknown>;
      roomName = source.sid ?? source.roomName;
    }
    const res = await call(apiRequest("getCallStats", { roomName: text("roomName", roomName) }));
    return { payload: res.data };
  },
};

export const exportUsers: CamOperation = {
  type: "cam-export-users",
  inputs: { path: fixedText("exportUsers.csv") },
  settings: { output: { value: "csv", choices: ["csv", "objects"] } },
  async run({ values, settings }, call) {
    const path = text("path", values.path);
    if (path.length > MAX_FILE_NAME || !PLAIN_FILE_NAME.test(path)) throw inputError("path", "fileName");
    const res = await call(apiRequest("exportUsers", { path }));
    const csv = typeof res.data === "string" ? res.data : JSON.stringify(res.data);
    const payload = settings.output === "objects" ? csvToObjects(csv) : csv;
    return { payload, extra: { filename: res.filename ?? path } };
  },
};

export const updateUsers: CamOperation = {
  type: "cam-update-users",
  inputs: { csv: fromMsg("payload"), filename: fixedText("updateUsers.csv") },
  async run({ values }, call) {
    const content = csvContent("csv", values.csv);
    const filename = text("filename", values.filename, { optional: true }) || "updateUsers.csv";
    const res = await call(apiUpload("updateUsersCSV", { filename, content, contentType: "text/csv; charset=utf-8" }));
    return { payload: res.data };
  },
};

export const updateChatRoom: CamOperation = {
  type: "cam-update-chat-room",
  inputs: { chatRoom: fromMsg("payload") },
  async run({ values }, call) {
    const chatRoom = chatRoomArgument("chatRoom", values.chatRoom);
    const res = await call(apiRequest("updateChatRoom", { chatRoom: jsonText("chatRoom", chatRoom) }));
    const data = res.data as { chatRoom?: unknown };
    return { payload: data.chatRoom ?? data };
  },
};

function chatRoomArgument(field: string, value: unknown): Record<string, unknown> {
  const room = { ...plainObject(field, value) };
  if (room.id !== undefined && room.id !== null && room.id !== "") room.id = text(`${field}.id`, room.id);
  else delete room.id;
  if (room.id === undefined || room.name !== undefined) room.name = text(`${field}.name`, room.name);
  for (const key of ["createUserId", "adminUserId"]) {
    if (room[key] !== undefined) room[key] = text(`${field}.${key}`, room[key]);
  }
  for (const key of ["isPublic", "isMessageThread"]) {
    if (room[key] !== undefined) room[key] = bool(`${field}.${key}`, room[key]);
  }
  if (room.memberUids !== undefined) room.memberUids = memberUids(`${field}.memberUids`, room.memberUids);
  return room;
}

/** The API wants {"uid": true}; an array of user ids is friendlier to build in a flow. */
function memberUids(field: string, value: unknown): Record<string, boolean> {
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((uid, i) => [text(`${field}[${i}]`, uid), true]));
  }
  const members = plainObject(field, value);
  return Object.fromEntries(Object.entries(members).map(([uid, on]) => [uid, bool(`${field}.${uid}`, on)]));
}

export const conferenceRooms: CamOperation = {
  type: "cam-conference-rooms",
  inputs: {},
  settings: { api: { value: "getConferenceMaster", choices: ["getConferenceMaster", "getConferenceRooms"] } },
  async run({ settings }, call) {
    const apiName = settings.api === "getConferenceRooms" ? "getConferenceRooms" : "getConferenceMaster";
    const res = await call(apiRequest(apiName));
    const data = res.data as { conferenceRooms?: unknown };
    return { payload: data.conferenceRooms ?? data };
  },
};

export const roomStatus: CamOperation = {
  type: "cam-room-status",
  inputs: { period: fixedText("") },
  settings: { shape: { value: "rooms", choices: ["rooms", "bookings", "each"] } },
  async run({ values, settings }, call) {
    const yyyyMMdd = period("period", values.period);
    const res = await call(apiRequest("getConferenceRoomStatus", { yyyyMMdd }));
    const status = (res.data as { conferenceRoomStatus?: { conferenceRooms?: unknown } }).conferenceRoomStatus;
    const rooms = status?.conferenceRooms;
    const extra = { period: yyyyMMdd };
    if (!Array.isArray(rooms)) return { payload: rooms ?? status ?? res.data, extra };
    const withTimes = rooms.map(withLocalTimes);
    if (settings.shape !== "bookings" && settings.shape !== "each") return { payload: withTimes, extra };
    return { payload: bookingsOf(withTimes), extra, each: settings.shape === "each" };
  },
};

/** Every booking of every room as one list, by start time, each with its room's id and name. */
function bookingsOf(rooms: unknown[]): Array<Record<string, unknown>> {
  const bookings = rooms.flatMap((room) => {
    if (!isPlainObject(room) || !Array.isArray(room.reservedSchedules)) return [];
    return room.reservedSchedules.filter(isPlainObject).map((booking): Record<string, unknown> => ({ roomId: room.id, roomName: room.name, ...booking }));
  });
  return bookings.sort((a, b) => Number(a.startDate) - Number(b.startDate));
}

/** Each booking also gets its start and end in Node-RED's time zone (startLocal, endLocal), beside the API's Unix times. */
function withLocalTimes(room: unknown): unknown {
  if (!isPlainObject(room) || !Array.isArray(room.reservedSchedules)) return room;
  const reservedSchedules = room.reservedSchedules.map((s: unknown) => {
    if (!isPlainObject(s)) return s;
    const startLocal = localIsoTime(s.startDate);
    const endLocal = localIsoTime(s.endDate);
    return { ...s, ...(startLocal && { startLocal }), ...(endLocal && { endLocal }) };
  });
  return { ...room, reservedSchedules };
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Unix ms of a number, of digits, or of a date text; NaN for anything else (a blank text too: Date.parse gives NaN for it). */
function unixMs(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return NaN;
  return /^\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
}

/** Unix ms (a number or digits) or a date text → ISO 8601 in the local time zone with its offset, e.g. 2026-11-30T18:00:00+09:00. */
export function localIsoTime(value: unknown): string | undefined {
  const d = new Date(unixMs(value));
  if (!Number.isFinite(d.getTime())) return undefined;
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  const date = `${String(d.getFullYear()).padStart(4, "0")}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return `${date}T${time}${offset < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

export const genericApi: CamOperation = {
  type: "cam-api",
  inputs: { apiName: fixedText(""), fields: fromMsg("payload") },
  async run({ values }, call: CallApi<ApiRequest, ApiResponse>) {
    const apiName = text("apiName", values.apiName);
    if (!API_NAME.test(apiName)) throw inputError("apiName", "apiName");
    const fields = values.fields;
    if (fields === undefined || fields === null || fields === "") return { payload: (await call({ apiName })).data };
    const form: Record<string, string> = {};
    for (const [name, value] of Object.entries(plainObject("fields", fields))) {
      if (value === undefined) continue;
      form[name] = typeof value === "string" ? checkedText(`fields.${name}`, value) : value === null ? "" : jsonText(`fields.${name}`, value);
    }
    return { payload: (await call({ apiName, form })).data };
  },
};
