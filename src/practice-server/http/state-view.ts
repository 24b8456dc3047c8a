// GET /_practice/state: everything the web page shows.
import { PAGE_MESSAGES_PER_LIST } from "../contract";
import { callInProgress, shareUrl } from "../cam/cam-calls";
import { roomView } from "../cam/cam-rooms";
import type { Runtime } from "../runtime";
import type { ChatMessage } from "../types";
import { callView, presentUserIds } from "../xassist/xassist-calls";

const recent = (list: ChatMessage[] | undefined) => (list ?? []).slice(-PAGE_MESSAGES_PER_LIST);

export function stateView(rt: Runtime) {
  const { state } = rt;
  const data = state.data;
  const emailOf = (uid: string) => state.userByUid(uid)?.email ?? uid;
  return {
    url: rt.url,
    version: rt.live.currentVersion,
    now: state.now(),
    maintenance: state.settings.maintenance,
    settings: { rateLimit: state.settings.rateLimit, xassistTokenLifetimeSec: state.settings.xassistTokenLifetimeSec, clockOffsetMs: state.clockOffsetMs },
    requestsTotal: rt.recorder.total,
    faults: rt.faults.pending(),
    users: data.users,
    rooms: data.rooms.map((room) => ({
      ...roomView(room),
      locked: room.locked === true,
      members: Object.keys(room.memberUids)
        .filter((uid) => room.memberUids[uid])
        .map(emailOf),
      messageCount: data.roomMessages[room.id]?.length ?? 0,
      messages: recent(data.roomMessages[room.id]),
    })),
    directMessages: Object.keys(data.directMessages)
      .sort()
      .map((email) => ({
        email,
        name: state.userByEmail(email)?.name ?? email,
        messageCount: data.directMessages[email].length,
        messages: recent(data.directMessages[email]),
      })),
    quickCalls: data.quickCalls.map((call) => ({
      sid: call.sid,
      url: shareUrl(rt.url, call.sid),
      title: call.title,
      hasPassword: call.password !== "",
      creationDate: call.creationDate,
      expiredDate: call.expiredDate,
      participants: call.participants.length,
      participantNames: call.participants.map((p) => p.name),
      inProgress: callInProgress(state, call),
    })),
    conferenceRooms: data.conferenceRooms,
    reservationCount: data.reservations.length,
    xassist: {
      users: data.xaUsers.map(({ password: _password, ...user }) => user),
      teams: data.xaTeams,
      calls: data.xaCalls.map((call) => ({ ...callView(call), present: call.present.length, presentUserIds: presentUserIds(call) })),
    },
  };
}
