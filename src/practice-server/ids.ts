import { randomBytes, randomUUID } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomToken(length: number, alphabet = ALPHABET): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

const randomDigits = (length: number) => randomToken(length, "0123456789");
export const uuid = () => randomUUID();

/** Chat room ids look like the manual's "1564831284702237059": milliseconds and six more digits. */
export function roomId(now: number): string {
  return String(now) + randomDigits(6);
}

export function userUid(): string {
  return randomToken(20, "abcdefghijklmnopqrstuvwxyz0123456789");
}
