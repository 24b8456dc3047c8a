import { CamError } from "./errors";

/** Shorter "secrets" would blank out ordinary words of an error message. */
const MIN_SECRET_LENGTH = 4;
/** The shortest base64 fragment worth matching: shorter ones could occur by chance. */
const MIN_BASE64_FRAGMENT = 8;
/** Secrets of past sessions (refreshed tokens) that are still looked for. */
const MAX_SECRETS = 16;
const MASK = "***";
/** A server's error code is used only if it looks like one. */
const CODE_LIKE = /^[A-Za-z0-9_.-]{1,32}$/;
/** How much of a server's text an error keeps. */
export const MAX_SERVER_TEXT = 300;

/**
 * The secrets of one server configuration (API token, passwords, bearer and refresh tokens, proxy
 * login) and everything that leaves the transport is passed through. A hostile server may echo a
 * secret in any encoding, so each secret is looked for raw, JSON-escaped, \u-escaped, URL- and
 * form-encoded and in base64 (at each of the three byte alignments it can have inside a longer text).
 */
export class Secrets {
  private readonly secrets: string[] = [];
  private forms: string[] = [];

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.includes(secret)) return;
    this.secrets.push(secret);
    if (this.secrets.length > MAX_SECRETS) this.secrets.shift();
    const forms = new Set<string>();
    for (const secret of this.secrets) for (const form of encodings(secret)) forms.add(form);
    // Longest first, so that a form containing another is masked whole.
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }

  /** The text with every known form of every secret masked. */
  redact(text: string): string {
    if (this.forms.length === 0) return text;
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(MASK);
    return out;
  }

  /**
   * For short texts that leave the runtime (error messages, codes): also catches a secret hidden in
   * mixed or nested encodings, by decoding the text a few ways; such a text is replaced whole.
   */
  clean(text: string): string {
    const out = this.redact(text);
    if (this.secrets.length === 0) return out;
    for (const view of decodings(out)) {
      if (this.secrets.some((secret) => view.includes(secret))) return MASK;
    }
    return out;
  }

  /** The server's own error code if it looks like a code and carries no secret; else "unknown". */
  code(value: unknown): string {
    const code = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
    return typeof code === "string" && CODE_LIKE.test(code) && this.clean(code) === code ? code : "unknown";
  }

  /** The same error with every text in it cleaned: message, code and every detail. */
  error(error: CamError): CamError {
    if (this.secrets.length === 0) return error;
    const message = this.clean(error.message);
    const code = this.clean(error.code) === error.code ? error.code : "unknown";
    const details = this.cleanValue(error.details) as CamError["details"];
    if (message === error.message && code === error.code && sameEntries(details, error.details)) return error;
    return new CamError(code, message, details);
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

function encodings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const unicode = (upper: boolean) =>
    [...secret]
      .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .join("")
      [upper ? "toUpperCase" : "toLowerCase"]()
      .replace(/\\U/g, "\\u");
  const uri = encodeURIComponent(secret);
  const forms = [
    secret,
    json,
    json.replace(/\//g, "\\/"),
    unicode(false),
    unicode(true),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (s) => s.toLowerCase()),
    uri.replace(/%20/g, "+"),
    new URLSearchParams({ s: secret }).toString().slice(2),
    ...base64Fragments(secret),
  ];
  return forms.filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * base64 of the secret as it would read inside any longer base64 text: for each alignment, the
 * characters that depend on the secret's bytes alone (the edges mix with neighbouring bytes).
 */
function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const firstGroup = Math.ceil(offset / 3);
    const endGroup = Math.floor(padded.length / 3);
    if (endGroup <= firstGroup) continue;
    const base64 = padded.toString("base64").slice(firstGroup * 4, endGroup * 4);
    if (base64.length < MIN_BASE64_FRAGMENT) continue;
    out.push(base64, base64.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return out;
}

/** The text as JSON strings, URLs and forms would read it once decoded, each way and both at once. */
function decodings(text: string): string[] {
  const json = text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\(.)/g, "$1");
  const views = [json];
  for (const source of [text, json]) {
    views.push(percentDecoded(source), percentDecoded(source.replace(/\+/g, " ")));
  }
  return views;
}

function percentDecoded(text: string): string {
  return text.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function sameEntries(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(b).every((key) => a[key] === b[key]);
}
