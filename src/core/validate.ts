import { NotShowable, readableText } from "../shared/message-text";
import { CodedError, inputError } from "./errors";

/** Coercions and limits shared by the operations: each names the field in its error. */

/** Characters of text in one field (a message, a name, one JSON form field). */
export const MAX_TEXT_CHARS = 1_048_576;
/** Size of a whole file given as input (the users CSV, the manual's messages file): bytes, or characters of text. */
export const MAX_FILE_BYTES = 64 * 1_048_576;
/** Nesting levels of a structured value that is sent (cam-api fields, a chat room, extra contact keys). */
export const MAX_SENT_DEPTH = 32;
/**
 * Nesting levels Node-RED can copy when it hands a message to a second wire or a Catch node: its
 * recursive copy overflows the stack near 2,000 levels, which ends the runtime.
 */
export const MAX_MESSAGE_DEPTH = 1_000;

export function text(field: string, value: unknown, { optional = false } = {}): string {
  if (value === undefined || value === null || value === "") {
    if (optional) return "";
    throw inputError(field, "missing");
  }
  const s = textOf(field, value);
  if (!optional && !/\S/.test(s)) throw inputError(field, "missing");
  return s;
}

function textOf(field: string, value: unknown): string {
  if (typeof value === "string") return checkedText(field, value);
  if (typeof value === "number") return String(finite(field, value));
  if (Buffer.isBuffer(value)) {
    // UTF-8 needs at most 3 bytes per character: no need to decode what is too long anyway.
    // Stryker disable next-line ConditionalExpression: a shortcut; decoded, more than 3 bytes per character (U+FFFD replacements included) are more than MAX_TEXT_CHARS characters, which checkedText refuses with the same error
    if (value.length > 3 * MAX_TEXT_CHARS) throw inputError(field, "tooLong", { max: MAX_TEXT_CHARS });
    return checkedText(field, value.toString("utf8"));
  }
  throw inputError(field, "notText", { type: describe(value) });
}

/**
 * Words a person reads (a message, a title): what text() takes, and a record or a list as readable
 * text (message-text.ts) instead of an error.
 */
export function words(field: string, value: unknown, options: { optional?: boolean } = {}): string {
  const structured = typeof value === "object" && value !== null && !Buffer.isBuffer(value);
  return text(field, structured || typeof value === "function" || typeof value === "symbol" ? shown(field, value) : value, options);
}

function shown(field: string, value: unknown): string {
  try {
    return readableText(value);
  } catch (err) {
    throw inputError(field, "notShowable", { type: err instanceof NotShowable ? err.kind : describe(value) });
  }
}

/** Text that text() takes as it is: checked without building a field name (a bulk send checks 100,000). */
export function isRequiredText(value: unknown): value is string {
  return typeof value === "string" && value.length <= MAX_TEXT_CHARS && /\S/.test(value) && wellFormed(value);
}

/** Text within the size limit, without broken characters (a lone surrogate would arrive as U+FFFD). */
export function checkedText(field: string, value: string): string {
  if (value.length > MAX_TEXT_CHARS) throw inputError(field, "tooLong", { max: MAX_TEXT_CHARS });
  if (!wellFormed(value)) throw inputError(field, "brokenText");
  return value;
}

/** No lone UTF-16 surrogates (String.prototype.isWellFormed, Node 20; not yet in TypeScript's ES2022 lib). */
export function wellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}

export function finite(field: string, value: number): number {
  if (!Number.isFinite(value)) throw inputError(field, "notFinite", { value: String(value) });
  return value;
}

export function bool(field: string, value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === 1) return true;
  if (value === "false" || value === 0) return false;
  throw inputError(field, "notBoolean", { type: describe(value) });
}

export const EMAIL = /^[^\s@,;\u0000-\u001f\u007f]+@[^\s@,;\u0000-\u001f\u007f]+$/;
/** The longest address SMTP can deliver (RFC 5321). */
const MAX_EMAIL = 254;

export function isEmail(value: string): boolean {
  return value.length <= MAX_EMAIL && EMAIL.test(value) && wellFormed(value);
}

/** Users are found by e-mail address: an array, or one string separated by commas. */
export function emailList(field: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") checkedText(field, value);
  // Blank text, and the empty items between separators, are skipped below.
  const items = typeof value === "string" ? value.split(/[,;\s]/) : value;
  if (!Array.isArray(items)) throw inputError(field, "notEmailList", { type: describe(value) });
  const emails: string[] = [];
  let chars = 0;
  for (const item of items) {
    if (typeof item !== "string") throw inputError(field, "notEmailList", { type: describe(item) });
    const email = item.trim();
    if (!email) continue;
    if (!isEmail(email)) throw inputError(field, "notEmail", { value: email.slice(0, 80) });
    chars += email.length + 1;
    if (chars > MAX_TEXT_CHARS) throw inputError(field, "tooLong", { max: MAX_TEXT_CHARS });
    emails.push(email);
  }
  return emails;
}

