import { badResponse } from "../core/answer";
import { CamError, ErrorCode } from "../core/errors";
import { isPlainObject } from "../core/validate";
import { XASSIST_PATHS } from "./xassist-client";

type Fields = Record<string, unknown>;

const ENDED = "Ended";
/** The longest callStatus or event type passed on; the documented ones are single words. */
const MAX_NAME = 100;
/** Characters of a title or contact field in the summary that every event message carries. */
const MAX_SUMMARY_TEXT = 500;
/** The CallLogContact fields a summary keeps (API-NOTES); the rest of a contact stays in the call log. */
const CONTACT_KEYS = ["displayName", "userId", "userDbId", "email", "phoneNumber", "domain"];

/** A CallLog whose parts the watch uses have the documented shape. */
export interface CheckedCallLog {
  raw: Fields;
  callStatus: string | null;
  events: Fields[];
}

/** What each message of a watch says about its call: small, whatever the number of events. */
export interface CallSummary {
  callId: string;
  callStatus: string | null;
  title: string;
  creator: Fields | null;
  events: number;
}

export interface CallChanges {
  /** Call events not seen before, oldest first. */
  events: Fields[];
  /** Set when the call's status differs from the last poll (or on the first poll). */
  status?: { callStatus: string | null; previousStatus: string | null };
  ended: boolean;
}

/**
 * The server's answer as a CallLog of the watched call, or BAD_RESPONSE naming the part that
 * cannot be used (the transport has checked already that it is a JSON object of sane depth).
 */
export function checkCallLog(data: unknown, callId: string): CheckedCallLog {
  if (!isPlainObject(data)) throw unusable("callLog", "object");
  if (data.callId !== undefined && data.callId !== callId) throw unusable("callId", JSON.stringify(callId));
  const callStatus = name("callStatus", data.callStatus);
  const list = data.callEvents ?? [];
  if (!Array.isArray(list)) throw unusable("callEvents", "array");
  list.forEach(checkEvent);
  return { raw: data, callStatus, events: list as Fields[] };
}

function checkEvent(event: unknown, index: number): void {
  const field = `callEvents[${index}]`;
  if (!isPlainObject(event)) throw unusable(field, "object");
  const id = event.id;
  if (id !== undefined && id !== null && typeof id !== "string" && !(typeof id === "number" && Number.isFinite(id))) {
    throw unusable(`${field}.id`, "number");
  }
  name(`${field}.type`, event.type);
  const contact = event.contact;
  if (contact !== undefined && contact !== null && !isPlainObject(contact)) throw unusable(`${field}.contact`, "object");
}

/** A status or type: short text, or none. */
function name(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length > MAX_NAME) throw unusable(field, "string");
  return value;
}

function unusable(field: string, kind: string): CamError {
  return badResponse("field", { api: XASSIST_PATHS.getCallLogById, field, kind });
}

/** A fresh summary for one message (each message gets its own objects: a flow may change them). */
export function summarize(callId: string, log: CheckedCallLog | undefined, events: number): CallSummary {
  const raw = log?.raw ?? {};
  const title = typeof raw.callTitle === "string" ? raw.callTitle.slice(0, MAX_SUMMARY_TEXT) : "";
  return { callId, callStatus: log?.callStatus ?? null, title, creator: contactSummary(raw.creatorContact), events };
}

function contactSummary(contact: unknown): Fields | null {
  if (!isPlainObject(contact)) return null;
  const out: Fields = {};
  for (const key of CONTACT_KEYS) {
    const value = contact[key];
    if (typeof value === "string") out[key] = value.slice(0, MAX_SUMMARY_TEXT);
    else if (typeof value === "number" && Number.isFinite(value)) out[key] = value;
  }
  return out;
}

/**
 * Remembers what one watched call has already reported, and tells what a new CallLog adds. It
 * keeps one key per event, so its memory grows with the events of the call.
 */
export class CallTracker {
  private readonly seen = new Set<string>();
  private status: string | null = null;
  private first = true;
  eventCount = 0;

  update(log: CheckedCallLog): CallChanges {
    const events: Fields[] = [];
    log.events.forEach((event, index) => {
      const id = event.id;
      const key = typeof id === "number" || typeof id === "string" ? `id:${id}` : `at:${index}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      events.push(event);
    });
    this.eventCount += events.length;
    const changes: CallChanges = { events, ended: log.callStatus === ENDED };
    if (this.first || log.callStatus !== this.status) {
      changes.status = { callStatus: log.callStatus, previousStatus: this.status };
      this.status = log.callStatus;
    }
    this.first = false;
    return changes;
  }
}

/**
 * Worth polling again: the server or the network may recover before the watch times out. An answer
 * that arrived but cannot be used (BAD_RESPONSE) ends the watch: asking again would not change it.
 */
export function isTransient(error: CamError): boolean {
  if (error.code === ErrorCode.badResponse) return false;
  const status = error.details.status;
  if (typeof status === "number") return status >= 500 || status === 429;
  const transient: string[] = [ErrorCode.network, ErrorCode.timeout, ErrorCode.maybeDelivered];
  return transient.includes(error.code);
}
