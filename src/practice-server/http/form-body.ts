// Reads the form bodies that real clients send (URL-encoded) and the ones the manual's curl
// commands send (raw JSON, raw UTF-8, no encoding at all).

export type Fields = Record<string, string>;

// Characters that a form encoder never leaves raw. One of them in the body means nobody encoded it.
const NOT_FORM_ENCODED = /[^A-Za-z0-9*\-._~%+=&!'()]/;

function looksEncoded(body: string): boolean {
  return !NOT_FORM_ENCODED.test(body);
}

export function decodeComponent(text: string): string {
  const spaced = text.includes("+") ? text.replace(/\+/g, " ") : text;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // a lone "%" in an unencoded body
  }
}

function parseEncoded(body: string): Fields {
  const fields: Fields = {};
  for (const pair of body.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    fields[name] = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
  }
  return fields;
}

/**
 * An unencoded body is split only at "&name=" where name is one of the operation's fields, so a
 * raw "&" or "=" inside a JSON message survives.
 */
function parseRaw(body: string, known: readonly string[]): Fields {
  const starts: { name: string; at: number; valueAt: number }[] = [];
  for (const name of known) {
    const token = name + "=";
    if (body.startsWith(token)) starts.push({ name, at: 0, valueAt: token.length });
    let from = 0;
    for (;;) {
      const hit = body.indexOf("&" + token, from);
      if (hit < 0) break;
      starts.push({ name, at: hit, valueAt: hit + 1 + token.length });
      from = hit + 1;
    }
  }
  starts.sort((a, b) => a.at - b.at);
  const fields: Fields = {};
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].at : body.length;
    if (start.valueAt <= end && !(start.name in fields)) fields[start.name] = body.slice(start.valueAt, end);
  });
  return fields;
}

export function parseForm(body: string, known: readonly string[]): Fields {
  if (body.length === 0) return {};
  return looksEncoded(body) ? parseEncoded(body) : parseRaw(body, known);
}

/**
 * JSON as the manual's samples write it. Accepted beyond strict JSON: a UTF-8 BOM, a trailing comma
 * before "]" or "}" (messages.json), a stray backslash before whitespace between tokens (the Korean
 * and German pages' `\ "isOpened`), and keys with surrounding spaces (`" isOpened"`, `"property "`),
 * which are trimmed.
 */
export function parseLenientJson(text: string): unknown {
  let source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    source = repairJson(source);
    value = JSON.parse(source);
  }
  return trimKeys(value);
}

function repairJson(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "\\" && /\s/.test(text[i + 1] ?? "")) continue;
    else if (c === "]" || c === "}") out = out.replace(/,\s*$/, "");
    out += c;
  }
  return out;
}

function trimKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = trimKeys(value[i]);
    return value;
  }
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  let needsCopy = false;
  for (const key of Object.keys(record)) {
    record[key] = trimKeys(record[key]);
    if (key !== key.trim()) needsCopy = true;
  }
  if (!needsCopy) return record;
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) copy[key.trim()] = v;
  return copy;
}

/** E-mail lists as "a@x,b@x" (or an array); spaces anywhere are dropped ("user2 @test.com" in the Korean page). */
export function splitEmails(users: unknown): string[] | undefined {
  const list = Array.isArray(users) ? users : typeof users === "string" ? users.split(",") : undefined;
  if (!list) return undefined;
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== "string") return undefined;
    const email = item.replace(/\s+/g, "").toLowerCase();
    if (email) out.push(email);
  }
  return out;
}
