import { dateMs, isDate, storableDate } from "../core/dates";
import { fixedText, fromMsg, type Operation } from "../core/node/operation";
import { bool, checkedText, checkJson, describe, isEmail, isPlainObject, jsonText, text, words } from "../core/validate";
import { CALL_REASONS, CALL_TYPES } from "./xassist-apis";
import { xassistRequest, type XRequest, type XResponse } from "./xassist-client";
import { xassistInputError as inputError } from "./xassist-errors";

/** xassist-call-watch's settings in seconds: how often it polls, and when it gives up (0: never). */
export const CALL_WATCH_SETTINGS = {
  interval: { value: 5, min: 0.5, max: 86_400 },
  timeout: { value: 3600, min: 0, max: 31 * 86_400 },
};
/** The longest callId we pass on; the documented ones are UUIDs. */
const MAX_CALL_ID = 200;

const PHONE = /^\+[\d\s()/-]{5,}$/;
const CONTACT_TEXT_KEYS = ["displayName", "domain", "email", "phoneNumber", "userId"];

type Fields = Record<string, unknown>;
type XOperation = Operation<XRequest, XResponse>;

export const createCall: XOperation = {
  type: "xassist-create-call",
  inputs: {
    title: fixedText(""),
    reason: { value: "STANDARD", type: "xassist-reason" },
    callType: { value: "auto", type: "xassist-call-type" },
    contacts: fixedText(""),
    teams: fixedText(""),
    anonymous: { value: "false", type: "bool" },
    inform: { value: "true", type: "bool" },
    creatorUser: fixedText(""),
    planned: fixedText(""),
  },
  options: { reason: CALL_REASONS, callType: ["auto", ...CALL_TYPES] },
  async run({ values }, call) {
    const body = createCallBody(values);
    const res = await call(xassistRequest("createCall", { body }));
    return callLogOutcome(res.data);
  },
};

export const callLog: XOperation = {
  type: "xassist-call-log",
  inputs: { callId: fromMsg("payload") },
  async run({ values }, call) {
    const res = await call(callLogRequest(callIdOf("callId", values.callId)));
    return callLogOutcome(res.data);
  },
};

export function callLogRequest(callId: string): XRequest {
  return xassistRequest("getCallLogById", { query: { callId } });
}

function callLogOutcome(data: unknown): { payload: unknown; extra?: Fields } {
  const callId = (data as { callId?: unknown } | null)?.callId;
  return { payload: data, extra: typeof callId === "string" ? { callId } : undefined };
}

/** The body of /rtc/createCall in the documented field order; every value checked and named on error. */
export function createCallBody(values: Fields): Fields {
  const contacts = contactList("contacts", values.contacts);
  const teams = teamList("teams", values.teams);
  if (contacts.length === 0 && teams.length === 0) throw inputError("contacts", "noInvitees");
  // The lists' size: each item is checked already, so this only measures.
  jsonText("contacts", contacts);
  jsonText("teams", teams);
  const body: Fields = {
    callTitle: words("title", values.title, { optional: true }),
    callReason: oneOf("reason", values.reason, CALL_REASONS, "STANDARD"),
    callType: callType("callType", values.callType, contacts.length + (teams.length ? 2 : 0)),
    invitedContacts: contacts,
    invitedTeams: teams,
    joinAnonymousAllowed: bool("anonymous", values.anonymous),
    informOthersDirectly: bool("inform", values.inform),
  };
  const creator = values.creatorUser;
  if (creator !== undefined && creator !== null && creator !== "") body.creatorUser = dbId("creatorUser", creator);
  body.plannedDateTime = plannedTime("planned", values.planned);
  return body;
}

function oneOf(field: string, value: unknown, allowed: string[], fallback: string): string {
  if (value === undefined || value === null || value === "") return fallback;
  const choice = typeof value === "string" ? value.trim().toUpperCase() : value;
  if (typeof choice !== "string" || !allowed.includes(choice)) {
    const shown = typeof value === "string" ? value.slice(0, 40) : describe(value);
    throw inputError(field, "oneOf", { allowed: allowed.join(", "), value: shown });
  }
  return choice;
}

/** "auto": MESH for a 1:1 call (one invitee), SFU for more (a team counts as more). */
function callType(field: string, value: unknown, invitees: number): string {
  if (value === undefined || value === null || value === "" || (typeof value === "string" && value.trim().toLowerCase() === "auto")) {
    return invitees === 1 ? "MESH" : "SFU";
  }
  return oneOf(field, value, CALL_TYPES, "SFU");
}

