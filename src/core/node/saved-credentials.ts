/**
 * Which saved credentials a server dialog's "Test connection" may use. The editor never receives a
 * saved secret: it posts the placeholder instead, and the runtime uses the saved value only for the
 * settings it was saved for, so that a test cannot send it to another server, proxy or TLS setting.
 */

/** What the editor shows, and posts, in place of a saved secret. */
export const SAVED_SECRET = "__PWRD__";

/** A secret the user typed in the dialog; blank or the placeholder means none. */
export function typedSecret(value: string | undefined): string | undefined {
  return value && value !== SAVED_SECRET ? value : undefined;
}

/**
 * Whether the posted settings send requests where the deployed ones do: each of `keys` equal, text
 * trimmed, `flags` compared as true/false. Nothing deployed: never.
 */
export function sameDestination<P extends object>(
  deployed: P | undefined,
  posted: P,
  keys: ReadonlyArray<keyof P>,
  flags: ReadonlyArray<keyof P> = []
): boolean {
  if (!deployed) return false;
  const norm = (key: keyof P, value: unknown) => (flags.includes(key) ? String(value === true || value === "true") : String(value ?? "").trim());
  return keys.every((key) => norm(key, deployed[key]) === norm(key, posted[key]));
}
