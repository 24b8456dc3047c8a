import { CodedError, inputError } from "./errors";
import { checkedText, describe } from "./validate";

const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, min: 6e4, h: 36e5, d: 864e5, w: 6048e5 };
export const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)$/i;
/** Below this a number is seconds, not milliseconds (the year 5138 in seconds). */
export const SECONDS_LIMIT = 1e11;
/** Dates a server can store: from the Unix epoch to the end of the last four-digit year. */
const EARLIEST_DATE_MS = 0;
const LATEST_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Refuses an Invalid Date's NaN and dates outside EARLIEST_DATE_MS…LATEST_DATE_MS (year 275760, 1e300). */
export function storableDate(field: string, ms: number): number {
  if (!(ms >= EARLIEST_DATE_MS && ms <= LATEST_DATE_MS)) {
    const day = (edge: number) => new Date(edge).toISOString().slice(0, 10);
    throw inputError(field, "dateRange", { min: day(EARLIEST_DATE_MS), max: day(LATEST_DATE_MS) });
  }
  return ms;
}

/** A quick call's expiry: Unix ms, a Date, an ISO date or a duration from now such as "30m" or "2h". */
export function expiryTime(field: string, value: unknown, now = Date.now()): number {
  let ms: number;
  if (isDate(value)) ms = dateMs(value);
  else if (typeof value === "number") ms = value;
  else if (typeof value === "string" && value.trim()) {
    const s = checkedText(field, value).trim();
    const duration = DURATION.exec(s);
    if (duration) ms = now + Number(duration[1]) * UNIT_MS[duration[2].toLowerCase()];
    else if (/^\d+$/.test(s)) ms = Number(s);
    else ms = Date.parse(s);
  } else if (value === undefined || value === null || typeof value === "string") throw inputError(field, "missing");
  else throw notA(field, "notExpiry", value);
  if (!Number.isFinite(ms)) throw notA(field, "notExpiry", value);
  if (ms < SECONDS_LIMIT) throw inputError(field, "seconds");
  if (ms <= now) throw inputError(field, "past");
  return Math.round(storableDate(field, ms));
}

/** A month (yyyyMM) or a day (yyyyMMdd), dashes allowed, an ISO time after it ignored. */
export const PERIOD = /^(\d{4})-?(\d{2})(?:-?(\d{2}))?(?:$|T)/;

/** getConferenceRoomStatus takes a month (yyyyMM) or a day (yyyyMMdd); blank means this month. */
export function period(field: string, value: unknown, now = new Date()): string {
  if (value === undefined || value === null || value === "" || value === "month") return compact(now).slice(0, 6);
  if (value === "today") return compact(now);
  // 201908 or 20190801 typed as a number (num, json or JSONata sources) is a period, not a Unix time.
  if (typeof value === "number" && /^\d{6}(\d{2})?$/.test(String(value))) value = String(value);
  if (isDate(value) || typeof value === "number") {
    const date = new Date(isDate(value) ? dateMs(value) : value);
    if (Number.isNaN(date.getTime())) throw notA(field, "notPeriod", value);
    storableDate(field, date.getTime());
    return compact(date);
  }
  if (typeof value !== "string") throw notA(field, "notPeriod", value);
  const digits = PERIOD.exec(checkedText(field, value).trim());
  if (!digits) throw notA(field, "notPeriod", value);
  const [, year, month, day] = digits;
  storableDate(field, Date.UTC(Number(year), Number(month) - 1, day ? Number(day) : 1));
  // A month or day out of range (13, 00, the 31st of February) moves the date into another month.
  const probe = new Date(Number(year), Number(month) - 1, day ? Number(day) : 1);
  if (probe.getMonth() !== Number(month) - 1) throw notA(field, "notPeriod", value);
  return year + month + (day ?? "");
}

/** The refusal of a value that is no date, naming the value (its start, or its kind). */
function notA(field: string, reason: string, value: unknown): CodedError {
  const shown = typeof value === "string" || typeof value === "number" ? String(value).slice(0, 40) : isDate(value) ? "Invalid Date" : describe(value);
  return inputError(field, reason, { value: shown });
}

/** A real Date (by its internal slot, so also one made in a function node's realm). */
export function isDate(value: unknown): value is Date {
  // getTime throws for anything else, a primitive or null too.
  try {
    Date.prototype.getTime.call(value);
    return true;
  } catch {
    return false;
  }
}

/** A Date's time; an Invalid Date gives NaN. */
export function dateMs(value: Date): number {
  return Date.prototype.getTime.call(value);
}

function compact(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}
