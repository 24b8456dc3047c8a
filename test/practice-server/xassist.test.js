// xAssist: login, forceLogin, refresh, expiry, createCall and the CallLog lifecycle.
const assert = require("node:assert/strict");
const { startPracticeServer, control, xa, login } = require("../fixtures/practice-server/helpers");

// the body of the manual's Node.js fetch example, byte for byte
const MANUAL_CREATE_CALL_BODY =
  '{"callType":"SFU","invitedContacts":[{"userId":"tester","userDbId":8,"email":"test@test.com","domain":"ubimax","displayName":"Tester","phoneNumber":null}],"invitedTeams":[],"joinAnonymousAllowed":false,"callTitle":"New Call","plannedDateTime":null,"callReason":"STANDARD"}';

describe("practice server: xAssist", function () {
  let sb;
  before(async () => (sb = await startPracticeServer()));
  after(() => sb.close());
  beforeEach(() => control(sb, "POST", "reset"));

  const credentials = (extra = {}) => ({
    username: sb.xassist.username,
    password: sb.xassist.password,
    domain: sb.xassist.domain,
    agreedToTos: "true",
    ...extra,
  });
  const getCall = (callId, token) => xa(sb, "GET", `/rtc/getCallLogById?callId=${callId}`, undefined, token);

  describe("login", () => {
    it("returns token, refreshToken and permissions; the token is a JWT that expires after the configured lifetime", async () => {
      const res = await login(sb);
      assert.deepEqual(Object.keys(res).sort(), ["permissions", "refreshToken", "token"]);
      assert.ok(res.permissions.includes("CALL_CREATE"));
      const payload = JSON.parse(Buffer.from(res.token.split(".")[1], "base64url").toString());
      assert.equal(payload.exp - payload.iat, 300);
      const refresh = JSON.parse(Buffer.from(res.refreshToken.split(".")[1], "base64url").toString());
      assert.equal(refresh.exp - refresh.iat, 7 * 24 * 3600);
    });

    it("401 with a Spring-style body for a wrong password, 400 without agreedToTos or with bad JSON", async () => {
      const res = await xa(sb, "POST", "/login", credentials({ password: "nope" }));
      assert.equal(res.httpStatus, 401);
      assert.deepEqual(Object.keys(res.json).sort(), ["error", "message", "path", "status", "timestamp"]);
      assert.equal(res.json.status, 401);
      assert.equal(res.json.path, "/login");
      assert.equal((await xa(sb, "POST", "/login", credentials({ domain: "other" }))).httpStatus, 401);
      assert.equal((await xa(sb, "POST", "/login", credentials({ agreedToTos: undefined }))).httpStatus, 400);
      assert.equal((await xa(sb, "POST", "/login", "{oops")).httpStatus, 400);
      assert.equal((await xa(sb, "GET", "/login")).httpStatus, 405);
    });

    it("401 without a token, with a garbage one, and after expiry; refresh gives a working token", async () => {
      const { token, refreshToken } = await login(sb);
      const call = await xa(sb, "POST", "/rtc/createCall", MANUAL_CREATE_CALL_BODY, token);
      assert.equal(call.httpStatus, 200);
      const callId = call.json.callId;
      assert.equal((await getCall(callId)).httpStatus, 401);
      assert.equal((await getCall(callId, "abc.def.ghi")).httpStatus, 401);
      await control(sb, "POST", "clock", { advanceMs: 301_000 });
      assert.equal((await getCall(callId, token)).httpStatus, 401, "expired");
      const refreshed = await xa(sb, "POST", "/auth/refresh", { refreshToken });
      assert.equal(refreshed.httpStatus, 200);
      assert.notEqual(refreshed.json.token, token);
      assert.equal((await getCall(callId, refreshed.json.token)).httpStatus, 200);
      assert.equal((await xa(sb, "POST", "/auth/refresh", { refreshToken: token })).httpStatus, 401, "an access token is no refresh token");
      await control(sb, "POST", "clock", { advanceMs: 7 * 24 * 3600_000 });
      assert.equal((await xa(sb, "POST", "/auth/refresh", { refreshToken })).httpStatus, 401, "refresh token expired");
    });

    it("the token lifetime is a setting", async () => {
      await control(sb, "POST", "settings", { xassistTokenLifetimeSec: 10 });
      const { token } = await login(sb);
      const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
      assert.equal(payload.exp - payload.iat, 10);
      await control(sb, "POST", "clock", { advanceMs: 11_000 });
      assert.equal((await xa(sb, "POST", "/rtc/createCall", MANUAL_CREATE_CALL_BODY, token)).httpStatus, 401);
      await control(sb, "POST", "settings", { xassistTokenLifetimeSec: 300 });
    });

    it("forceLogin ends the older sessions: their access and refresh tokens get 401", async () => {
      const old = await login(sb);
      const other = await login(sb, sb.xassist.expertUsername);
      const fresh = await login(sb, sb.xassist.username, "/auth/forceLogin");
      assert.equal((await xa(sb, "POST", "/rtc/createCall", MANUAL_CREATE_CALL_BODY, old.token)).httpStatus, 401);
      assert.equal((await xa(sb, "POST", "/auth/refresh", { refreshToken: old.refreshToken })).httpStatus, 401);
      assert.equal((await xa(sb, "POST", "/rtc/createCall", MANUAL_CREATE_CALL_BODY, fresh.token)).httpStatus, 200);
      assert.equal((await xa(sb, "POST", "/rtc/createCall", MANUAL_CREATE_CALL_BODY, other.token)).httpStatus, 200, "other users keep theirs");
    });
  });

  describe("calls", () => {
    let token;
    beforeEach(async () => (token = (await login(sb)).token));

    it("creates the manual's call and returns a CallLog", async () => {
      const res = await xa(sb, "POST", "/rtc/createCall", MANUAL_CREATE_CALL_BODY, token);
      const log = res.json;
      assert.equal(log.id, 842);
      assert.match(log.callId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(log.anonymousJoinAllow, false);
      assert.equal(log.callStatus, "Started", "no plannedDateTime");
      assert.equal(log.callTitle, "New Call");
      assert.equal(log.callType, "SFU");
      assert.equal(log.creatorContact.userId, "node-red");
      assert.equal(log.invitedContacts[0].userId, "tester");
      assert.equal(log.invitedContacts[0].userDbId, 8);
      assert.deepEqual(
        log.callEvents.map((e) => e.type),
        ["Created"]
      );
      assert.equal(log.callEvents[0].contact.userId, "node-red");
      assert.deepEqual((await getCall(log.callId, token)).json, log);
    });

    it("brokers a call for the smart glasses with the expert and a team, planned first", async () => {
      const x = sb.xassist;
      const body = {
        callTitle: "Pump 7 vibration",
        callReason: "SERVICE_REQUEST",
        callType: "SFU",
        invitedContacts: [x.contacts.expert, x.contacts.connector].map((c) => ({
          userDbId: c.userDbId,
          userId: c.userId,
          domain: c.domain,
          email: c.email,
          displayName: c.displayName,
          phoneNumber: "",
        })),
        invitedTeams: [{ id: x.teamId }],
        joinAnonymousAllowed: true,
        informOthersDirectly: true,
        creatorUser: x.glassesUserDbId,
        plannedDateTime: new Date(Date.now() + 3600_000).toISOString(),
      };
      const log = (await xa(sb, "POST", "/rtc/createCall", body, token)).json;
      assert.equal(log.callStatus, "Planned");
      assert.equal(log.creatorContact.userDbId, x.glassesUserDbId);
      assert.equal(log.anonymousJoinAllow, true);
      assert.equal(log.invitedTeams[0].id, x.teamId);

      const step = async (action, userId) => (await control(sb, "POST", `xassist/calls/${log.callId}/${action}`, userId ? { userId } : {})).json;
      assert.equal((await step("join", x.expertUsername)).callStatus, "Started");
      await step("join", x.glassesUsername);
      await step("join"); // anonymous guest
      await step("leave", x.expertUsername);
      await step("leave");
      const ended = await step("leave", x.glassesUsername);
      assert.equal(ended.callStatus, "Ended");
      assert.deepEqual(
        ended.callEvents.map((e) => e.type),
        ["Created", "Join", "Join", "Join", "Leave", "Leave", "Leave", "Ended"]
      );
      assert.deepEqual(
        ended.callEvents.slice(1, 3).map((e) => e.contact.userId),
        ["expert1", "glasses1"]
      );
      const ids = ended.callEvents.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b)
      );
      assert.deepEqual((await getCall(log.callId, token)).json.callStatus, "Ended");
      assert.equal((await control(sb, "POST", `xassist/calls/${log.callId}/join`, { userId: x.expertUsername })).httpStatus, 409);
    });

    it("end closes a running call; anonymous joins follow the call's flag", async () => {
      const log = (await xa(sb, "POST", "/rtc/createCall", MANUAL_CREATE_CALL_BODY, token)).json;
      assert.equal((await control(sb, "POST", `xassist/calls/${log.callId}/join`, {})).httpStatus, 403);
      assert.equal((await control(sb, "POST", `xassist/calls/${log.callId}/join`, { userId: "expert1" })).httpStatus, 403, "not invited");
      await control(sb, "POST", `xassist/calls/${log.callId}/join`, { userId: "tester" });
      const ended = (await control(sb, "POST", `xassist/calls/${log.callId}/end`)).json;
      assert.equal(ended.callStatus, "Ended");
      assert.deepEqual(
        ended.callEvents.map((e) => e.type),
        ["Created", "Join", "Leave", "Ended"]
      );
      assert.equal((await control(sb, "POST", `xassist/calls/${log.callId}/end`)).httpStatus, 409);
      assert.equal((await control(sb, "POST", "xassist/calls/nope/end")).httpStatus, 404);
    });

    const invalid = {
      "bad JSON": "{",
      "unknown callType": { callType: "P2P", invitedContacts: [{ userId: "tester" }] },
      "unknown callReason": { callType: "MESH", callReason: "FUN", invitedContacts: [{ userId: "tester" }] },
      "nobody invited": { callType: "MESH", invitedContacts: [], invitedTeams: [] },
      "unknown userDbId": { callType: "MESH", invitedContacts: [{ userDbId: 999 }] },
      "unknown team": { callType: "SFU", invitedTeams: [{ id: 99 }] },
      "unknown creatorUser": { callType: "MESH", invitedContacts: [{ userId: "tester" }], creatorUser: 999 },
      "bad plannedDateTime": { callType: "MESH", invitedContacts: [{ userId: "tester" }], plannedDateTime: "soon" },
      "joinAnonymousAllowed not boolean": { callType: "MESH", invitedContacts: [{ userId: "tester" }], joinAnonymousAllowed: "yes" },
    };
    for (const [what, body] of Object.entries(invalid)) {
      it(`400 for ${what}`, async () => {
        const res = await xa(sb, "POST", "/rtc/createCall", body, token);
        assert.equal(res.httpStatus, 400);
        assert.equal(res.json.status, 400);
        assert.equal(res.json.path, "/rtc/createCall");
      });
    }

    it("403 for a user without CALL_CREATE, 404 for an unknown call, 400 without callId", async () => {
      const glasses = await login(sb, sb.xassist.glassesUsername);
      assert.equal((await xa(sb, "POST", "/rtc/createCall", MANUAL_CREATE_CALL_BODY, glasses.token)).httpStatus, 403);
      assert.equal((await getCall("00000000-0000-4000-8000-000000000000", token)).httpStatus, 404);
      assert.equal((await xa(sb, "GET", "/rtc/getCallLogById", undefined, token)).httpStatus, 400);
    });

    it("invites someone without an account by e-mail", async () => {
      const body = { callType: "MESH", invitedContacts: [{ displayName: "Guest", email: "guest@customer.example" }] };
      const log = (await xa(sb, "POST", "/rtc/createCall", body, token)).json;
      assert.equal(log.invitedContacts[0].userDbId, null);
      assert.equal(log.invitedContacts[0].email, "guest@customer.example");
    });
  });
});
