"use strict";
// The practice server's own refusals: a real server turns these away, so the practice server must too, or the
// node tests would pass against it with a client that no real server accepts.
const assert = require("node:assert/strict");
const { startPracticeServer, login, errorCode } = require("../fixtures/practice-server/helpers");

const CALL_LOG = "/rtc/getCallLogById?callId=no-such-call";

const changedAt = (text, i) => text.slice(0, i) + (text[i] === "A" ? "B" : "A") + text.slice(i + 1);

describe("practice server: its own refusals", function () {
  let sb;
  before(async () => (sb = await startPracticeServer()));
  after(() => sb.close());

  describe("xAssist wants Authorization: Bearer <access token>", () => {
    let session;
    before(async () => (session = await login(sb)));

    const callLog = async (authorization) => {
      const res = await fetch(`${sb.url}${CALL_LOG}`, { headers: authorization === undefined ? {} : { authorization } });
      return { status: res.status, json: await res.json() };
    };

    it("lets the Bearer access token through (the unknown call is then a 404)", async () => {
      assert.equal((await callLog(`Bearer ${session.token}`)).status, 404);
    });

    for (const [what, header] of [
      ["the bare token, without Bearer", (s) => s.token],
      ["another scheme", (s) => `Token ${s.token}`],
      ["Bearer glued to the token", (s) => `Bearer${s.token}`],
      ["Bearer and nothing else", () => "Bearer "],
      ["the refresh token", (s) => `Bearer ${s.refreshToken}`],
      ["a token changed in one character", (s) => `Bearer ${changedAt(s.token, s.token.length - 10)}`],
      ["no header", () => undefined],
    ]) {
      it(`answers 401 for ${what}`, async () => {
        const { status, json } = await callLog(header(session));
        assert.equal(status, 401);
        assert.equal(json.status, 401);
        assert.equal(json.error, "Unauthorized");
      });
    }
  });

  describe("Chat&Messenger wants x-cam-apiToken with a known token", () => {
    const rooms = async (headers) => {
      const res = await fetch(`${sb.url}/getConferenceRooms`, { headers });
      return { status: res.status, json: await res.json() };
    };

    it("lets the admin token through", async () => {
      const { json } = await rooms({ "x-cam-apiToken": sb.tokens.admin });
      assert.ok(Array.isArray(json.conferenceRooms), JSON.stringify(json));
    });

    for (const [what, headers] of [
      ["no token", () => ({})],
      ["an empty token", () => ({ "x-cam-apiToken": "" })],
      ["a wrong token", () => ({ "x-cam-apiToken": "wrong" })],
      ["the token in other letter case", () => ({ "x-cam-apiToken": sb.tokens.admin.toUpperCase() })],
      ["the token with a character more", () => ({ "x-cam-apiToken": `${sb.tokens.admin}x` })],
      ["the token in another header", () => ({ authorization: `Bearer ${sb.tokens.admin}` })],
      ["a token named like an object's property", () => ({ "x-cam-apiToken": "constructor" })],
    ]) {
      it(`answers HTTP 200 with status 520, code 805 for ${what}`, async () => {
        const { status, json } = await rooms(headers());
        assert.equal(status, 200);
        assert.equal(errorCode(json), "805", JSON.stringify(json));
      });
    }
  });
});
