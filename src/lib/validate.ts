import { inputError } from "./errors";

/** Coercions shared by the operations: each names the field in its error. */

export function text(field: string, value: unknown, { optional = false } = {}): string {
  if (value === undefined || value === null || value === "") {
    if (optional) return "";
    throw inputError(field, "missing");
  }
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  throw inputError(field, "notText", { type: describe(value) });
}

export function bool(field: string, value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === 1) return true;
  if (value === "false" || value === 0) return false;
  throw inputError(field, "notBoolean", { type: describe(value) });
}

export const EMAIL = /^[^\s@,;]+@[^\s@,;]+$/;

/** Users are found by e-mail address: an array, or one string separated by commas. */
export function emailList(field: string, value: unknown): string[] {
  if (value === undefined || value === null || value === "") return [];
  const items = typeof value === "string" ? value.split(/[,;\s]+/) : value;
  if (!Array.isArray(items)) throw inputError(field, "notEmailList", { type: describe(value) });
  const emails: string[] = [];
  for (const item of items) {
    if (typeof item !== "string") throw inputError(field, "notEmailList", { type: describe(item) });
    const email = item.trim();
    if (!email) continue;
    if (!EMAIL.test(email)) throw inputError(field, "notEmail", { value: email.slice(0, 80) });
    emails.push(email);
  }
  return emails;
}

export function plainObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw inputError(field, "json");
    }
  }
  if (!isPlainObject(value)) throw inputError(field, "notObject", { type: describe(value) });
  return value as Record<string, unknown>;
}

export function integer(field: string, value: unknown, min: number, max: number): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw inputError(field, "range", { min, max });
  }
  return n;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Buffer.isBuffer(value)) return "buffer";
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** JSON for a form field; a value JSON cannot hold (a BigInt, a cycle) is the user's input error. */
export function jsonText(field: string, value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    throw inputError(field, "json");
  }
}
