// How a value becomes the words of a message. The runtime sends this text and the dialog's preview
// shows it: both run this file, so the preview cannot promise what the node does not do.
import Mustache from "mustache";

/** Levels of nesting shown; deeper values show as "…". */
const MAX_DEPTH = 32;
const INDENT = "  ";

/** Why a value cannot be shown as text: its kind (function, symbol), for the error message. */
export class NotShowable extends Error {
  constructor(readonly kind: string) {
    super(kind);
  }
}

/**
 * Text a person can read: a string as it is; an object as one `key: value` line per property, nested
 * values indented below their key; a list one line per item, a record's fields on its line.
 * Throws NotShowable for a function or symbol anywhere in it.
 */
export function readableText(value: unknown): string {
  if (Array.isArray(value) || value instanceof Set) return [...value].map((item) => inline(item, 1, new Set([value]))).join("\n");
  if (isRecord(value)) return block(value, "", new Set()).join("\n");
  return inline(value, 0, new Set());
}

/** A property list, one line per property, nested records indented below their key. */
function block(record: object, indent: string, seen: Set<unknown>): string[] {
  if (seen.size >= MAX_DEPTH) return [`${indent}…`];
  seen.add(record);
  const lines: string[] = [];
  for (const [key, value] of entriesOf(record)) {
    if (isRecord(value) && !seen.has(value) && entriesOf(value).length > 0) {
      lines.push(`${indent}${key}:`, ...block(value, indent + INDENT, seen));
    } else if ((Array.isArray(value) || value instanceof Set) && [...value].some(isRecord)) {
      lines.push(`${indent}${key}:`, ...[...value].map((item) => indent + INDENT + inline(item, seen.size + 1, seen)));
    } else {
      lines.push(`${indent}${key}: ${inline(value, seen.size + 1, seen)}`);
    }
  }
  seen.delete(record);
  return lines;
}

/** One line: a record as `key: value, key: value`, a list as `a, b`; deeper ones in braces and brackets. */
function inline(value: unknown, depth: number, seen: Set<unknown>, nested = false): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "function" || typeof value === "symbol") throw new NotShowable(typeof value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  if (seen.has(value) || depth > MAX_DEPTH) return "…";
  seen.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      const items = [...value].map((item) => inline(item, depth + 1, seen, true)).join(", ");
      return nested ? `[${items}]` : items;
    }
    const fields = entriesOf(value)
      .map(([key, item]) => `${key}: ${inline(item, depth + 1, seen, true)}`)
      .join(", ");
    return nested ? `{${fields}}` : fields;
  } finally {
    seen.delete(value);
  }
}

function isRecord(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Set) && !(value instanceof Date);
}

function entriesOf(record: object): Array<[string, unknown]> {
  if (record instanceof Map) return [...record].map(([key, value]) => [String(key), value]);
  if (record instanceof Error) return [["message", record.message]];
  return Object.entries(record).filter(([, value]) => value !== undefined);
}

/**
 * A template in the syntax of Node-RED's template node ({{payload.id}}), filled from `view` as plain
 * text: no HTML escaping (a chat message is not HTML), and a record or a list shown as readableText.
 */
export function fillTemplate(template: string, view: object): string {
  return Mustache.render(template, view, undefined, { escape: (value: unknown) => readableText(value) });
}

/** What is wrong with a template (an unclosed tag...), or undefined when it is fine. */
export function templateProblem(template: string): string | undefined {
  try {
    Mustache.parse(template);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
