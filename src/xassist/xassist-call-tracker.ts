import { createHash } from "node:crypto";
import { badResponse } from "../core/transport/answer";
import { CodedError, ErrorCode } from "../core/errors";
import { isPlainObject } from "../core/validate";
import { XASSIST_APIS } from "./xassist-apis";

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
  /** How many events the call log held when last read. */
  events: number;
}

interface CallChanges {
  /** Call events not seen before, oldest first. */
  events: Fields[];
  /** Set when the call's status differs from the last poll (or on the first poll). */
  status?: { callStatus: string | null; previousStatus: string | null };
  ended: boolean;
  /** Set when a limit held back new events: perPoll, they follow later; perWatch, they are never reported. */
  limit?: EventLimit;
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

function unusable(field: string, kind: string): CodedError {
  return badResponse("field", { api: XASSIST_APIS.getCallLogById.path, field, kind });
}

/** A fresh summary for one message (each message gets its own objects: a flow may change them). */
export function summarize(callId: string, log: CheckedCallLog | undefined): CallSummary {
  const raw = log?.raw ?? {};
  const title = typeof raw.callTitle === "string" ? raw.callTitle.slice(0, MAX_SUMMARY_TEXT) : "";
  return { callId, callStatus: log?.callStatus ?? null, title, creator: contactSummary(raw.creatorContact), events: log?.events.length ?? 0 };
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

/** New events reported per poll at most; the others follow at the next polls, oldest first. */
export const MAX_EVENTS_PER_POLL = 100;
/** Events one watch remembers (so reports) at most: a server that makes up new events on every poll cannot grow it further. */
export const MAX_REMEMBERED_EVENTS = 10_000;

interface EventLimits {
  perPoll: number;
  perWatch: number;
}
export type EventLimit = keyof EventLimits;

/**
 * Remembers what one watched call has already reported, and tells what a new CallLog adds. An event
 * is known by its id and type, or by its content when it has none; each key is a digest of fixed size.
 */
export class CallTracker {
  private readonly seen = new Set<string>();
  private status: string | null = null;
  private first = true;
  eventCount = 0;

  constructor(readonly limits: EventLimits = { perPoll: MAX_EVENTS_PER_POLL, perWatch: MAX_REMEMBERED_EVENTS }) {}

  /** How many event keys it holds (for the tests: never more than limits.perWatch). */
  get remembered(): number {
    return this.seen.size;
  }

  /** Reached the per-watch limit: no further event is remembered nor reported. */
  get full(): boolean {
    return this.seen.size >= this.limits.perWatch;
  }

  update(log: CheckedCallLog): CallChanges {
    const changes: CallChanges = { events: [], ended: log.callStatus === ENDED };
    this.addNewEvents(log.events, changes);
    if (this.first || log.callStatus !== this.status) {
      changes.status = { callStatus: log.callStatus, previousStatus: this.status };
      this.status = log.callStatus;
    }
    this.first = false;
    return changes;
  }

  private addNewEvents(events: Fields[], changes: CallChanges): void {
    // Once full, it still looks for a new event, only to tell that one was held back.
    const perPoll = Math.min(this.limits.perPoll, this.limits.perWatch - this.seen.size);
    // Events without an id that are alike are told apart by their rank among those alike.
    const alike = new Map<string, number>();
    for (const event of events) {
      const key = eventKey(event, alike);
      if (this.seen.has(key)) continue;
      if (changes.events.length === perPoll) {
        changes.limit = this.full ? "perWatch" : "perPoll";
        break;
      }
      this.seen.add(key);
      changes.events.push(event);
    }
    this.eventCount += changes.events.length;
  }
}

function eventKey(event: Fields, alike: Map<string, number>): string {
  const id = event.id;
  if (typeof id === "number" || typeof id === "string") return digest(JSON.stringify(["id", id, event.type ?? null]));
  const content = digest(JSON.stringify(sortedKeys(event)));
  const rank = alike.get(content) ?? 0;
  alike.set(content, rank + 1);
  return `${content}#${rank}`;
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("base64");
}

/** The same JSON whatever the order of the keys (the transport has bounded the depth). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])])
  );
}

/**
 * Worth polling again: the server or the network may recover before the watch times out. An answer
 * that arrived but cannot be used (BAD_RESPONSE) ends the watch: asking again would not change it.
 */
export function isTransient(error: CodedError): boolean {
  if (error.code === ErrorCode.badResponse) return false;
  const status = error.details.status;
  if (typeof status === "number") return status >= 500 || status === 429;
  const transient: string[] = [ErrorCode.network, ErrorCode.timeout, ErrorCode.maybeDelivered];
  return transient.includes(error.code);
}