/**
 * Invitees: CallLogContact objects as they are, or the simple forms, in an array or as text separated by
 * commas: an e-mail address, a phone number starting with +, a user DB id (a number) or a user id.
 */
function contactList(field: string, value: unknown): Fields[] {
  return listOf(field, value).map((item, i) => contact(`${field}[${i}]`, item));
}

function contact(field: string, item: unknown): Fields {
  if (typeof item === "number") return { userDbId: dbId(field, item) };
  if (typeof item === "string") {
    const s = item.trim();
    if (/^\d+$/.test(s)) return { userDbId: dbId(field, s) };
    if (s.includes("@")) return { email: email(field, s) };
    if (PHONE.test(s)) return { phoneNumber: s };
    if (/\s/.test(s)) throw inputError(field, "notContact", { type: "text with spaces" });
    return { userId: s };
  }
  if (!isPlainObject(item)) throw inputError(field, "notContact", { type: describe(item) });
  const out: Fields = {};
  for (const [key, v] of Object.entries(item)) {
    if (v === undefined) continue;
    if (key === "userDbId" && v !== null && v !== "") out.userDbId = dbId(`${field}.userDbId`, v);
    else if (key === "email" && v !== null && v !== "") out.email = email(`${field}.email`, text(`${field}.email`, v).trim());
    else if (CONTACT_TEXT_KEYS.includes(key) && v !== null) out[key] = text(`${field}.${key}`, v, { optional: true });
    else out[key] = v;
  }
  // Keys we do not know are passed on as they are: JSON must hold them.
  checkJson(field, out);
  if (!out.userDbId && !out.userId && !out.email && !out.phoneNumber) throw inputError(field, "contactWithoutId");
  return out;
}

function email(field: string, value: string): string {
  if (!isEmail(value)) throw inputError(field, "notEmail", { value: value.slice(0, 80) });
  return value;
}

/** Teams: ids (numbers) or team objects with an id, in an array or as text separated by commas. */
function teamList(field: string, value: unknown): Fields[] {
  return listOf(field, value).map((item, i) => {
    const name = `${field}[${i}]`;
    if (typeof item === "number" || typeof item === "string") return { id: dbId(name, item, 0) };
    if (isPlainObject(item) && item.id !== undefined) {
      const team = { ...item, id: dbId(`${name}.id`, item.id, 0) };
      checkJson(name, team);
      return team;
    }
    throw inputError(name, "notTeam", { type: describe(item) });
  });
}

/** A database id: a whole number (or its digits as text) from `min` on. */
function dbId(field: string, value: unknown, min = 1): number {
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min) throw inputError(field, "notId", { min });
  return n;
}

function listOf(field: string, value: unknown): unknown[] {
  if (value === undefined || value === null || value === "") return [];
  if (typeof value === "string") {
    const s = checkedText(field, value).trim();
    if (s.startsWith("[") || s.startsWith("{")) {
      try {
        value = JSON.parse(s);
      } catch {
        throw inputError(field, "json");
      }
    } else
      return s
        .split(/[,;\n]+/)
        .map((part) => part.trim())
        .filter(Boolean);
  }
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) return [value];
  throw inputError(field, "notList", { type: describe(value) });
}

/** Blank = a call now (null on the wire); otherwise a Date, Unix ms or an ISO-8601 text, sent as ISO-8601. */
function plannedTime(field: string, value: unknown): string | null {
  if (value === undefined || value === null || value === "") return null;
  let ms: number;
  if (isDate(value)) ms = dateMs(value);
  else if (typeof value === "number") ms = value;
  else if (typeof value === "string") {
    const s = text(field, value).trim();
    ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  } else throw inputError(field, "notDate", { type: describe(value) });
  if (Number.isNaN(ms)) throw inputError(field, "notDate", { type: typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : describe(value) });
  return new Date(storableDate(field, ms)).toISOString();
}

/** A callId as text, or taken from a CallLog object (the create-call output). */
export function callIdOf(field: string, value: unknown): string {
  if (isPlainObject(value)) {
    value = value.callId;
    if (value === undefined || value === null || value === "") throw inputError(field, "noCallId");
  }
  const callId = text(field, value).trim();
  if (!callId || callId.length > MAX_CALL_ID || /[\s\u0000-\u001f]/.test(callId)) {
    throw inputError(field, "notCallId", { value: callId.slice(0, 60) });
  }
  return callId;
}
