// xAssist CallLogs: creation from a createCall body, and the Planned → Started → Ended lifecycle.
import { CALL_REASONS, CALL_TYPES } from "../../xassist/xassist-apis";
import { uuid } from "../ids";
import type { PracticeState } from "../state";
import type { XaCall, XaContact, XaUser } from "../types";

/** A lifecycle or validation failure with the HTTP status to answer. */
export class XaFailure extends Error {
  constructor(
    public httpStatus: number,
    message: string
  ) {
    super(message);
  }
}

const invalid = (message: string) => new XaFailure(400, message);

function contactOf(state: PracticeState, user: XaUser): XaContact {
  return {
    id: ++state.data.counters.contact,
    displayName: user.displayName,
    domain: user.domain,
    email: user.email,
    phoneNumber: user.phoneNumber || null,
    userDbId: user.userDbId,
    userId: user.userId,
  };
}

function resolveContact(state: PracticeState, input: unknown, i: number): XaContact {
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw invalid(`invitedContacts[${i}] must be an object`);
  const c = input as Record<string, unknown>;
  const users = state.data.xaUsers;
  let user: XaUser | undefined;
  if (c.userDbId !== undefined && c.userDbId !== null) {
    user = users.find((u) => u.userDbId === Number(c.userDbId));
    if (!user) throw invalid(`invitedContacts[${i}]: no user with userDbId ${c.userDbId}`);
  } else if (typeof c.userId === "string" && c.userId) {
    user = users.find((u) => u.userId === c.userId && (c.domain === undefined || c.domain === null || c.domain === u.domain));
    if (!user) throw invalid(`invitedContacts[${i}]: no user ${c.userId}`);
  }
  if (user) return contactOf(state, user);
  // someone without an account, reached by mail or SMS
  const email = typeof c.email === "string" ? c.email : "";
  const phone = typeof c.phoneNumber === "string" ? c.phoneNumber : "";
  if (!email && !phone) throw invalid(`invitedContacts[${i}] needs userDbId, userId, email or phoneNumber`);
  return {
    id: ++state.data.counters.contact,
    displayName: typeof c.displayName === "string" ? c.displayName : email || phone,
    domain: typeof c.domain === "string" ? c.domain : "",
    email,
    phoneNumber: phone || null,
    userDbId: null,
    userId: null,
  };
}

function oneOf(value: unknown, allowed: string[], name: string, fallback?: string): string {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (typeof value !== "string" || !allowed.includes(value)) throw invalid(`${name} must be one of ${allowed.join(", ")}`);
  return value;
}

function optionalBool(value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw invalid(`${name} must be a boolean`);
  return value;
}

function addEvent(state: PracticeState, call: XaCall, type: string, contact: XaContact): void {
  call.callEvents.push({ id: ++state.data.counters.callEvent, type, contact, timestamp: new Date(state.now()).toISOString() });
}

export function createCall(state: PracticeState, caller: XaUser, body: Record<string, unknown>): XaCall {
  const callType = oneOf(body.callType, CALL_TYPES, "callType");
  const callReason = oneOf(body.callReason, CALL_REASONS, "callReason", "STANDARD");
  if (body.callTitle !== undefined && body.callTitle !== null && typeof body.callTitle !== "string") throw invalid("callTitle must be a string");
  const contactsIn = body.invitedContacts ?? [];
  const teamsIn = body.invitedTeams ?? [];
  if (!Array.isArray(contactsIn)) throw invalid("invitedContacts must be an array");
  if (!Array.isArray(teamsIn)) throw invalid("invitedTeams must be an array");
  if (contactsIn.length === 0 && teamsIn.length === 0) throw invalid("invite at least one contact or team");
  const invitedTeams = teamsIn.map((t, i) => {
    const id = typeof t === "object" && t !== null ? (t as { id?: unknown }).id : t;
    const team = state.data.xaTeams.find((x) => x.id === Number(id));
    if (!team) throw invalid(`invitedTeams[${i}]: no team ${String(id)}`);
    return { id: team.id, name: team.name };
  });
  let creator = caller;
  if (body.creatorUser !== undefined && body.creatorUser !== null && body.creatorUser !== "") {
    const found = state.data.xaUsers.find((u) => u.userDbId === Number(body.creatorUser));
    if (!found) throw invalid(`creatorUser: no user with id ${String(body.creatorUser)}`);
    creator = found;
  }
  let plannedDateTime: string | null = null;
  if (body.plannedDateTime !== undefined && body.plannedDateTime !== null) {
    const when = typeof body.plannedDateTime === "string" ? Date.parse(body.plannedDateTime) : NaN;
    if (Number.isNaN(when)) throw invalid("plannedDateTime must be an ISO-8601 date-time or null");
    plannedDateTime = body.plannedDateTime as string;
  }
  const invitedContacts = contactsIn.map((c, i) => resolveContact(state, c, i));
  const creatorContact = contactOf(state, creator);
  const call: XaCall = {
    id: ++state.data.counters.callLog,
    callId: uuid(),
    anonymousJoinAllow: optionalBool(body.joinAnonymousAllowed, "joinAnonymousAllowed"),
    callStatus: plannedDateTime ? "Planned" : "Started",
    creatorContact,
    invitedContacts,
    invitedTeams,
    callTitle: (body.callTitle as string | undefined) ?? "",
    callReason,
    callType,
    plannedDateTime,
    informOthersDirectly: optionalBool(body.informOthersDirectly, "informOthersDirectly"),
    createdAt: new Date(state.now()).toISOString(),
    callEvents: [],
    present: [],
  };
  addEvent(state, call, "Created", creatorContact);
  state.data.xaCalls.push(call);
  state.changed();
  return call;
}

