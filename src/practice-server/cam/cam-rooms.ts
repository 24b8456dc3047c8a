// updateChatRoom and the schedule API (conference rooms and their reservations)
import { CODE, SUCCESS_BODY } from "../contract";
import { asRecord, badRequest, CamFailure, jsonField, optionalBoolean, requiredString, type CamContext, type CamHandlers } from "./cam-context";
import { roomId } from "../ids";
import { ok, type Reply } from "../http/reply";
import type { ChatRoom } from "../types";

function knownUid(ctx: CamContext, value: unknown, what: string): string {
  const uid = requiredString(value, what).trim();
  if (!ctx.state.userByUid(uid)) throw new CamFailure(CODE.notRegistered, `ユーザが登録されていません。 (${uid})`);
  return uid;
}

export function roomView(room: ChatRoom) {
  const { locked: _locked, ...view } = room;
  return view;
}

function updateChatRoom(ctx: CamContext<"updateChatRoom">): Reply {
  const input = asRecord(jsonField(ctx.fields, "chatRoom"), "chatRoom");
  const state = ctx.state;
  const id = input.id === undefined || input.id === null || input.id === "" ? undefined : String(input.id);
  let room: ChatRoom | undefined;
  if (id !== undefined) {
    room = state.roomById(id);
    if (!room) throw new CamFailure(CODE.groupMissing, `グループが存在しません。 (${id})`);
    if (room.locked || (!ctx.user.admin && room.adminUserId !== ctx.user.uid)) throw new CamFailure(CODE.groupLocked);
  }
  const name = input.name === undefined ? undefined : requiredString(input.name, "chatRoom.name").trim();
  if (!room && !name) throw badRequest("chatRoom.name is required for a new room");
  if (name !== undefined && !name) throw badRequest("chatRoom.name is empty");
  const other = name === undefined ? undefined : state.roomByName(name);
  if (other && other !== room) throw badRequest(`a room named ${name} exists`);
  const isPublic = optionalBoolean(input.isPublic, "chatRoom.isPublic");
  const isMessageThread = optionalBoolean(input.isMessageThread, "chatRoom.isMessageThread");
  const createUserId = input.createUserId === undefined ? undefined : knownUid(ctx, input.createUserId, "chatRoom.createUserId");
  const adminUserId = input.adminUserId === undefined ? undefined : knownUid(ctx, input.adminUserId, "chatRoom.adminUserId");
  let memberUids: Record<string, boolean> | undefined;
  if (input.memberUids !== undefined) {
    memberUids = {};
    for (const [uid, member] of Object.entries(asRecord(input.memberUids, "chatRoom.memberUids"))) {
      if (optionalBoolean(member, `chatRoom.memberUids.${uid}`)) memberUids[knownUid(ctx, uid, "memberUids")] = true;
      else knownUid(ctx, uid, "memberUids");
    }
  }
  const now = state.now();
  if (!room) {
    const creator = createUserId ?? ctx.user.uid;
    room = {
      id: roomId(now),
      name: name!,
      createUserId: creator,
      adminUserId: adminUserId ?? creator,
      isPublic: isPublic ?? true,
      isMessageThread: isMessageThread ?? false,
      memberUids: memberUids ?? { [creator]: true },
      updatedAt: now,
    };
    state.data.rooms.push(room);
  } else {
    if (name !== undefined) room.name = name;
    if (createUserId !== undefined) room.createUserId = createUserId;
    if (adminUserId !== undefined) room.adminUserId = adminUserId;
    if (isPublic !== undefined) room.isPublic = isPublic;
    if (isMessageThread !== undefined) room.isMessageThread = isMessageThread;
    if (memberUids !== undefined) room.memberUids = memberUids;
    room.updatedAt = now;
  }
  state.reindex();
  state.changed();
  return ok({ chatRoom: roomView(room) });
}

function getConferenceRooms(ctx: CamContext<"getConferenceRooms" | "getConferenceMaster">): Reply {
  return ok({ conferenceRooms: ctx.state.data.conferenceRooms });
}

/** [yyyyMMdd] as a month or a day in the practice server's local time zone → [start, end) in ms */
function period(text: string): [number, number] | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]) - 1, m[3] === undefined ? undefined : Number(m[3])];
  const start = new Date(year, month, day ?? 1);
  if (month > 11 || start.getMonth() !== month || (day !== undefined && start.getDate() !== day)) return undefined;
  const end = day === undefined ? new Date(year, month + 1, 1) : new Date(year, month, day + 1);
  return [start.getTime(), end.getTime()];
}

function getConferenceRoomStatus(ctx: CamContext<"getConferenceRoomStatus">): Reply {
  const arg = (ctx.fields.yyyyMMdd ?? "").trim();
  const rooms = ctx.state.data.conferenceRooms;
  if (!arg) return ok(SUCCESS_BODY.roomStatus(rooms));
  const range = period(arg);
  if (!range) throw badRequest("yyyyMMdd must be a month (201908) or a day (20190801)");
  const [from, to] = range;
  const inRange = ctx.state.data.reservations.filter((r) => r.startDate < to && r.endDate > from);
  const conferenceRooms = rooms.map((room) => ({
    ...room,
    reservedSchedules: inRange.filter((r) => r.conferenceRoomId === room.id).map(({ conferenceRoomId: _id, ...schedule }) => schedule),
  }));
  return ok(SUCCESS_BODY.roomStatus(conferenceRooms));
}

export const ROOM_HANDLERS: CamHandlers<"updateChatRoom" | "getConferenceRooms" | "getConferenceMaster" | "getConferenceRoomStatus"> = {
  updateChatRoom,
  getConferenceRooms,
  getConferenceMaster: getConferenceRooms,
  getConferenceRoomStatus,
};
