"use strict";
const assert = require("node:assert/strict");
const x = require("./xassist-support");
const { helper } = x;

describe("xassist-call-watch", function () {
  let sandbox;
  let done;
  before(async () => (sandbox = await x.startSandbox()));
  after(() => sandbox.close());
  beforeEach(() => (done = x.trackDone()));
  afterEach(async () => {
    await helper.unload();
    done.restore();
    await x.resetSandbox(sandbox);
  });

  async function load(props = {}, credentials = x.demoCredentials(sandbox)) {
    const flow = x.xassistFlow("xassist-call-watch", { interval: 0.5, timeout: 0, ...props }, { url: sandbox.url, outputs: 2 });
    await helper.load(x.allNodes, flow, credentials);
    return { events: x.collect("out"), final: x.collect("final"), errors: x.collect("err") };
  }

  /** Resolves when n1 shows a status with this text (the status is coalesced, so wait for it). */
  function statusShown(text) {
    const n1 = helper.getNode("n1");
    return new Promise((resolve) => {
      const check = (call) => call.args[0] && call.args[0].text === text && (n1.removeListener("call:status", check), resolve());
      n1.on("call:status", check);
    });
  }

  const act = (callId, action, userId) => x.control(sandbox, "POST", `xassist/calls/${callId}/${action}`, userId ? { userId } : {});
  const doneFor = (msgid) => done.calls.filter((c) => c.node === "n1" && c.msgid === msgid);
  const hasTopic = (topic, callId) => (items) => items.some((m) => m.topic === topic && (!callId || m.callId === callId));

  it("follows a call as participants join and leave, until it ends", async () => {
    const { callId } = await x.createCallDirectly(sandbox);
    const { events, final, errors } = await load();
    const watching = statusShown("watching 1");
    const input = { _msgid: "watch-1", payload: callId, topic: "line 3" };
    helper.getNode("n1").receive(input);
    await watching;
    await events.until(hasTopic("status"));
    await act(callId, "join", "expert1");
    await events.until(hasTopic("Join"));
    await act(callId, "join", "node-red");
    const idle = statusShown("not watching");
    await act(callId, "leave", "expert1");
    await act(callId, "leave", "node-red");
    await final.count(1);

    assert.deepEqual(events.items.map((m) => m.topic), ["Created", "status", "Join", "Join", "Leave", "Leave", "Ended", "status"]);
    const [created, started, join1, join2, leave1] = events.items;
    assert.deepEqual(Object.keys(created.payload), ["callId", "type", "contact", "eventId", "callStatus"]);
    assert.equal(created.payload.callId, callId);
    assert.deepEqual(started.payload, { callId, type: "status", callStatus: "Started", previousStatus: null });
    assert.equal(join1.payload.contact.userId, "expert1");
    assert.equal(join2.payload.contact.userId, "node-red");
    assert.equal(leave1.payload.contact.userId, "expert1");
    assert.deepEqual(events.items[7].payload, { callId, type: "status", callStatus: "Ended", previousStatus: "Started" });
    for (const msg of events.items) {
      assert.equal(msg.callId, callId);
      assert.equal(msg.callLog.callId, callId);
    }
    assert.equal(final.items[0].topic, "ended");
    assert.deepEqual(final.items[0].payload, { callId, reason: "ended", callStatus: "Ended", events: 6 });
    assert.equal(final.items[0].callLog.callStatus, "Ended");
    assert.equal(errors.items.length, 0);
    assert.equal(doneFor("watch-1").length, 1);
    assert.equal(doneFor("watch-1")[0].error, undefined);
    await idle;
  });

  it("watches several calls at once; msg.stop ends one, or all when it names none", async () => {
    const a = (await x.createCallDirectly(sandbox)).callId;
    const b = (await x.createCallDirectly(sandbox)).callId;
    const { events, final } = await load();
    const n1 = helper.getNode("n1");
    const two = statusShown("watching 2");
    n1.receive({ _msgid: "a", payload: a });
    n1.receive({ _msgid: "b", payload: { callId: b } });
    await two;
    await events.until((items) => hasTopic("status", a)(items) && hasTopic("status", b)(items));
    const one = statusShown("watching 1");
    n1.receive({ _msgid: "stop-a", payload: a, stop: true });
    await final.count(1);
    await one;
    assert.deepEqual([final.items[0].callId, final.items[0].topic], [a, "stopped"]);
    n1.receive({ _msgid: "stop-all", payload: "", stop: true });
    await final.count(2);
    assert.deepEqual([final.items[1].callId, final.items[1].payload.reason], [b, "stopped"]);
    for (const id of ["a", "b", "stop-a", "stop-all"]) assert.equal(doneFor(id).length, 1, `done() once for ${id}`);
  });

  it("ends the watch after the timeout with a final message", async () => {
    const { callId } = await x.createCallDirectly(sandbox);
    const { final } = await load({ timeout: 1 });
    helper.getNode("n1").receive({ _msgid: "t", payload: callId });
    await final.count(1);
    assert.equal(final.items[0].topic, "timeout");
    assert.deepEqual(final.items[0].payload, { callId, reason: "timeout", callStatus: "Started", events: 1 });
    assert.equal(doneFor("t").length, 1);
  });

  it("stops cleanly on redeploy: timers cleared, done() once per watched message, nothing sent after", async () => {
    const a = (await x.createCallDirectly(sandbox)).callId;
    const b = (await x.createCallDirectly(sandbox)).callId;
    const { events, final } = await load();
    const n1 = helper.getNode("n1");
    n1.receive({ _msgid: "a", payload: a });
    n1.receive({ _msgid: "b", payload: b });
    await events.until((items) => hasTopic("status", a)(items) && hasTopic("status", b)(items));
    const sent = events.items.length;
    await helper.unload();
    assert.equal(doneFor("a").length, 1);
    assert.equal(doneFor("b").length, 1);
    const before = (await x.recorded(sandbox)).length;
    await x.sleep(1200); // more than two intervals: a timer left behind would have polled by now
    assert.equal((await x.recorded(sandbox)).length, before, "no poll after close");
    assert.equal(events.items.length, sent);
    assert.equal(final.items.length, 0);
    assert.equal(done.calls.filter((c) => c.node === "n1").length, 2);
  });

  it("keeps polling through transient server errors", async () => {
    const { callId } = await x.createCallDirectly(sandbox);
    await x.control(sandbox, "POST", "faults", { kind: "http503", count: 3, apiName: "rtc/getCallLogById" });
    const { events, errors } = await load();
    helper.getNode("n1").receive({ _msgid: "p", payload: callId });
    await events.until(hasTopic("Created"));
    assert.equal(errors.items.length, 0);
    const statuses = (await x.recorded(sandbox)).filter((r) => r.path === "/rtc/getCallLogById").map((r) => r.outcome.httpStatus);
    assert.deepEqual(statuses.slice(0, 4), [503, 503, 503, 200]);
  });

  it("ends the watch with a catchable error for an unknown call", async () => {
    const { errors, final } = await load();
    helper.getNode("n1").receive({ _msgid: "u", payload: "no-such-call" });
    await errors.count(1);
    assert.equal(errors.items[0].error.code, "HTTP_404");
    assert.equal(errors.items[0].error.cause.status, 404);
    assert.equal(final.items.length, 0);
    assert.equal(doneFor("u").length, 1);
    assert.ok(doneFor("u")[0].error);
  });

  it("rejects a message without a callId, naming the field", async () => {
    const { errors } = await load();
    helper.getNode("n1").receive({ _msgid: "bad", payload: { title: "no id" } });
    await errors.count(1);
    assert.equal(errors.items[0].error.code, "INVALID_INPUT");
    assert.equal(errors.items[0].error.cause.field, "callId");
    assert.match(errors.items[0].error.message, /callId/);
    assert.deepEqual(await x.recorded(sandbox), []);
    assert.equal(doneFor("bad").length, 1);
  });

  it("ignores a second message for a call already watched, with a warning", async () => {
    const { callId } = await x.createCallDirectly(sandbox);
    const { events } = await load();
    const n1 = helper.getNode("n1");
    const warned = new Promise((resolve) => n1.once("call:warn", (call) => resolve(call.args[0])));
    n1.receive({ _msgid: "first", payload: callId });
    n1.receive({ _msgid: "again", payload: callId });
    assert.match(await warned, /already watched/);
    assert.equal(doneFor("again").length, 1);
    assert.equal(doneFor("first").length, 0, "the first watch goes on");
    await events.until(hasTopic("status"));
    assert.equal(events.items.filter((m) => m.topic === "status").length, 1);
  });

  it("ends the watch at once on a wrong password: one login on the wire, no polling loop, no secret shown", async () => {
    const canary = "CANARY-pw-watch-90ab";
    const { callId } = await x.createCallDirectly(sandbox);
    const visible = x.trackVisible();
    try {
      const { errors, events } = await load({}, x.demoCredentials(sandbox, { password: canary }));
      helper.getNode("n1").receive({ _msgid: "w", payload: callId });
      await errors.count(1);
      assert.equal(errors.items[0].error.code, "LOGIN_FAILED");
      assert.equal(doneFor("w").length, 1);
      await x.sleep(1200); // more than two intervals: a watch that went on would have logged in again
      assert.deepEqual(await x.paths(sandbox), ["POST /login 401"]);
      assert.equal(events.items.length, 0);
      await helper.unload();
      const text = [errors.items, visible.seen, visible.logs()].map(x.safeJson).join("\n");
      assert.ok(!text.includes(canary), "the password leaked");
      assert.ok(visible.seen.some((s) => s.node === "n1" && s.kind === "status" && s.args.includes("LOGIN_FAILED")));
    } finally {
      await helper.unload();
      visible.restore();
    }
  });
});
