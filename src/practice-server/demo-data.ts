// The demo state: enough users, rooms and schedules that every sample of the manual succeeds.
import { randomToken } from "./ids";
import { XA_FIRST_CALL_ID, XA_FIRST_EVENT_ID, XA_PERMISSION_CREATE_CALL } from "./contract";
import type { CamUser, ChatRoom, ConferenceRoom, Reservation, PracticeData, XaTeam, XaUser } from "./types";

const DEMO_ADMIN_EMAIL = "admin@example.com";
const DEMO_USER_EMAIL = "operator@example.com";
const DEMO_DISABLED_EMAIL = "intern@example.com";

export const XA_DEMO = {
  domain: "ubimax", // the domain of the manual's sample contact
  password: "practice-server",
  connector: { userDbId: 11, userId: "node-red", displayName: "Node-RED Connector", email: "node-red@example.com" },
  expert: { userDbId: 10, userId: "expert1", displayName: "Erika Expert", email: "expert1@example.com" },
  glasses: { userDbId: 12, userId: "glasses1", displayName: "Smart Glasses (Line 3)", email: "glasses1@example.com" },
  tester: { userDbId: 8, userId: "tester", displayName: "Tester", email: "test@test.de" },
  callertest2: { userDbId: 9, userId: "callertest2", displayName: "Caller Test 2", email: "callertest2@example.com" },
  team: { id: 1, name: "Maintenance Experts" },
};

function user(uid: string, email: string, name: string, department: string, admin = false, apiEnabled = true): CamUser {
  return { uid, email, name, department, admin, apiEnabled };
}

function demoUsers(): CamUser[] {
  return [
    // uids of the manual's updateChatRoom sample
    user("11u1pu9d32p8vuvjoZdd", DEMO_ADMIN_EMAIL, "Demo Admin", "IT", true),
    user("1lmn7hoh3s1ja26fsazw", "user1@xxx.com", "User One (xxx)", "Sales"),
    user("hhx10sfdv1jyou4la1ny", "user2@xxx.com", "User Two (xxx)", "Sales"),
    user("3400w9rfvs504c35dt99", "user1@test.com", "User One (test)", "QA"),
    user("309d32p8vuvjo5euuuwx", "user2@test.com", "User Two (test)", "QA"),
    user("op9k2m4n6p8r0t2v4x6z", DEMO_USER_EMAIL, "Node-RED Operator", "Operations"),
    user("ta7r0y4m4d4a5h1n0b3e", "taro@example.com", "山田 太郎", "営業部"),
    user("ha9n4k0s8z7k3x1q5w2e", "hanako@example.com", "佐藤 花子", "総務部"),
    user("in5t3r9n0a1p2i3d4i5s", DEMO_DISABLED_EMAIL, "Intern (no API)", "Operations", false, false),
  ];
}

function room(id: string, name: string, members: string[], extra: Partial<ChatRoom> = {}): ChatRoom {
  const memberUids: Record<string, boolean> = {};
  for (const uid of members) memberUids[uid] = true;
  return {
    id,
    name,
    createUserId: "11u1pu9d32p8vuvjoZdd",
    adminUserId: "11u1pu9d32p8vuvjoZdd",
    isPublic: true,
    isMessageThread: false,
    memberUids,
    updatedAt: 0,
    ...extra,
  };
}

function demoRooms(users: CamUser[]): ChatRoom[] {
  const uid = (email: string) => users.find((u) => u.email === email)!.uid;
  const xxx = [uid(DEMO_ADMIN_EMAIL), uid("user1@xxx.com"), uid("user2@xxx.com")];
  const all = users.filter((u) => u.apiEnabled).map((u) => u.uid);
  return [
    room("1564831284700000001", "ルーム名", xxx),
    room("1564831284700000002", "Raumname", xxx), // the German page's room
    room("1564831284700000003", "룸 이름", xxx), // the Korean page's room
    room("1564831284700000004", "test", [uid("user1@test.com"), uid("user2@test.com"), uid(DEMO_ADMIN_EMAIL)]),
    room("1564831284700000005", "general", all),
    room("1564831284700000006", "alerts", [uid(DEMO_USER_EMAIL), uid(DEMO_ADMIN_EMAIL), uid("hanako@example.com")]),
    room(
      "1564831284702237059",
      "秘密会議",
      users.slice(0, 5).map((u) => u.uid),
      { isPublic: false }
    ),
    room("1564831284700000008", "announcements", all, { locked: true }),
  ];
}

