"use strict";
// The built-in practice server in the real Node-RED runtime (test helper): no URL or token, the
// practice server started in this process, its state across redeploys, the live view's admin endpoints
// and the nodes' status on it: a grey ring "practice server" at deploy, every state as a ring.
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { helper, outcome, catchNode } = require("../support");
const camConfig = require("../../nodes/cam-config.js");
const sendMessage = require("../../nodes/cam-send-message.js");
const createQuickCall = require("../../nodes/cam-create-quick-call.js");
const callStats = require("../../nodes/cam-call-stats.js");
const xassistConfig = require("../../nodes/xassist-config.js");
const createCall = require("../../nodes/xassist-create-call.js");
const callLog = require("../../nodes/xassist-call-log.js");
const callWatch = require("../../nodes/xassist-call-watch.js");
const { statusKey, phrase, shownBy, lastShown } = require("../support/status");

const NODES = [camConfig, sendMessage, createQuickCall, callStats, xassistConfig, createCall, callLog, catchNode];

function practiceFlow(type, props, serverType = "cam-config") {
  return [
    { id: "f1", type: "tab" },
    // A practice server node as the dialog saves it after switching from "My server": the old
    // fields stay, and are ignored.
    { id: "server", type: serverType, server: "practice", serverURL: "https://chat.invalid", proxy: "http://127.0.0.1:9" },
    { id: "n1", z: "f1", type, server: "server", wires: [["out"]], ...props },
    { id: "out", z: "f1", type: "helper" },
    { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
    { id: "err", z: "f1", type: "helper" },
  ];
}

const admin = () => helper.request();
async function state() {
  const res = await admin().get("/cam-practice/state").expect(200);
  return res.body;
}

describe("practice server (built in)", function () {
  this.timeout(20_000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  it("sends a message with no URL or token, and the live view's state shows it", async () => {
    await helper.load(
      NODES,
      practiceFlow("cam-send-message", { sendTo: "room", room: "general", roomType: "str", recipients: "taro@example.com", recipientsType: "str" })
    );
    const marker = `practice marker ${Date.now()}`;
    const { msg, error } = await outcome({ payload: marker });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
    const view = await state();
    assert.equal(view.running, true);
    const general = view.rooms.find((r) => r.name === "general");
    const sent = general.messages.find((m) => m.text === marker);
    assert.ok(sent, "the message is in the room");
    assert.deepEqual(sent.users, ["taro@example.com"]);
    const { body } = await admin().get("/cam-practice/requests").expect(200);
    const request = body.requests.findLast((r) => r.apiName === "sendMessage");
    assert.equal(request.outcome.processed, true);
    assert.equal(request.headers, undefined, "no headers (they hold the practice token)");
  });

  it("keeps its state across redeploys", async () => {
    const marker = `kept ${Date.now()}`;
    const flow = practiceFlow("cam-send-message", { sendTo: "direct", recipients: "hanako@example.com", recipientsType: "str" });
    await helper.load(NODES, flow);
    assert.equal((await outcome({ payload: marker })).error, undefined);
    await helper.unload();
    await helper.load(NODES, flow);
    const dm = (await state()).directMessages.find((d) => d.email === "hanako@example.com");
    assert.ok(dm.messages.some((m) => m.text === marker));
  });

  it("shows the practice server in the operation node's status: a grey ring at deploy, then every state as a ring", async () => {
    await helper.load(NODES, practiceFlow("cam-send-message", { sendTo: "room", room: "general", roomType: "str", recipients: "", recipientsType: "str" }));
    const node = helper.getNode("n1");
    assert.deepEqual(shownBy(node), [{ fill: "grey", shape: "ring", text: statusKey("status.practice") }], "before any message");
    assert.equal(phrase(statusKey("status.practice")), "practice server");
    assert.equal((await outcome({ payload: "status" })).error, undefined);
    // The status is coalesced: wait until the final one is shown.
    const done = await lastShown(node, (s) => s.text === statusKey("status.done"), "done");
    // A text stays a key the editor translates: no mark added to it; the shape says "practice" (own server: a dot).
    assert.deepEqual(done, { fill: "green", shape: "ring", text: statusKey("status.done") });
    const shown = shownBy(node);
    assert.ok(
      shown.every((s) => s.shape === "ring" && [statusKey("status.practice"), statusKey("status.requesting"), statusKey("status.done")].includes(s.text)),
      JSON.stringify(shown)
    );
  });

  it("shows call watch's states as rings on the practice server too", async () => {
    const flow = practiceFlow("xassist-create-call", { title: "Ring", titleType: "str", contacts: "expert1", contactsType: "str" }, "xassist-config");
    flow.push({ id: "watch", z: "f1", type: "xassist-call-watch", server: "server", callId: "payload.callId", callIdType: "msg", wires: [[], []] });
    flow.find((n) => n.id === "n1").wires = [["out", "watch"]];
    await helper.load([...NODES, callWatch], flow);
    const watch = helper.getNode("watch");
    await lastShown(watch, (s) => s.text === statusKey("status.practice"), "the practice server's idle status");
    assert.equal((await outcome({ payload: "" })).error, undefined);
    const watching = await lastShown(watch, (s) => s.text === "watching 1", "watching the new call");
    assert.deepEqual(watching, { fill: "blue", shape: "ring", text: "watching 1" });
    watch.receive({ stop: true, payload: { callId: "" } });
    await lastShown(watch, (s) => s.text === "not watching", "the watch stopped");
    assert.ok(
      shownBy(watch).every((s) => s.shape === "ring"),
      JSON.stringify(shownBy(watch))
    );
  });

  it("lets the live view make someone join a quick call, which call stats then count", async () => {
    await helper.load(NODES, practiceFlow("cam-create-quick-call", { title: "Practice call", titleType: "str" }));
    const { msg } = await outcome({ payload: "" });
    const sid = msg.payload.sid;
    const joined = await admin()
      .post(`/cam-practice/quickcalls/${encodeURIComponent(sid)}/join`)
      .send({ name: "Hanako" })
      .expect(200);
    assert.equal(joined.body.participants, 1, JSON.stringify(joined.body) + sid);
    await helper.unload();
    await helper.load(NODES, practiceFlow("cam-call-stats", { roomName: sid, roomNameType: "str" }));
    const stats = await outcome({ payload: "" });
    assert.equal(stats.error, undefined);
    assert.equal(stats.msg.payload.participants, 1, JSON.stringify(stats.msg.payload));
  });

  it("runs xAssist calls: the live view joins the expert, the call log shows it", async () => {
    await helper.load(
      NODES,
      practiceFlow("xassist-create-call", { title: "Practice", titleType: "str", contacts: "expert1", contactsType: "str" }, "xassist-config")
    );
    const created = await outcome({ payload: "" });
    assert.equal(created.error, undefined);
    const callId = created.msg.payload.callId;
    await admin().post(`/cam-practice/xassist/calls/${callId}/join`).send({ userId: "expert1" }).expect(200);
    const call = (await state()).xassist.calls.find((c) => c.callId === callId);
    assert.deepEqual(call.presentUserIds, ["expert1"]);
    await helper.unload();
    await helper.load(NODES, practiceFlow("xassist-call-log", { callId, callIdType: "str" }, "xassist-config"));
    const log = await outcome({ payload: "" });
    assert.equal(log.error, undefined);
    assert.ok(log.msg.payload.callEvents.some((e) => e.type === "Join" && e.contact.userId === "expert1"));
  });

  it("answers unknown calls and unknown actions with an error, and resets its data", async () => {
    await helper.load(NODES, practiceFlow("cam-send-message", { sendTo: "direct", recipients: "taro@example.com", recipientsType: "str" }));
    assert.equal((await outcome({ payload: "before reset" })).error, undefined);
    const missing = await admin().post("/cam-practice/quickcalls/nope/join").send({}).expect(404);
    assert.match(missing.body.error, /nope/);
    await admin().post("/cam-practice/faults").send({ kind: "drop" }).expect(404);
    await admin().post("/cam-practice/reset").send({}).expect(200);
    assert.deepEqual((await state()).directMessages, []);
  });

  it("loads the practice server only when a practice server node is deployed", () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, "..", "fixtures", "practice-lazy.js")], { encoding: "utf8", env: process.env });
    assert.deepEqual(JSON.parse(out.trim().split("\n").pop()), { atLoad: false, ownServer: false, practiceServer: true });
  });

  it("goes to the practice server directly even when the environment names a proxy", async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = "http://127.0.0.1:9";
    try {
      await helper.load(NODES, practiceFlow("cam-send-message", { sendTo: "direct", recipients: "taro@example.com", recipientsType: "str" }));
      assert.equal((await outcome({ payload: "no proxy" })).error, undefined);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });
});
