import { CodedError } from "../errors";

/** Shorter "secrets" would blank out ordinary words of an error message. */
const MIN_SECRET_LENGTH = 4;
/** Any run this long of a secret's characters counts as the secret (a secret cut in two, or half quoted). */
const RUN = 8;
/** Superseded session tokens (refreshed away) that are still looked for; configured secrets never age out. */
const MAX_SUPERSEDED = 16;
/** The part of a (very long) secret whose runs are looked for: a real token is far shorter. */
const MAX_RUN_SOURCE = 2048;
/** How often a text is decoded (entities, percent-escapes, JSON escapes) before it is compared. */
const DECODE_ROUNDS = 4;
const MASK = "***";
/** A server's error code is used only if it looks like one. */
const CODE_LIKE = /^[A-Za-z0-9_.-]{1,32}$/;
/** How much of a server's text an error keeps. */
export const MAX_SERVER_TEXT = 300;

/**
 * The secrets of one server configuration, and everything that leaves the transport is passed
 * through. A hostile server may echo a secret in any spelling, so there are two checks:
 * - redact(), for answers of any size: every known spelling of every secret (raw, JSON- and
 *   \u-escaped, URL-, double-URL- and form-encoded, HTML entities, hex and base64 of its bytes) is
 *   replaced in place, in any letter case;
 * - clean(), for what an error carries (message, code, details, and so the status and the log): the
 *   text is also decoded repeatedly and case-folded, and any run of 8 characters of a secret (or of
 *   its hex or base64) masks the word that holds it.
 * Configured secrets (token, password, proxy login) and the current session tokens are kept for
 * the client's life; only session tokens that a refresh replaced age out.
 */
export class Secrets {
  private readonly configured: string[] = [];
  private readonly current = new Map<string, string>();
  private readonly superseded: string[] = [];
  /** Every spelling of every secret, case-folded, longest first; built when first needed. */
  private spellings?: string[];
  private runs?: Runs;

  /** A secret of the configuration: kept for good. */
  add(secret: string | undefined): void {
    if (!usable(secret) || this.configured.includes(secret)) return;
    this.configured.push(secret);
    this.changed();
  }

  /** The current value of a session token (`kind`: access, refresh); the one it replaces ages out later. */
  session(kind: string, secret: string | undefined): void {
    const previous = this.current.get(kind);
    if (previous === secret) return;
    if (previous !== undefined && !this.superseded.includes(previous)) {
      this.superseded.push(previous);
      if (this.superseded.length > MAX_SUPERSEDED) this.superseded.shift();
    }
    if (usable(secret)) this.current.set(kind, secret);
    else this.current.delete(kind);
    this.changed();
  }

  /** The text with every known spelling of every secret masked, in place. */
  redact(text: string): string {
    const spellings = (this.spellings ??= spellingsOf(this.all()));
    // Longest first: a text shorter than the last (a success answer such as {"status":200}) holds none.
    if (spellings.length === 0 || text.length < spellings[spellings.length - 1].length) return text;
    const folded = caseFolded(text);
    const found: Array<[number, number]> = [];
    for (const spelling of spellings) {
      for (let at = folded.indexOf(spelling); at !== -1; at = folded.indexOf(spelling, at + spelling.length)) found.push([at, at + spelling.length]);
    }
    return masked(text, found);
  }

  /** For texts that leave the runtime in an error: redacted, then every word that still hides a secret masked. */
  clean(text: string): string {
    const out = this.redact(text);
    const runs = (this.runs ??= secretRuns(this.all()));
    // Word by word even when the whole text shows no run: "abcdefg\ x" decodes to "abcdefg x" as a whole.
    // Stryker disable next-line Regex: splitting on each blank, or on the words, joins back to the same text
    const words = out.split(/(\s+)/);
    const masked = words.map((word) => (/\S/.test(word) && hides(runs, word) ? MASK : word)).join("");
    // A secret spread over several words (its spaces kept) is found in none of them alone.
    return hides(runs, masked) ? MASK : masked;
  }

  /** The server's own error code if it looks like a code and carries no secret; else "unknown". */
  code(value: unknown): string {
    const code = Number.isInteger(value) ? String(value) : value;
    return typeof code === "string" && CODE_LIKE.test(code) && this.clean(code) === code ? code : "unknown";
  }

  /** The same error with every text in it cleaned: message, code and every detail. */
  error(error: CodedError): CodedError {
    if (this.all().length === 0) return error;
    const message = this.clean(error.message);
    const code = this.clean(error.code) === error.code ? error.code : "unknown";
    const details = this.cleanValue(error.details) as CodedError["details"];
    if (message === error.message && code === error.code && sameEntries(details, error.details)) return error;
    return new CodedError(code, message, details);
  }

  private all(): string[] {
    return [...this.configured, ...this.current.values(), ...this.superseded];
  }

  private changed(): void {
    this.spellings = undefined;
    this.runs = undefined;
  }