function demoConferenceRooms(): ConferenceRoom[] {
  return [
    { id: "cr-1", name: "会議室A", capacity: 8, location: "3F" },
    { id: "cr-2", name: "会議室B", capacity: 4, location: "3F" },
    { id: "cr-3", name: "Board Room", capacity: 16, location: "5F" },
    { id: "cr-4", name: "Focus Booth", capacity: 1, location: "2F" },
  ];
}

const MEETING_TITLES = ["定例会議", "Sprint review", "顧客打合せ", "1on1", "Design review", "採用面接"];
const ORGANISERS = [DEMO_ADMIN_EMAIL, "taro@example.com", "hanako@example.com", "user1@xxx.com"];

/** Weekday reservations from two months before to three months after `now`, the same on every reset of a day. */
function demoReservations(now: number, rooms: ConferenceRoom[]): Reservation[] {
  const out: Reservation[] = [];
  const today = new Date(now);
  const day = new Date(today.getFullYear(), today.getMonth() - 2, 1);
  const end = new Date(today.getFullYear(), today.getMonth() + 4, 1);
  let n = 0;
  for (; day < end; day.setDate(day.getDate() + 1)) {
    if (day.getDay() === 0 || day.getDay() === 6) continue;
    rooms.forEach((room, r) => {
      const seed = day.getDate() * 7 + day.getMonth() * 13 + r * 5;
      const slots = seed % 3; // 0..2 meetings a day in each room
      for (let s = 0; s < slots; s++) {
        const hour = 9 + ((seed + s * 4) % 4) + s * 4;
        const start = new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour, (seed % 2) * 30);
        n++;
        out.push({
          id: `rsv-${n}`,
          conferenceRoomId: room.id,
          title: MEETING_TITLES[(seed + s) % MEETING_TITLES.length],
          reservedBy: ORGANISERS[(seed + s) % ORGANISERS.length],
          startDate: start.getTime(),
          endDate: start.getTime() + (1 + ((seed + s) % 2)) * 3600_000,
        });
      }
    });
  }
  return out;
}

function xaUser(base: { userDbId: number; userId: string; displayName: string; email: string }, role: string, canCreate: boolean): XaUser {
  const permissions = ["CALL_JOIN", "CALL_VIEW", ...(canCreate ? [XA_PERMISSION_CREATE_CALL] : [])];
  return { ...base, domain: XA_DEMO.domain, phoneNumber: "", password: XA_DEMO.password, role, permissions };
}

function demoXaUsers(): XaUser[] {
  return [
    xaUser(XA_DEMO.tester, "Expert", true),
    xaUser(XA_DEMO.callertest2, "Expert", true),
    xaUser(XA_DEMO.expert, "Expert", true),
    xaUser(XA_DEMO.connector, "Connector", true),
    xaUser(XA_DEMO.glasses, "Worker", false), // smart glasses only join calls
  ];
}

function demoXaTeams(): XaTeam[] {
  return [{ ...XA_DEMO.team, memberUserDbIds: [XA_DEMO.expert.userDbId, XA_DEMO.tester.userDbId] }];
}

export function demoTokens(adminToken?: string): PracticeData["tokens"] {
  return { admin: adminToken || randomToken(26), user: randomToken(26), disabled: randomToken(26) };
}

export function demoData(now: number, tokens: PracticeData["tokens"]): PracticeData {
  const users = demoUsers();
  const conferenceRooms = demoConferenceRooms();
  const rooms = demoRooms(users);
  for (const r of rooms) r.updatedAt = now;
  return {
    version: 1,
    tokens,
    tokenOwners: {
      [tokens.admin]: DEMO_ADMIN_EMAIL,
      [tokens.user]: DEMO_USER_EMAIL,
      [tokens.disabled]: DEMO_DISABLED_EMAIL,
    },
    users,
    rooms,
    roomMessages: {},
    directMessages: {},
    quickCalls: [],
    conferenceRooms,
    reservations: demoReservations(now, conferenceRooms),
    xaUsers: demoXaUsers(),
    xaTeams: demoXaTeams(),
    xaCalls: [],
    counters: { message: 0, callLog: XA_FIRST_CALL_ID - 1, callEvent: XA_FIRST_EVENT_ID - 1, contact: 0, participant: 0 },
  };
}