export function callView(call: XaCall) {
  const { present: _present, informOthersDirectly: _inform, createdAt: _created, ...view } = call;
  return view;
}

export function findCall(state: PracticeState, callId: string): XaCall | undefined {
  return state.data.xaCalls.find((c) => c.callId === callId);
}

function everyone(call: XaCall): XaContact[] {
  return [call.creatorContact, ...call.invitedContacts];
}

/** userId absent = an anonymous guest */
export function joinCall(state: PracticeState, call: XaCall, userId: string | undefined): XaContact {
  if (call.callStatus === "Ended") throw new XaFailure(409, "the call has ended");
  let contact: XaContact | undefined;
  if (userId === undefined) {
    if (!call.anonymousJoinAllow) throw new XaFailure(403, "anonymous joins are not allowed in this call");
    contact = { id: ++state.data.counters.contact, displayName: "Anonymous guest", domain: "", email: "", phoneNumber: null, userDbId: null, userId: null };
  } else {
    contact = everyone(call).find((c) => c.userId === userId);
    if (!contact) {
      const user = state.data.xaUsers.find((u) => u.userId === userId);
      if (!user) throw new XaFailure(400, `no user ${userId}`);
      const viaTeam = call.invitedTeams.some((t) => state.data.xaTeams.find((x) => x.id === t.id)?.memberUserDbIds.includes(user.userDbId));
      if (!viaTeam && !call.anonymousJoinAllow) throw new XaFailure(403, `${userId} is not invited`);
      contact = contactOf(state, user);
    }
    if (call.present.includes(contact.id)) throw new XaFailure(409, `${userId} is already in the call`);
  }
  call.present.push(contact.id);
  addEvent(state, call, "Join", contact);
  call.callStatus = "Started";
  state.changed();
  return contact;
}

function contactById(call: XaCall, id: number): XaContact {
  for (let i = call.callEvents.length - 1; i >= 0; i--) if (call.callEvents[i].contact.id === id) return call.callEvents[i].contact;
  return call.creatorContact;
}

/** The user ids of those in the call now (null for an anonymous guest). */
export function presentUserIds(call: XaCall): Array<string | null> {
  return call.present.map((id) => contactById(call, id).userId);
}

export function leaveCall(state: PracticeState, call: XaCall, userId: string | undefined): void {
  const id = call.present.find((pid) => {
    const c = contactById(call, pid);
    return userId === undefined ? c.userId === null : c.userId === userId;
  });
  if (id === undefined) throw new XaFailure(409, `${userId ?? "no anonymous guest"} is not in the call`);
  call.present = call.present.filter((pid) => pid !== id);
  addEvent(state, call, "Leave", contactById(call, id));
  if (call.present.length === 0) endCall(state, call);
  state.changed();
}

export function endCall(state: PracticeState, call: XaCall): void {
  if (call.callStatus === "Ended") throw new XaFailure(409, "the call has ended");
  for (const id of call.present) addEvent(state, call, "Leave", contactById(call, id));
  call.present = [];
  call.callStatus = "Ended";
  addEvent(state, call, "Ended", call.creatorContact);
  state.changed();
}
