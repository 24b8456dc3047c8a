"use strict";
// Business data to chat without code (issue 23.1-2): a template in the Message field, a record sent
// as readable text, and the Output property that keeps the user's msg.payload. Real Node-RED runtime
// (test helper) against the practice server; the message is read back from what the server received.
const assert = require("node:assert/strict");
const { helper, startPracticeServer, recorded, resetPracticeServer, operationFlow, outcome, catchNode } = require("../support");
const { inputReason } = require("../support/input-reasons");
const configNode = require("../../nodes/cam-config.js");
const sendMessageNode = require("../../nodes/cam-send-message.js");
const quickCallNode = require("../../nodes/cam-create-quick-call.js");

describe("message words and the Output property", function () {
  let practiceServer;
  before(async () => (practiceServer = await startPracticeServer()));
  after(() => practiceServer.close());
  afterEach(async () => {
    await helper.unload();
    await resetPracticeServer(practiceServer);
  });

  async function load(type, props) {
    const flow = operationFlow(type, { sendTo: "direct", recipients: "user1@xxx.com", recipientsType: "str", ...props }, { url: practiceServer.url });
    await helper.load([configNode, sendMessageNode, quickCallNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
  }

  async function sentText() {
    const [req] = await recorded(practiceServer);
    return JSON.parse(new URLSearchParams(req.body).get("message")).message;
  }

  it("fills a template from the message, as Node-RED's template node does, without HTML escaping", async () => {
    await load("cam-send-message", { message: "Order {{payload.id}} for {{payload.customer}} shipped", messageType: "template" });
    const { msg, error } = await outcome({ payload: { id: 4711, customer: "A&B <Ltd>" } });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 }, "the result, where the Output property says (msg.payload by default)");
    assert.equal(await sentText(), "Order 4711 for A&B <Ltd> shipped");
  });

  it("reads environment variables and flow context in a template", async () => {
    process.env.CAM_TEST_SHOP = "Tokyo shop";
    try {
      await load("cam-send-message", { message: "{{env.CAM_TEST_SHOP}}: {{flow.orders}} orders", messageType: "template" });
      helper.getNode("n1").context().flow.set("orders", 12);
      const { error } = await outcome({ payload: "" });
      assert.equal(error, undefined);
      assert.equal(await sentText(), "Tokyo shop: 12 orders");
    } finally {
      delete process.env.CAM_TEST_SHOP;
    }
  });

  it("sends a record that reaches the Message field as readable text, one key: value per line", async () => {
    await load("cam-send-message", {});
    const { error } = await outcome({ payload: { order: 4711, customer: "ACME", items: [{ sku: "A-1", qty: 2 }] } });
    assert.equal(error, undefined);
    assert.equal(await sentText(), "order: 4711\ncustomer: ACME\nitems:\n  sku: A-1, qty: 2");
  });

  it("refuses a value that cannot be shown, naming the field and the cure, and sends nothing", async () => {
    await load("cam-send-message", {});
    const { error } = await outcome({ payload: { order: 4711, total: () => 30 } });
    assert.equal(error.code, "INVALID_INPUT");
    assert.equal(inputReason(error), "notShowable");
    assert.match(error.message, /^message: a function cannot be shown as text; .*\{\{payload\.name\}\}/);
    assert.deepEqual(await recorded(practiceServer), []);
  });

  it("refuses a template it cannot read with the field and the problem, for every message, and sends nothing", async () => {
    await load("cam-send-message", { message: "Order {{payload.id", messageType: "template" });
    for (const payload of [{ id: 1 }, { id: 2 }]) {
      const { error } = await outcome({ payload });
      assert.equal(error.code, "INVALID_INPUT");
      assert.equal(inputReason(error), "template");
      assert.match(error.message, /^message: the template cannot be read \(Unclosed tag/);
    }
    assert.deepEqual(await recorded(practiceServer), []);
  });

  it("puts the result where the Output property says and keeps msg.payload as it came", async () => {
    await load("cam-create-quick-call", { title: "Call about {{payload.subject}}", titleType: "template", outputProperty: "call.link" });
    const event = { subject: "Q4 review", attendee: "user1@xxx.com" };
    const { msg, error } = await outcome({ payload: event });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, event, "the groupware event is still there for the next node");
    assert.match(msg.call.link.url, /^http/);
    const [req] = await recorded(practiceServer);
    assert.equal(new URLSearchParams(req.body).get("title"), "Call about Q4 review");
  });

  it("takes msg.payload when the Output property is blank or missing (flows saved before it existed)", async () => {
    for (const outputProperty of ["", undefined]) {
      await load("cam-send-message", { outputProperty });
      const { msg } = await outcome({ payload: "hello", topic: "kept" });
      assert.deepEqual(msg.payload, { status: 200 }, `outputProperty ${JSON.stringify(outputProperty)}`);
      assert.equal(msg.topic, "kept");
      await helper.unload();
    }
  });

  it("refuses an Output property that is not a message property: said in the log at deploy, an error per message, nothing sent", async () => {
    await load("cam-send-message", { outputProperty: "result..answer" });
    const logged = helper.log().args.filter(([e]) => e.level === helper.log().ERROR && e.type === "cam-send-message");
    assert.match(String(logged[0]?.[0].msg), /^outputProperty: "result\.\.answer" is not a message property/);
    const { error } = await outcome({ payload: "hello" });
    assert.equal(error.code, "INVALID_INPUT");
    assert.equal(inputReason(error), "notProperty");
    assert.equal(error.cause.field, "outputProperty");
    assert.deepEqual(await recorded(practiceServer), []);
  });
});
