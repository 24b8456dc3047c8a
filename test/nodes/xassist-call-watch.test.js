"use strict";
const assert = require("node:assert/strict");
const x = require("../support/xassist-support");
const { helper } = x;

describe("xassist-call-watch", function () {
  let practiceServer;
  let done;
  before(async () => (practiceServer = await x.startPracticeServer()));
  after(() => practiceServer.close());
  beforeEach(() => (done = x.trackDone()));
  afterEach(async () => {
    await helper.unload();
    done.restore();
    await x.resetPracticeServer(practiceServer);
  });

  async function load(props = {}, credentials = x.demoCredentials(practiceServer)) {
    const flow = x.xassistFlow("xassist-call-watch", { interval: 0.5, timeout: 0, ...props }, { url: practiceServer.url, outputs: 2 });
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

  /** The test helper removes its spies before its unload closes the nodes: record on the node itself. */
  function warningsOnClose(node) {
    const warnings = [];
    const warn = node.warn;
    node.warn = (...args) => (warnings.push(args[0]), warn.apply(node, args));
    return warnings;
  }

  const act = (callId, action, userId) => x.control(practiceServer, "POST", `xassist/calls/${callId}/${action}`, userId ? { userId } : {});
  const doneFor = (msgid) => done.calls.filter((c) => c.node === "n1" && c.msgid === msgid);
  const hasTopic = (topic, callId) => (items) => items.some((m) => m.topic === topic && (!callId || m.callId === callId));

  it("follows a call as participants join and leave, until it ends", async () => {
    const { callId } = await x.createCallDirectly(practiceServer);
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

    assert.deepEqual(
      events.items.map((m) => m.topic),
      ["Created", "status", "Join", "Join", "Leave", "Leave", "Ended", "status"]
    );
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
      assert.equal(msg.topic === "status" ? "status" : msg.payload.type, msg.topic);
      assert.equal(msg.callLog, undefined, "an event message carries a summary, not the call log");
      assert.deepEqual(Object.keys(msg.call), ["callId", "callStatus", "title", "creator", "events"]);
      assert.equal(msg.call.callId, callId);
      assert.equal(msg.call.creator.userId, practiceServer.xassist.expertUsername);
    }
    assert.equal(events.items[0].call.callStatus, "Started");
    assert.equal(events.items[6].call.callStatus, "Ended");
    assert.equal(events.items[7].call.events, 6);
    assert.equal(final.items[0].topic, "ended");
    assert.deepEqual(final.items[0].payload, { callId, reason: "ended", callStatus: "Ended", events: 6 });
    assert.equal(final.items[0].callLog.callStatus, "Ended");
    assert.equal(final.items[0].callLog.callEvents.length, 6);
    assert.equal(final.items[0].call.events, 6);
    assert.equal(errors.items.length, 0);
    assert.equal(doneFor("watch-1").length, 1);
    assert.equal(doneFor("watch-1")[0].error, undefined);
    await idle;
  });

  it("watches several calls at once; msg.stop ends one, or all when it names none", async () => {
    const a = (await x.createCallDirectly(practiceServer)).callId;
    const b = (await x.createCallDirectly(practiceServer)).callId;
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
    const { callId } = await x.createCallDirectly(practiceServer);
    const { final } = await load({ timeout: 1 });
    helper.getNode("n1").receive({ _msgid: "t", payload: callId });
    await final.count(1);
    assert.equal(final.items[0].topic, "timeout");
    assert.deepEqual(final.items[0].payload, { callId, reason: "timeout", callStatus: "Started", events: 1 });
    assert.equal(doneFor("t").length, 1);
  });

  it("stops cleanly on redeploy: timers cleared, done() once per watched message, nothing sent after", async () => {
    const a = (await x.createCallDirectly(practiceServer)).callId;
    const b = (await x.createCallDirectly(practiceServer)).callId;
    const { events, final } = await load();
    const n1 = helper.getNode("n1");
    n1.receive({ _msgid: "a", payload: a });
    n1.receive({ _msgid: "b", payload: b });
    await events.until((items) => hasTopic("status", a)(items) && hasTopic("status", b)(items));
    const sent = events.items.length;
    const warnings = warningsOnClose(n1);
    await helper.unload();
    assert.equal(doneFor("a").length, 1);
    assert.equal(doneFor("b").length, 1);
    const before = (await x.recorded(practiceServer)).length;
    await x.sleep(1200); // more than two intervals: a timer left behind would have polled by now
    assert.equal((await x.recorded(practiceServer)).length, before, "no poll after close");
    assert.equal(events.items.length, sent);
    assert.equal(final.items.length, 0);
    assert.equal(done.calls.filter((c) => c.node === "n1").length, 2);
    assert.deepEqual(warnings, ["Stopped or redeployed while watching 2 calls: their watches ended without a final message."]);
  });

  it("logs no warning on close when it watched nothing", async () => {
    await load();
    const warnings = warningsOnClose(helper.getNode("n1"));
    await helper.unload(); // waits for the nodes' close handlers
    assert.deepEqual(warnings, []);
  });

  it("keeps polling through transient server errors", async () => {
    const { callId } = await x.createCallDirectly(practiceServer);
    await x.control(practiceServer, "POST", "faults", { kind: "http503", count: 3, apiName: "rtc/getCallLogById" });
    const { events, errors } = await load();
    helper.getNode("n1").receive({ _msgid: "p", payload: callId });
    await events.until(hasTopic("Created"));
    assert.equal(errors.items.length, 0);
    const statuses = (await x.recorded(practiceServer)).filter((r) => r.path === "/rtc/getCallLogById").map((r) => r.outcome.httpStatus);
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
    assert.deepEqual(await x.recorded(practiceServer), []);
    assert.equal(doneFor("bad").length, 1);
  });

  it("ignores a second message for a call already watched, with a warning", async () => {
    const { callId } = await x.createCallDirectly(practiceServer);
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
    const { callId } = await x.createCallDirectly(practiceServer);
    const visible = x.trackVisible();
    try {
      const { errors, events } = await load({}, x.demoCredentials(practiceServer, { password: canary }));
      helper.getNode("n1").receive({ _msgid: "w", payload: callId });
      await errors.count(1);
      assert.equal(errors.items[0].error.code, "LOGIN_FAILED");
      assert.equal(doneFor("w").length, 1);
      await x.sleep(1200); // more than two intervals: a watch that went on would have logged in again
      assert.deepEqual(await x.paths(practiceServer), ["POST /login 401"]);
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

// What a message or a server answer contains must never crash Node-RED nor leave a message unended.
describe("xassist-call-watch against hostile input and answers", function () {
  const http = require("node:http");
  let server;
  let done;
  let escaped;
  const recordEscape = (err) => escaped.push(err);

  before(async () => (server = await hostileServer()));
  after(() => server.close());
  beforeEach(() => {
    done = x.trackDone();
    escaped = [];
    server.state.body = "null";
    server.state.type = "application/json";
    server.state.polls = 0;
    process.on("uncaughtException", recordEscape);
    process.on("unhandledRejection", recordEscape);
  });
  afterEach(async () => {
    await helper.unload();
    done.restore();
    process.removeListener("uncaughtException", recordEscape);
    process.removeListener("unhandledRejection", recordEscape);
    assert.deepEqual(escaped.map(String), [], "nothing thrown out of a handler or a timer");
  });

  /** Answers /login with a token and /rtc/getCallLogById with whatever the test sets. */
  function hostileServer() {
    const state = { body: "null", type: "application/json", polls: 0 };
    const srv = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.url.startsWith("/login")) {
          res.writeHead(200, { "content-type": "application/json" });
          return res.end(JSON.stringify({ token: "hostile-token", refreshToken: "hostile-refresh" }));
        }
        if (req.url.startsWith("/rtc/getCallLogById")) {
          state.polls++;
          res.writeHead(200, { "content-type": state.type });
          return res.end(typeof state.body === "function" ? state.body() : state.body);
        }
        res.writeHead(404);
        res.end();
      });
    });
    return new Promise((resolve) =>
      srv.listen(0, "127.0.0.1", () =>
        resolve({
          url: `http://127.0.0.1:${srv.address().port}`,
          state,
          close: () => new Promise((r) => (srv.closeAllConnections(), srv.close(r))),
        })
      )
    );
  }

  async function load(props = {}) {
    const flow = x.xassistFlow("xassist-call-watch", { interval: 0.5, timeout: 0, ...props }, { url: server.url, outputs: 2 });
    await helper.load(x.allNodes, flow, { server: { username: "u", password: "p" } });
    return { events: x.collect("out"), final: x.collect("final"), errors: x.collect("err") };
  }

  const doneFor = (msgid) => done.calls.filter((c) => c.node === "n1" && c.msgid === msgid);

  function nested(depth, leaf = "x") {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  }

  const CALL_ID = "3f2a8c1e-0000-4000-8000-000000000001";
  const callLog = (extra = {}) => ({ callId: CALL_ID, callStatus: "Started", callTitle: "pump", callEvents: [], ...extra });
  const event = (id, fields = {}) => ({ id, type: "Join", contact: { userId: `user${id}`, displayName: `User ${id}` }, ...fields });

  describe("refuses a message that cannot be copied for each output, naming the field", function () {
    const cases = [
      ["a deeply nested msg.callId", { callId: "callId" }, (m) => (m.callId = nested(10_000)), "msg.callId"],
      ["a deeply nested msg.payload", {}, (m) => (m.payload = nested(10_000)), "msg.payload"],
      ["a valid callId beside a deeply nested property", {}, (m) => ((m.payload = CALL_ID), (m.extra = { list: [nested(10_000)] })), "msg.extra"],
      ["a deeply nested array", {}, (m) => ((m.payload = CALL_ID), (m.rows = JSON.parse("[".repeat(5000) + "]".repeat(5000)))), "msg.rows"],
    ];
    for (const [name, props, build, field] of cases) {
      it(name, async () => {
        const { errors, events, final } = await load(props.callId ? { callIdType: "msg", ...props } : props);
        const msg = { _msgid: "deep" };
        build(msg);
        helper.getNode("n1").receive(msg);
        await errors.count(1);
        assert.equal(errors.items[0].error.code, "INVALID_INPUT");
        assert.equal(errors.items[0].error.cause.field, field);
        assert.ok(errors.items[0].error.message.includes(field));
        assert.equal(doneFor("deep").length, 1);
        assert.equal(server.state.polls, 0, "nothing asked of the server");
        assert.equal(events.items.length + final.items.length, 0);
      });
    }
  });

  describe("ends the watch with BAD_RESPONSE for an answer it cannot use", function () {
    const deepEvent = JSON.stringify(callLog({ callEvents: [event(1)] })).replace('"User 1"', "[".repeat(10_000) + "]".repeat(10_000));
    const cases = [
      ["null", "null"],
      ["an empty body", ""],
      ["an array", "[]"],
      ["a number", "42"],
      ["a text", '"Started"'],
      ["true", "true"],
      ["an HTML page", "<html><body>Please log in</body></html>", "text/html"],
      ["callEvents that is not a list", JSON.stringify(callLog({ callEvents: 5 }))],
      ["callEvents as an object", JSON.stringify(callLog({ callEvents: { 0: event(1) } }))],
      ["an event that is null", JSON.stringify(callLog({ callEvents: [event(1), null] }))],
      ["an event that is a text", JSON.stringify(callLog({ callEvents: ["Join"] }))],
      ["an event nested 10,000 deep", deepEvent],
      ["an event id that is an object", JSON.stringify(callLog({ callEvents: [event({ id: 1 })] }))],
      ["an event type that is an object", JSON.stringify(callLog({ callEvents: [event(1, { type: { t: "Join" } })] }))],
      ["a callId that is an object", JSON.stringify(callLog({ callId: { id: CALL_ID } }))],
      ["the log of another call", JSON.stringify(callLog({ callId: "another-call" }))],
      ["a callStatus that is an object", JSON.stringify(callLog({ callStatus: { s: "Started" } }))],
      ["a callStatus of a megabyte", JSON.stringify(callLog({ callStatus: "S".repeat(1 << 20) }))],
      ["a deeply nested creator", JSON.stringify(callLog({ creatorContact: "DEEP" })).replace('"DEEP"', '{"a":'.repeat(5000) + "1" + "}".repeat(5000))],
    ];
    for (const [name, body, type] of cases) {
      it(name, async () => {
        server.state.body = body;
        if (type) server.state.type = type;
        const { errors, events, final } = await load();
        helper.getNode("n1").receive({ _msgid: "bad", payload: CALL_ID });
        await errors.count(1);
        assert.equal(errors.items[0].error.code, "BAD_RESPONSE", errors.items[0].error.message);
        assert.equal(doneFor("bad").length, 1);
        assert.ok(doneFor("bad")[0].error);
        assert.equal(server.state.polls, 1, "the watch ended at the first unusable answer");
        assert.equal(events.items.length + final.items.length, 0);
        assert.ok(!x.safeJson(errors.items[0]).includes("hostile-token"));
      });
    }
  });

  it("passes a message nested as deep as Node-RED can copy to two wires on each output", async () => {
    server.state.body = JSON.stringify(callLog({ callEvents: [event(1), event(2)] }));
    const flow = x.xassistFlow("xassist-call-watch", { interval: 0.5, timeout: 0 }, { url: server.url, outputs: 2 });
    const n1 = flow.find((n) => n.id === "n1");
    n1.wires = [
      ["out", "out2"],
      ["final", "final2"],
    ];
    flow.push({ id: "out2", type: "helper" }, { id: "final2", type: "helper" });
    await helper.load(x.allNodes, flow, { server: { username: "u", password: "p" } });
    const [events, events2, final, final2] = ["out", "out2", "final", "final2"].map(x.collect);
    helper.getNode("n1").receive({ _msgid: "deep-ok", payload: CALL_ID, context: nested(900) });
    await events.count(3);
    await events2.count(3);
    helper.getNode("n1").receive({ _msgid: "stop", payload: CALL_ID, stop: true });
    await final.count(1);
    await final2.count(1);
    assert.deepEqual(
      events2.items.map((m) => m.topic),
      ["Join", "Join", "status"]
    );
    assert.notEqual(events.items[0].context, events2.items[0].context, "each wire gets its own copy");
    assert.equal(JSON.stringify(final2.items[0].context).length, JSON.stringify(nested(900)).length);
    assert.equal(doneFor("deep-ok").length, 1);
    assert.equal(doneFor("deep-ok")[0].error, undefined);
  });

  it("delivers 250 events of one answer as 250 small messages, at most the per-poll limit at each poll, each with a summary of the call", async () => {
    const { MAX_EVENTS_PER_POLL } = require("../../nodes/xassist/xassist-call-tracker");
    const count = 2 * MAX_EVENTS_PER_POLL + 50;
    const callEvents = Array.from({ length: count }, (_, i) => event(i + 1));
    server.state.body = JSON.stringify(callLog({ callEvents, creatorContact: { userId: "glasses1", displayName: "Glasses", extra: "y".repeat(5000) } }));
    const { events, final } = await load();
    helper.getNode("n1").receive({ _msgid: "many", payload: CALL_ID, topic: "line 3" });
    const warned = new Promise((resolve) => helper.getNode("n1").once("call:warn", (call) => resolve(call.args[0])));
    await events.count(count + 1);
    assert.match(await warned, new RegExp(`more than ${MAX_EVENTS_PER_POLL} new events in one check`));
    assert.ok(server.state.polls >= 3, "the events took three polls");
    const eventMsgs = events.items.filter((m) => m.topic === "Join");
    assert.equal(eventMsgs.length, count);
    assert.deepEqual(
      eventMsgs.map((m) => m.payload.eventId),
      callEvents.map((e) => e.id),
      "each event once, in order"
    );
    let total = 0;
    for (const msg of eventMsgs) {
      const size = JSON.stringify(msg).length;
      total += size;
      assert.ok(size < 1500, `an event message of ${size} characters`);
      assert.equal(msg.callLog, undefined);
      assert.equal(msg.call.callEvents, undefined);
      assert.equal(msg.call.callId, CALL_ID);
      assert.equal(msg.call.title, "pump");
      assert.equal(msg.call.creator.userId, "glasses1");
    }
    assert.ok(total < count * 1500, "the output grows with the events, not their square");
    assert.ok(
      eventMsgs.every((m) => m.call.events === count),
      "the summary counts the events of the call as last read"
    );
    // The same answer again: nothing new, nothing sent; then a stop ends the watch with the log once.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(events.items.length, count + 1);
    helper.getNode("n1").receive({ _msgid: "stop", payload: CALL_ID, stop: true });
    await final.count(1);
    assert.equal(final.items[0].callLog.callEvents.length, count);
    assert.deepEqual(final.items[0].payload, { callId: CALL_ID, reason: "stopped", callStatus: "Started", events: count });
    assert.equal(doneFor("many").length, 1);
  });
});