  private cleanValue(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.clean(value);
    if (depth > 4 || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((item) => this.cleanValue(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.cleanValue(item, depth + 1);
    return out;
  }
}

/** Server text kept in an error: masked, cut to a few hundred characters, then cleaned. */
export function serverText(secrets: Secrets, text: string | undefined): string | undefined {
  if (!text) return undefined;
  const masked = secrets.redact(text);
  return secrets.clean(masked.length > MAX_SERVER_TEXT ? `${masked.slice(0, MAX_SERVER_TEXT)}…` : masked);
}

function usable(secret: string | undefined): secret is string {
  return typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH;
}

// ---- redact: the spellings a secret is known to take ----

/**
 * Every spelling of every secret, case-folded, without repeats, longest first (a spelling may contain
 * another). None is shorter than its secret, so none is shorter than MIN_SECRET_LENGTH.
 */
function spellingsOf(secrets: string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of spellings(secret)) forms.add(caseFolded(form));
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Lower case, one character for one (the dotted capital I alone would become two). */
function caseFolded(text: string): string {
  const folded = text.toLowerCase();
  return folded.length === text.length ? folded : text.replace(/\u0130/g, "I").toLowerCase();
}

/** The text with each of the ranges (start, end) replaced by one mask; overlapping ranges are merged. */
function masked(text: string, ranges: Array<[number, number]>): string {
  ranges.sort((a, b) => a[0] - b[0]);
  let out = "";
  let from = 0;
  for (const [start, end] of ranges) {
    if (start >= from) out += text.slice(from, start) + MASK;
    from = Math.max(from, end);
  }
  return out + text.slice(from);
}

function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const bytes = Buffer.from(secret, "utf8");
  return [
    secret,
    json,
    json.replace(/\//g, "\\/"),
    [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
    uri,
    uri.replace(/%20/g, "+"),
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURIComponent(uri),
    htmlEscaped(secret, (c) => `&#x${c.toString(16)};`),
    htmlEscaped(secret, (c) => `&#${c};`),
    bytes.toString("hex"),
    ...base64Fragments(bytes),
  ];
}

/** As template engines write a text into a page: every character but letters, digits and spaces as an entity. */
function htmlEscaped(secret: string, entity: (code: number) => string): string {
  return secret.replace(/[^A-Za-z0-9 ]/g, (c) => entity(c.charCodeAt(0)));
}

/**
 * base64 of the secret as it would read inside any longer base64 text: for each alignment, the
 * characters that depend on the secret's bytes alone (the edges mix with neighbouring bytes).
 */
function base64Fragments(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const firstGroup = Math.ceil(offset / 3);
    const endGroup = Math.floor(padded.length / 3);
    if (endGroup <= firstGroup) continue;
    const base64 = padded.toString("base64").slice(firstGroup * 4, endGroup * 4);
    if (base64.length < RUN) continue;
    out.push(base64, base64.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return out;
}

// ---- clean: runs of a secret in a decoded, case-folded text ----

/**
 * Every run of RUN characters (the whole secret when shorter) of each secret, case-folded, with its
 * spaces also as "+" (form encoding). Hex and base64 are decoded in the text instead (see hides).
 */
interface Runs {
  set: Set<string>;
  /** The lengths in the set: RUN, and the whole length of a shorter secret. */
  sizes: number[];
}

function secretRuns(secrets: string[]): Runs {
  const set = new Set<string>();
  const sizes = new Set<number>();
  for (const secret of secrets) {
    const folded = caseFolded(secret.slice(0, MAX_RUN_SOURCE));
    // A secret without spaces is the same in both: the set keeps one of each run.
    for (const text of [folded, folded.replace(/ /g, "+")]) {
      const size = Math.min(RUN, text.length);
      sizes.add(size);
      for (let end = size; end <= text.length; end++) set.add(text.slice(end - size, end));
    }
  }
  return { set, sizes: [...sizes] };
}

/** True when the text holds a run of a secret: as it reads decoded, or in a run of hex or base64 in it. */
function hides({ set, sizes }: Runs, text: string): boolean {
  const plain = decoded(text);
  return [plain, ...encodedBytes(plain)].some((view) => {
    const folded = caseFolded(view);
    for (const size of sizes) for (let end = size; end <= folded.length; end++) if (set.has(folded.slice(end - size, end))) return true;
    return false;
  });
}

/** Runs that may be the hex or base64 of a secret's bytes, decoded at each alignment they can have. */
function encodedBytes(text: string): string[] {
  const views: string[] = [];
  // Buffer.from drops a last odd hex digit, and the base64 characters of an unfinished last group.
  for (const [run] of text.matchAll(/[0-9a-f]{16,}/gi)) {
    for (const start of [0, 1]) views.push(Buffer.from(run.slice(start), "hex").toString("latin1"));
  }
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{12,}/g)) {
    for (const start of [0, 1, 2, 3]) views.push(Buffer.from(run.slice(start), "base64").toString("latin1"));
  }
  return views;
}

/** The text with HTML entities, JSON and \u escapes and percent-escapes decoded, again and again (a plain text stays as it is). */
function decoded(text: string): string {
  let out = text;
  for (let round = 0; round < DECODE_ROUNDS; round++) out = percentDecoded(jsonUnescaped(entitiesDecoded(out)));
  return out;
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", sol: "/", plus: "+", equals: "=", percnt: "%", num: "#" };

function entitiesDecoded(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});?/gi, (whole, name: string) => {
    if (name[0] !== "#") return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    try {
      return String.fromCodePoint(code);
    } catch {
      return whole; // beyond U+10FFFF: no character
    }
  });
}

function jsonUnescaped(text: string): string {
  return text
    .replace(/\\+u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\+x([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(.)/g, "$1");
}

function percentDecoded(text: string): string {
  return text.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  });
}

function sameEntries(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(b).every((key) => a[key] === b[key]);
}
