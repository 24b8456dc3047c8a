"use strict";
// What the fuzz test (test/nodes/fuzz.test.js) needs to know of each operation: plausible values per
// input name, so that a good share of its cases pass validation and reach the practice server, and
// the shape of each node's output on success. The rules test (test/unit/adding-an-api.test.js)
// checks in seconds that every operation of the tables has both, step (f) of docs/adding-an-api.md.
const fc = require("fast-check");
const { API_NAME } = require("../../nodes/cam/cam-client");
const { XASSIST_PATHS } = require("../../nodes/xassist/xassist-client");

const emails = fc.constantFrom("user1@xxx.com", "user2@test.com", "taro@example.com", "nobody@unknown.test", "user1@xxx.com, user2@xxx.com");
const rooms = fc.constantFrom("general", "alerts", "test", "ルーム名", "announcements", "no such room");

/** Plausible Chat&Messenger values per input name. */
const plausible = {
  room: rooms,
  recipients: fc.oneof(emails, fc.array(emails, { maxLength: 3 })),
  users: fc.oneof(emails, fc.array(emails, { maxLength: 3 })),
  message: fc.oneof(fc.string(), fc.string({ unit: "grapheme" })),
  sealed: fc.oneof(fc.boolean(), fc.constantFrom("true", "false", 0, 1)),
  messages: fc.array(
    fc.oneof(fc.record({ message: fc.string({ minLength: 1 }), users: emails }), fc.record({ send: rooms, message: fc.string({ minLength: 1 }) })),
    { minLength: 1, maxLength: 5 }
  ),
  expires: fc.oneof(
    fc.constantFrom("1h", "30m", "2d", "1d"),
    fc.integer({ min: 1, max: 1e9 }).map((ms) => Date.now() + ms)
  ),
  title: fc.string(),
  password: fc.string(),
  userName: fc.string(),
  roomName: fc.oneof(fc.string({ minLength: 1 }), fc.record({ sid: fc.string({ minLength: 1 }) })),
  path: fc.constantFrom("users.csv", "exportUsers.csv", "a b.csv"),
  csv: fc.oneof(
    fc.constant("email,name\r\nfuzz@example.com,Fuzz"),
    fc.array(fc.record({ email: fc.constantFrom("a@example.com", "b@example.com"), name: fc.string() }), { minLength: 1, maxLength: 3 })
  ),
  filename: fc.constantFrom("users.csv", "x.csv"),
  chatRoom: fc.record({ name: fc.string({ minLength: 1 }).map((n) => `fuzz ${n}`), isPublic: fc.boolean() }),
  period: fc.constantFrom("202401", "20240115", "today", "month", ""),
  apiName: fc.constantFrom("getConferenceMaster", "getConferenceRooms", "noSuchApi"),
  fields: fc.oneof(fc.constant(undefined), fc.constant({}), fc.record({ yyyyMMdd: fc.constantFrom("202401") })),
};

/** Plausible xAssist values per input name: `x` is the practice server's demo users and team (practiceServer.xassist). */
function plausibleXassist(x) {
  const contact = fc.constantFrom(
    x.expertUserDbId,
    String(x.glassesUserDbId),
    "node-red",
    "expert1@example.com",
    "+49 170 1234567",
    { userDbId: x.expertUserDbId },
    { email: "expert1@example.com" }
  );
  return {
    title: fc.string(),
    reason: fc.constantFrom("STANDARD", "SERVICE_REQUEST", "standard", ""),
    callType: fc.constantFrom("auto", "MESH", "SFU", "sfu"),
    contacts: fc.oneof(contact, fc.array(contact, { minLength: 1, maxLength: 3 }), fc.constant(`${x.expertUserDbId}, node-red`)),
    teams: fc.constantFrom(undefined, "", 1, "1", [{ id: 1 }]),
    anonymous: fc.boolean(),
    inform: fc.boolean(),
    creatorUser: fc.constantFrom(undefined, "", x.glassesUserDbId, String(x.expertUserDbId)),
    planned: fc.constantFrom(undefined, "", new Date(Date.now() + 864e5).toISOString(), Date.now() + 36e5),
    callId: fc.oneof(fc.uuid(), fc.constantFrom("no-such-call")),
  };
}

/** The plausible values for an operation's inputs, by its API (the node type's prefix). */
const plausibleFor = (type, xassistDemo) => (type.startsWith("xassist-") ? plausibleXassist(xassistDemo) : plausible);

/** What each node's output must hold when the practice server accepted the request. */
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const SUCCESS = {
  "cam-send-message": (p) => isObject(p) && p.status === 200,
  "cam-send-messages": (p) => Number.isInteger(p?.count) && p.batches.every((b) => b.ok) && p.count === p.batches.reduce((sum, b) => sum + b.count, 0),
  "cam-create-quick-call": (p) => typeof p?.sid === "string" && typeof p.url === "string" && Number.isInteger(p.expiredDate),
  "cam-call-stats": (p) => typeof p?.participants === "number",
  "cam-export-users": (p) => typeof p === "string" && p.startsWith("email,"),
  "cam-update-users": (p) => isObject(p) && p.status === 200,
  "cam-update-chat-room": (p) => typeof p?.id === "string" && typeof p.name === "string",
  "cam-conference-rooms": (p) => Array.isArray(p),
  "cam-room-status": (p) => Array.isArray(p),
  "cam-api": (p) => Array.isArray(p?.conferenceRooms),
  "xassist-create-call": (p) => typeof p?.callId === "string",
  "xassist-call-log": (p) => typeof p?.callId === "string",
};

/** The request paths a node may use: a Chat&Messenger API name (digits too: getFilteredCallLogsV2), or an xAssist path of the client's table. */
const CAM_PATH = new RegExp(API_NAME.source.replace("^", "^/"));
const ownPath = (path) => CAM_PATH.test(path) || Object.values(XASSIST_PATHS).includes(path);

module.exports = { plausible, plausibleXassist, plausibleFor, SUCCESS, ownPath };
