"use strict";
// Stop and redeploy with messages on the wire, in the queue and waiting to retry: each ends exactly
// once, the dispatcher closes, no socket stays open, and close stays within Node-RED's 15 s.
const assert = require("node:assert/strict");
const { helper, recorded, injectFault, catchNode } = require("../support");
const { practiceServerBehindRelay, eventually } = require("../support/reliability-support");
const configNode = require("../../nodes/cam-config.js");
const sendMessageNode = require("../../nodes/cam-send-message.js");
const { closeTiming } = require("../../nodes/core/node/close-timing.js");

describe("reliability: stop and redeploy", function () {
  const env = practiceServerBehindRelay();

  function flow(serverProps) {
    return [
      { id: "f1", type: "tab" },
      { id: "server", type: "cam-config", serverURL: env.front.url, concurrency: 3, queueLimit: 50, retries: 10, maxRetryDelay: 30, ...serverProps },
      { id: "n1", z: "f1", type: "cam-send-message", server: "server", recipients: "user1@xxx.com", wires: [["out"]] },
      { id: "out", z: "f1", type: "helper" },
      { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
      { id: "err", z: "f1", type: "helper" },
    ];
  }

  /** Every end of a message, seen on the node itself (after a stop the wires lead nowhere). */
  function watchEnds(node) {
    const ends = [];
    node.on("call:send", (call) => ends.push({ id: call.args[0].id, ok: true }));
    // A message that ends with an error goes through the node's own error(), which hands it to the
    // Catch nodes (or logs its sentence): watch that one, not Node-RED's prototype.
    const error = node.error;
    node.error = function (err, msg) {
      if (msg) ends.push({ id: msg.id, code: err?.code, err });
      return error.call(this, err, msg);
    };
    return ends;
  }

  /** The close's one warning about the messages it ended. */
  function watchWarnings(node) {
    const warnings = [];
    node.on("call:warn", (call) => warnings.push(String(call.args[0])));
    return warnings;
  }

  const load = (serverProps) =>
    helper.load([configNode, sendMessageNode, catchNode], flow(serverProps), { server: { apiToken: env.practiceServer.tokens.admin } });

  it("stop: requests on the wire finish, queued and retrying ones end as CLOSED, every socket closes", async () => {
    await load();
    const node = helper.getNode("n1");
    const ends = watchEnds(node);
    const warnings = watchWarnings(node);
    await injectFault(env.practiceServer, { kind: "delay", delayMs: 800, count: 2 });
    await injectFault(env.practiceServer, { kind: "error520", code: "491", count: 1000 });
    const sent = 8;
    for (let i = 0; i < sent; i++) node.receive({ id: i, payload: `message ${i}` });
    // Two on the wire (slow), one answered 491 and now retrying, five queued.
    await eventually(async () => (await recorded(env.practiceServer)).length >= 3, 5000, "three requests at the server");

    await helper.clearFlows();

    await eventually(() => ends.length === sent, 12_000, "every message to end");
    assert.equal(new Set(ends.map((e) => e.id)).size, sent, "each message ends exactly once");
    const ok = ends.filter((e) => e.ok);
    const closed = ends.filter((e) => e.code === "CLOSED");
    assert.equal(ok.length, 2, JSON.stringify(ends.map((e) => e.code ?? "ok")));
    assert.equal(closed.length, sent - 2);
    assert.ok(
      closed.some((e) => e.err.cause.lastCode === "491"),
      "the retrying one says what it was retrying"
    );
    assert.equal(ends.filter((e) => /Close timed out/.test(String(e.err?.message ?? e.err))).length, 0);
    await eventually(() => env.front.stats.open === 0, 5000, "no open connection");
    const processed = (await recorded(env.practiceServer)).filter((r) => r.outcome.processed);
    assert.equal(processed.length, 2, "only the two that finished were delivered");
    await eventually(() => warnings.length > 0, 5000, "the close's warning");
    assert.deepEqual(warnings, [warnings[0]], "one warning");
    assert.match(warnings[0], /6 not sent .*, 0 cut off/);
  });

  describe("with a close grace of 300 ms instead of 10 s", function () {
    const saved = { ...closeTiming };
    before(() => Object.assign(closeTiming, { graceMs: 300, waitMs: 2000 }));
    after(() => Object.assign(closeTiming, saved));

    it("stop: a request stalled on the wire is aborted after the grace period and reported MAYBE_DELIVERED", async function () {
      await load({ timeout: 60 });
      const node = helper.getNode("n1");
      const ends = watchEnds(node);
      const warnings = watchWarnings(node);
      const timedOut = [];
      helper.getNode("server").on("call:error", (call) => timedOut.push(call.args[0]));
      await injectFault(env.practiceServer, { kind: "delay", delayMs: 30_000, count: 1 });
      node.receive({ id: "stalled", payload: "stalled" });
      await eventually(async () => (await recorded(env.practiceServer)).length === 1, 5000, "the request at the server");

      await helper.clearFlows();

      await eventually(() => ends.length === 1, 3000, "the stalled message to end");
      assert.equal(ends[0].code, "MAYBE_DELIVERED");
      assert.match(ends[0].err.message, /may have been delivered/);
      assert.deepEqual(
        timedOut.filter((e) => /Close timed out/.test(String(e))),
        []
      );
      await eventually(() => warnings.length > 0, 5000, "the close's warning");
      assert.match(warnings[0], /0 not sent .*, 1 cut off on the wire and may have been delivered/);
      await eventually(() => env.front.stats.open === 0, 5000, "no open connection");
    });
  });

  it("redeploy: the old dispatcher closes, messages in flight still end once, the new flow delivers", async () => {
    await load({ retries: 0 });
    const oldNode = helper.getNode("n1");
    const ends = watchEnds(oldNode);
    await injectFault(env.practiceServer, { kind: "delay", delayMs: 500, count: 3 });
    for (let i = 0; i < 6; i++) oldNode.receive({ id: i, payload: `before redeploy ${i}` });
    await eventually(async () => (await recorded(env.practiceServer)).length === 3, 5000, "three requests at the server");
    const connectionsBefore = env.front.stats.total;

    await helper._redNodes.setFlows(flow({ retries: 0, concurrency: 2 }), { server: { apiToken: env.practiceServer.tokens.admin } }, "full");
    await eventually(() => helper.getNode("n1") && helper.getNode("n1") !== oldNode, 12_000, "the new flow");

    await eventually(() => ends.length === 6, 12_000, "every message of the old flow to end");
    assert.equal(new Set(ends.map((e) => e.id)).size, 6);
    assert.deepEqual(ends.map((e) => e.code ?? "ok").sort(), ["CLOSED", "CLOSED", "CLOSED", "ok", "ok", "ok"]);

    const newNode = helper.getNode("n1");
    const delivered = new Promise((resolve) => helper.getNode("out").once("input", resolve));
    newNode.receive({ id: "after", payload: "after redeploy" });
    assert.equal((await delivered).id, "after");
    assert.ok(env.front.stats.total > connectionsBefore, "the new config node has its own connection");
    await eventually(() => env.front.stats.open === 1, 5000, "the old connections to close (one new one stays)");
  });
});
