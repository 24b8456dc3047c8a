import * as path from "path";
import type { NodeAPI } from "node-red";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json lies outside rootDir
const MODULE: string = require(path.join(__dirname, "..", "..", "package.json")).name;
/** Shared runtime texts (errors, status) live in the config node's catalogue unless a key names another. */
const DEFAULT_CATALOGUE = "cam-config";

type Params = Record<string, unknown>;
let redTranslate: ((key: string, params?: Params) => string) | undefined;
const fallbacks = new Map<string, Record<string, unknown>>();

export function useRuntimeTranslator(RED: NodeAPI): void {
  redTranslate = RED._ as (key: string, params?: Params) => string;
}

/**
 * Translates "key" of the shared catalogue, or "catalogue:key" of a node's own, following the
 * runtime's language; falls back to en-US where the runtime has no catalogues (unit tests).
 */
export function t(key: string, params: Params = {}): string {
  const [catalogue, localKey] = split(key);
  const fullKey = `${MODULE}/${catalogue}:${localKey}`;
  const translated = redTranslate?.(fullKey, params);
  if (translated && translated !== fullKey) return translated;
  return interpolate(lookupFallback(catalogue, localKey) ?? localKey, params);
}

/**
 * The full key "<module>/<catalogue>:<key>" of a text, for the editor to translate into its own
 * language: Node-RED's editor shows a node status whose text starts with a letter or "@" as the
 * text of that key (as the core nodes' "node-red:common.status.connected"), the text itself if none.
 */
export function editorKey(key: string): string {
  const [catalogue, localKey] = split(key);
  return `${MODULE}/${catalogue}:${localKey}`;
}

/** Whether a catalogue has the text (en-US's, whose keys every language has: the rules test checks it). */
export function hasText(key: string): boolean {
  const [catalogue, localKey] = split(key);
  try {
    return lookupFallback(catalogue, localKey) !== undefined;
  } catch {
    return false; // no such catalogue
  }
}

function split(key: string): [string, string] {
  return key.includes(":") ? (key.split(":", 2) as [string, string]) : [DEFAULT_CATALOGUE, key];
}

function lookupFallback(catalogue: string, key: string): string | undefined {
  let messages = fallbacks.get(catalogue);
  if (!messages) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a catalogue named at run time
    messages = require(path.join(__dirname, "..", "locales", "en-US", `${catalogue}.json`)) as Record<string, unknown>;
    fallbacks.set(catalogue, messages);
  }
  let node: unknown = messages;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string" ? node : undefined;
}

function interpolate(text: string, params: Params): string {
  return text.replace(/__(\w+)__/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
