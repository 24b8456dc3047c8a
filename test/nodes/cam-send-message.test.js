"use strict";
const assert = require("node:assert/strict");
const { helper, startPracticeServer, recorded, injectFault, resetPracticeServer, operationFlow, outcome, catchNode } = require("../support");
const configNode = require("../../nodes/cam-config.js");
const sendMessageNode = require("../../nodes/cam-send-message.js");
const { inputReason } = require("../support/input-reasons");
const { errorRing } = require("../support/status");

describe("cam-send-message", function () {
  let practiceServer;
  before(async () => (practiceServer = await startPracticeServer()));
  after(() => practiceServer.close());
  afterEach(async () => {
    await helper.unload();
    await resetPracticeServer(practiceServer);
  });

  async function load(props, { token = practiceServer.tokens.admin, serverProps } = {}) {
    const flow = operationFlow("cam-send-message", props, { url: practiceServer.url, serverProps });
    await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: token } });
  }

  it("sends a direct message with the documented form field", async () => {
    await load({ sendTo: "direct", recipients: "user1@xxx.com, user2@xxx.com", recipientsType: "str" });
    const { msg, error } = await outcome({ payload: "Order 4711 & 4712 + shipped\nsecond line", topic: "keep" });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
    assert.equal(msg.topic, "keep");
    const [req] = await recorded(practiceServer);
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/sendMessage");
    assert.equal(req.headers["x-cam-apitoken"], practiceServer.tokens.admin);
    assert.match(req.headers["content-type"], /^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(req.body);
    assert.deepEqual([...form.keys()], ["message"]);
    assert.deepEqual(JSON.parse(form.get("message")), {
      panelName: "messenger",
      message: "Order 4711 & 4712 + shipped\nsecond line",
      isOpened: false,
      generalPurposes: { users: "user1@xxx.com,user2@xxx.com" },
    });
  });

  it("sends to a chat room with mentions and the sealed flag from the message", async () => {
    await load({ sendTo: "room", room: "topic", roomType: "msg", recipients: "mentions", recipientsType: "msg", sealed: "sealed", sealedType: "msg" });
    const { msg, error } = await outcome({ payload: "Daily report", topic: "ルーム名", mentions: ["user1@xxx.com"], sealed: true });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
    const [req] = await recorded(practiceServer);
    assert.deepEqual(JSON.parse(new URLSearchParams(req.body).get("message")), {
      panelName: "ルーム名",
      message: "Daily report",
      isOpened: true,
      generalPurposes: { users: "user1@xxx.com" },
    });
  });

  it("reports the documented error code of a wrong token to a Catch node, without the token", async () => {
    const canary = "CANARY-token-5f1c2e";
    await load({ recipients: "user1@xxx.com" }, { token: canary });
    const { error } = await outcome({ payload: "hello" });
    assert.equal(error.code, "805");
    assert.match(error.message, /805/);
    assert.equal(error.source.id, "n1");
    assert.ok(!JSON.stringify(error).includes(canary));
    const status = helper.getNode("n1");
    assert.ok(status);
  });

  it("reports an unknown user with code 452", async () => {
    await load({ recipients: "nobody@unknown-domain.test" });
    const { error } = await outcome({ payload: "hello" });
    assert.equal(error.code, "452");
  });

  it("reports HTTP errors with their status", async () => {
    await load({ recipients: "user1@xxx.com" });
    await injectFault(practiceServer, { kind: "http500", count: 1 });
    const { error } = await outcome({ payload: "hello" });
    assert.equal(error.code, "HTTP_500");
    assert.equal(error.cause.status, 500);
  });

  it("retries a 491 and delivers the message once", async () => {
    await load({ recipients: "user1@xxx.com" }, { serverProps: { retries: 2, maxRetryDelay: 0 } });
    await injectFault(practiceServer, { kind: "error520", code: "491", count: 1 });
    const { msg, error } = await outcome({ payload: "after a retry" });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
    const outcomes = (await recorded(practiceServer)).map((r) => r.outcome.processed);
    assert.deepEqual(outcomes, [false, true]);
  });

  it("refuses a token with a pasted line break, naming the field, without sending", async () => {
    await load({ recipients: "user1@xxx.com" }, { token: `${practiceServer.tokens.admin}\n` });
    const { error } = await outcome({ payload: "hello" });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.match(error.message, /^apiToken: /);
    assert.ok(!error.message.includes(practiceServer.tokens.admin));
    assert.deepEqual(await recorded(practiceServer), []);
  });

  it("shows a broken server configuration in its status at deploy, before any message", async () => {
    await load({ recipients: "user1@xxx.com" }, { serverProps: { serverURL: "chat.example.com" } });
    await new Promise((resolve) => setImmediate(resolve));
    const shown = helper.getNode("n1").status.args.map(([status]) => status);
    assert.deepEqual(shown.at(-1), errorRing("status.codes.NOT_CONFIGURED"));
  });

  for (const [name, props, msg, field, reason] of [
    ["no recipients", { recipients: "" }, { payload: "hi" }, "recipients", "noRecipients"],
    ["a recipient that is not an e-mail address", { recipients: "taro" }, { payload: "hi" }, "recipients", "notEmail"],
    ["a function inside the message", { recipients: "user1@xxx.com" }, { payload: { a: () => 1 } }, "message", "notShowable"],
    ["no message", { recipients: "user1@xxx.com" }, {}, "message", "missing"],
    ["a room without a name", { sendTo: "room", room: "", roomType: "str" }, { payload: "hi" }, "room", "missing"],
    [
      "a message property path that does not parse",
      { recipients: "user1@xxx.com", message: "a[", messageType: "msg" },
      { payload: "hi" },
      "message",
      "property",
    ],
    ["a flow context key that does not parse", { recipients: "user1@xxx.com", message: "a[", messageType: "flow" }, { payload: "hi" }, "message", "context"],
    ["sealed that is not a boolean", { recipients: "user1@xxx.com", sealed: "s", sealedType: "msg" }, { payload: "hi", s: "maybe" }, "sealed", "notBoolean"],
  ]) {
    it(`rejects ${name}, naming the field and the reason (${reason}), before any request`, async () => {
      await load(props);
      const { error } = await outcome(msg);
      assert.equal(error.code, "INVALID_INPUT");
      assert.match(error.message, new RegExp(`^${field.replace(/[[\]]/g, "\\$&")}: `));
      assert.equal(inputReason(error), reason, error.message);
      assert.deepEqual(await recorded(practiceServer), []);
    });
  }
});
