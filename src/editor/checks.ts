// Checks of the values a user types, as the runtime would judge them (from the same tables).
import { FACTS, regExp } from "./facts";

/** Blank leaves the runtime's default; otherwise a number in the setting's range (whole if it says so). */
export function inRange(value: unknown, setting: { min: number; max: number; integer?: boolean }): boolean {
  if (value === undefined || value === "") return true;
  const text = String(value).trim();
  return (setting.integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(text) && +text >= setting.min && +text <= setting.max;
}

/** A response size limit in megabytes; blank leaves the transport's default. */
export function isMegabytes(value: unknown): boolean {
  return inRange(value, FACTS.maxResponseMB);
}

/** What separates the items of a list typed as text: commas, semicolons or spaces (as the runtime splits it). */
export const LIST_SEPARATOR = /[,;\s]+/;

/** The items of a list typed as text. */
export function listItems(text: string): string[] {
  return text.split(LIST_SEPARATOR).filter(Boolean);
}

export function isEmail(text: string): boolean {
  return regExp(FACTS.patterns.email).test(text);
}

export function isApiName(text: unknown): boolean {
  return regExp(FACTS.patterns.apiName).test(String(text ?? ""));
}

/** A quick call's expiry: a duration from now ("2h"), Unix ms, or a date the browser can read. */
export function isExpiry(value: unknown, type: string): boolean {
  const text = String(value).trim();
  const unixMs = () => /^\d+$/.test(text) && +text >= FACTS.secondsLimit;
  if (type === "num") return unixMs();
  if (type !== "str") return RED.utils.validateTypedProperty(value, type) === true;
  return regExp(FACTS.patterns.duration).test(text) || (/^\d+$/.test(text) ? unixMs() : !Number.isNaN(Date.parse(text)));
}

/** A period: blank, "month", "today", yyyyMM or yyyyMMdd (dashes allowed) naming a real month or day. */
export function isPeriod(value: unknown): boolean {
  const text = String(value).trim();
  if (text === "" || text === "month" || text === "today") return true;
  const match = regExp(FACTS.patterns.period).exec(text);
  if (!match) return false;
  const [year, month, day] = [+match[1], +match[2], match[3] ? +match[3] : undefined];
  const probe = new Date(year, month - 1, day ?? 1);
  return probe.getMonth() === month - 1 && (day === undefined || probe.getDate() === day);
}

/** A planned time: blank (now), Unix ms, or a date the browser can read. */
export function isPlannedTime(value: unknown): boolean {
  const text = String(value ?? "").trim();
  return text === "" || /^\d+$/.test(text) || !Number.isNaN(Date.parse(text));
}

/** No user:password@ in a server's address: the URL is saved in the flow unencrypted. */
export function isServerURL(value: unknown): boolean {
  return /^https?:\/\/[^\s/?#@]+([/?#]\S*)?$/.test(String(value ?? ""));
}

/** A proxy's login belongs in the credentials, never in its URL. */
export function isProxyURL(value: unknown): boolean {
  return !value || /^https?:\/\/[^\s/@]+(\/\S*)?$/.test(String(value));
}
