import type { CamApiName, CamField } from "../../cam/cam-apis";
import { CODE, MESSAGES, SELF_REGISTRATION_DOMAINS } from "../contract";
import { decodeComponent, parseLenientJson } from "../http/form-body";
import type { Reply } from "../http/reply";
import type { PracticeState } from "../state";
import type { CamUser } from "../types";

/** The form fields of the API's contract (src/cam/cam-apis.ts) that the request carried. */
type FormOf<N extends CamApiName> = Partial<Record<CamField<N>, string>>;

/** One call of the API `N`: a handler reads only the fields the contract names for it. */
export interface CamContext<N extends CamApiName = CamApiName> {
  state: PracticeState;
  user: CamUser;
  fields: FormOf<N>;
  body: Buffer;
  contentType: string;
  baseUrl: string;
}

export type CamHandler<N extends CamApiName> = (ctx: CamContext<N>) => Reply | Promise<Reply>;
/** A handler for some APIs of the contract (one file's area); cam-api.ts puts them together. */
export type CamHandlers<N extends CamApiName> = { [A in N]: CamHandler<A> };

/** Thrown by a handler to answer HTTP 200 + status 520 with this code. */
export class CamFailure extends Error {
  constructor(
    public code: string,
    message?: string
  ) {
    super(message ?? MESSAGES[code] ?? "error");
  }
}

export const badRequest = (detail: string) => new CamFailure(CODE.badRequest, `${MESSAGES[CODE.badRequest]} (${detail})`);

/** A JSON form field; a raw value that is not JSON is tried once more URL-decoded. */
export function jsonField<F extends string>(fields: Partial<Record<F, string>>, name: F): unknown {
  const raw = fields[name];
  if (raw === undefined || raw === "") throw badRequest(`${name} is required`);
  try {
    return parseLenientJson(raw);
  } catch {
    try {
      return parseLenientJson(decodeComponent(raw));
    } catch {
      throw badRequest(`${name} is not valid JSON`);
    }
  }
}

export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw badRequest(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

export function optionalBoolean(value: unknown, what: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw badRequest(`${what} must be true or false`);
}

export function requiredString(value: unknown, what: string): string {
  if (typeof value !== "string") throw badRequest(`${what} must be a string`);
  return value;
}

/** 451 when the address's domain lets people register themselves, else 452. */
export function unknownUser(email: string): CamFailure {
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const code = SELF_REGISTRATION_DOMAINS.includes(domain) ? CODE.mayRegister : CODE.notRegistered;
  return new CamFailure(code, `${MESSAGES[code]} (${email})`);
}

export function resolveUsers(state: PracticeState, emails: string[]): CamUser[] {
  return emails.map((email) => {
    const user = state.userByEmail(email);
    if (!user) throw unknownUser(email);
    return user;
  });
}