export function plainObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    checkedText(field, value);
    try {
      value = JSON.parse(value);
    } catch {
      throw inputError(field, "json");
    }
  }
  if (!isPlainObject(value)) throw inputError(field, "notObject", { type: describe(value) });
  return value;
}

export function integer(field: string, value: unknown, min: number, max: number): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw inputError(field, "range", { min, max });
  }
  return n;
}

/** What a value is, for an error message; never throws (not even for a hostile Proxy). */
export function describe(value: unknown): string {
  try {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (Buffer.isBuffer(value)) return "buffer";
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    if (typeof value !== "object") return typeof value;
    if (isPlainObject(value)) return "object";
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    if (["Number", "String", "Boolean"].includes(tag)) return `boxed ${tag.toLowerCase()}`;
    if (tag !== "Object") return tag;
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name ? name : "object";
  } catch {
    return "unreadable value";
  }
}

/**
 * Only a plain object (or one without a prototype): not a Date, Map, Set, Buffer, boxed value or class
 * instance. A function node's objects come from another realm, with an Object.prototype of their own.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  try {
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === null || proto === Object.prototype) return true;
    return Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === "[object Object]";
  } catch {
    return false;
  }
}

/** JSON for a form field: only what JSON holds as it is, within the depth and size limits. */
export function jsonText(field: string, value: unknown): string {
  checkJson(field, value);
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    throw inputError(field, "unreadable");
  }
  if (json.length > MAX_TEXT_CHARS) throw inputError(field, "tooLong", { max: MAX_TEXT_CHARS });
  return json;
}

interface Visit {
  value: unknown;
  depth: number;
  parent?: Visit;
  key?: string | number;
}

/**
 * Refuses what JSON would drop, change or fail on: a value is null, true/false, a finite number, text,
 * an array or a plain object, MAX_SENT_DEPTH deep at most and without cycles. Walks without recursion,
 * so a value nested 100,000 deep is refused, not a stack overflow; errors name the value's path.
 */
export function checkJson(field: string, value: unknown): void {
  const stack: Visit[] = [{ value, depth: 0 }];
  // Stryker disable next-line ArrayDeclaration: the first visit cuts the list to its depth, 0
  const path: unknown[] = [];
  let visits = 0;
  let visit: Visit | undefined;
  try {
    while ((visit = stack.pop())) {
      const v = visit.value;
      // Every value takes at least two characters of JSON: an early stop for what the length check refuses later.
      if (++visits > MAX_TEXT_CHARS / 2) throw inputError(field, "tooLong", { max: MAX_TEXT_CHARS });
      // Refused as checkedText and finite refuse them; the path is built only for a value that is refused.
      if (typeof v === "string") {
        if (v.length > MAX_TEXT_CHARS) throw inputError(pathOf(field, visit), "tooLong", { max: MAX_TEXT_CHARS });
        if (!wellFormed(v)) throw inputError(pathOf(field, visit), "brokenText");
      } else if (typeof v === "number") {
        if (!Number.isFinite(v)) throw inputError(pathOf(field, visit), "notFinite", { value: String(v) });
      } else if (typeof v === "object" && v !== null) {
        pushJsonChildren(field, visit, stack, path);
      } else if (v !== null && v !== undefined && typeof v !== "boolean") {
        throw inputError(pathOf(field, visit), "notJson", { type: describe(v) });
      }
    }
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw inputError(visit ? pathOf(field, visit) : field, "unreadable");
  }
}

function pushJsonChildren(field: string, visit: Visit, stack: Visit[], path: unknown[]): void {
  const v = visit.value as object;
  if (visit.depth >= MAX_SENT_DEPTH) throw inputError(pathOf(field, visit), "tooDeep", { max: MAX_SENT_DEPTH });
  path.length = visit.depth;
  if (path.includes(v)) throw inputError(pathOf(field, visit), "cyclic");
  path.push(v);
  const depth = visit.depth + 1;
  if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: visit, key: i });
  } else if (isPlainObject(v)) {
    for (const key of Object.keys(v).reverse()) stack.push({ value: v[key], depth, parent: visit, key });
  } else throw inputError(pathOf(field, visit), "notJson", { type: describe(v) });
}

/** Longest value path an error names: the start and the end of a longer one are kept. */
const MAX_PATH = 120;

function pathOf(field: string, visit: Visit): string {
  const keys: Array<string | number> = [];
  // Stryker disable next-line OptionalChaining: v is never undefined; v?. only satisfies the type
  for (let v: Visit | undefined = visit; v?.parent; v = v.parent) keys.push(v.key as string | number);
  const path = keys.reverse().reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : `${out}.${String(key).slice(0, 40)}`), field);
  return path.length <= MAX_PATH ? path : `${path.slice(0, MAX_PATH / 2)}…${path.slice(-MAX_PATH / 2)}`;
}

