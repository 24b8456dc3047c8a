"use strict";
const assert = require("node:assert/strict");
const x = require("../support/xassist-support");
const { helper } = x;

describe("xassist-call-log", function () {
  let practiceServer;
  let created;
  before(async () => (practiceServer = await x.startPracticeServer()));
  after(() => practiceServer.close());
  beforeEach(async () => (created = await x.createCallDirectly(practiceServer)));
  afterEach(async () => {
    await helper.unload();
    await x.resetPracticeServer(practiceServer);
  });

  async function load(props = {}) {
    await helper.load(x.allNodes, x.xassistFlow("xassist-call-log", props, { url: practiceServer.url }), x.demoCredentials(practiceServer));
  }

  it("outputs the CallLog of a callId in msg.payload, with the events so far", async () => {
    await x.control(practiceServer, "POST", `xassist/calls/${created.callId}/join`, { userId: practiceServer.xassist.expertUsername });
    await load();
    const { msg, error } = await x.outcome({ payload: created.callId });
    assert.equal(error, undefined, error && error.message);
    assert.equal(msg.payload.callId, created.callId);
    assert.equal(msg.callId, created.callId);
    assert.equal(msg.payload.callStatus, "Started");
    assert.deepEqual(
      msg.payload.callEvents.map((e) => e.type),
      ["Created", "Join"]
    );
    assert.equal(msg.payload.callEvents[1].contact.userId, "expert1");
    const [req] = await x.recorded(practiceServer).then((list) => list.filter((r) => r.path === "/rtc/getCallLogById"));
    assert.equal(req.method, "GET");
  });

  it("takes the callId from a CallLog object in msg.payload (the create-call output)", async () => {
    await load();
    const { msg, error } = await x.outcome({ payload: created });
    assert.equal(error, undefined, error && error.message);
    assert.equal(msg.payload.id, created.id);
  });

  it("reads the callId from the configured property", async () => {
    await load({ callId: "call.id", callIdType: "msg" });
    const { msg } = await x.outcome({ call: { id: created.callId } });
    assert.equal(msg.payload.callId, created.callId);
  });

  for (const [payload, reason] of [
    [undefined, /a value is required/],
    [{ other: 1 }, /no callId/],
    ["two words", /not a callId/],
    [[1], /must be text/],
  ]) {
    it(`rejects ${JSON.stringify(payload)} naming the field callId, before any request`, async () => {
      await load();
      const { error } = await x.outcome({ payload });
      assert.equal(error.code, "INVALID_INPUT");
      assert.equal(error.cause.field, "callId");
      assert.match(error.message, reason);
      assert.deepEqual(await x.recorded(practiceServer), []);
    });
  }

  it("reports an unknown call as HTTP_404 with the server's message", async () => {
    await load();
    const { error } = await x.outcome({ payload: "00000000-0000-0000-0000-000000000000" });
    assert.equal(error.code, "HTTP_404");
    assert.equal(error.cause.status, 404);
    assert.equal(error.cause.apiMessage, "no call 00000000-0000-0000-0000-000000000000");
    assert.match(error.message, /404/);
  });

  it("retries a transient 503 and then succeeds", async () => {
    await load();
    await x.control(practiceServer, "POST", "faults", { kind: "http503", count: 1, apiName: "rtc/getCallLogById" });
    const { msg, error } = await x.outcome({ payload: created.callId });
    assert.equal(error, undefined, error && error.message);
    assert.equal(msg.payload.callId, created.callId);
    const statuses = (await x.recorded(practiceServer)).filter((r) => r.path === "/rtc/getCallLogById").map((r) => r.outcome.httpStatus);
    assert.deepEqual(statuses, [503, 200]);
  });
});