/** Node-RED's cloneMessage passes these on as they are (the HTTP request and response). */
const NOT_COPIED = new Set(["req", "res", "_msgid"]);
/** Objects lodash's cloneDeep copies property by property (others it passes on as they are). */
const COPIED_TAGS = new Set(["Object", "Array", "Arguments", "Map", "Set", "Date", "RegExp", "Number", "String", "Boolean"]);

/**
 * The message properties Node-RED could not copy (for a second wire or a Catch node) without ending
 * the runtime: nested deeper than MAX_MESSAGE_DEPTH, or throwing when read (a getter, a Proxy).
 */
export function uncopiableProperties(msg: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const key of Object.keys(msg)) {
    if (NOT_COPIED.has(key)) continue;
    try {
      const value = msg[key];
      if (typeof value === "object" && value !== null && !copiable(value)) found.push(key);
    } catch {
      found.push(key);
    }
  }
  return found;
}

/** Objects a walk visits before it starts remembering them (a value sharing its branches many times). */
const WALK_BUDGET = 1_000_000;

/**
 * Walks without recursion, as deep as cloneDeep would recurse. A tree (the usual message) needs no
 * memory of visited objects: a cycle shows as an object among its own ancestors. Shared branches
 * are walked again each time, so past WALK_BUDGET visits the walk starts over remembering them.
 */
function copiable(value: object): boolean {
  const result = walkCopy(value, WALK_BUDGET, undefined);
  return result === "over budget" ? walkCopy(value, Infinity, new Set()) === "ok" : result === "ok";
}

type WalkResult = "ok" | "too deep" | "over budget";

function walkCopy(value: object, budget: number, seen: Set<object> | undefined): WalkResult {
  const values: object[] = [value];
  const depths: number[] = [0];
  const ancestors: object[] = [];
  let visits = 0;
  while (values.length > 0) {
    const v = values.pop() as object;
    const depth = depths.pop() as number;
    const kind = copyKind(v);
    if (kind === undefined) continue;
    ancestors.length = depth;
    if (ancestors.includes(v) || seen?.has(v)) continue;
    if (depth >= MAX_MESSAGE_DEPTH) return "too deep";
    // Stryker disable next-line UpdateOperator: without the budget the walk goes on without a memory, to the same result
    if (++visits > budget) return "over budget";
    seen?.add(v);
    ancestors.push(v);
    const before = values.length;
    childObjects(v, kind, values);
    for (let i = before; i < values.length; i++) depths.push(depth + 1);
  }
  return "ok";
}

/** Pushes the object children cloneDeep would copy (elements, entries, own enumerable properties). */
function childObjects(v: object, kind: string, out: object[]): void {
  if (kind === "Array") {
    const list = v as unknown[];
    for (let i = 0; i < list.length; i++) {
      const child = list[i];
      if (typeof child === "object" && child !== null) out.push(child);
    }
    return;
  }
  const add = (child: unknown) => typeof child === "object" && child !== null && out.push(child);
  // Map.prototype.forEach, not instanceof: a function node's Map comes from another realm.
  if (kind === "Map") Map.prototype.forEach.call(v, (entry: unknown, key: unknown) => (add(key), add(entry)));
  else if (kind === "Set") Set.prototype.forEach.call(v, add);
  const record = v as Record<string, unknown>;
  for (const key of Object.keys(record)) add(record[key]);
}

/** How cloneDeep copies an object: property by property ("Object", "Array", "Map"...) or not at all (undefined). */
function copyKind(v: object): string | undefined {
  // Stryker disable next-line StringLiteral: any kind but "Map" and "Set" walks an array's own keys, its elements
  if (Array.isArray(v)) return "Array";
  const proto = Object.getPrototypeOf(v) as object | null;
  // Stryker disable next-line StringLiteral: any kind but "Array", "Map" and "Set" walks the object's own keys
  if (proto === Object.prototype || proto === null) return "Object";
  // Stryker disable next-line LogicalOperator: a shortcut; their tags are not among COPIED_TAGS either
  if (Buffer.isBuffer(v) || ArrayBuffer.isView(v)) return undefined;
  const tag = tagOf(v);
  return COPIED_TAGS.has(tag) ? tag : undefined;
}

const tagOf = (v: object): string => Object.prototype.toString.call(v).slice(8, -1);

/**
 * Ends a message Node-RED could not copy with an error naming the property: the property is removed
 * first, as the copy for the Catch node would otherwise end the runtime.
 */
export function refuseUncopiable(msg: object): void {
  const record = msg as Record<string, unknown>;
  const keys = uncopiableProperties(record);
  if (keys.length === 0) return;
  for (const key of keys) {
    try {
      delete record[key];
    } catch {
      // A property that cannot be deleted cannot be helped.
    }
  }
  throw inputError(`msg.${keys[0]}`, "uncopiable", { max: MAX_MESSAGE_DEPTH });
}
