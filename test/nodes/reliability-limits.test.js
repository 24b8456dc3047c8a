"use strict";
// The config node's concurrency limit and bounded queue, shared by every node that uses it.
const assert = require("node:assert/strict");
const { Limiter } = require("../../nodes/core/transport/limiter");
const { CallScope } = require("../../nodes/core/transport/call-scope");
const { helper, recorded, injectFault, catchNode } = require("../support");
const { practiceServerBehindRelay, eventually } = require("../support/reliability-support");
const configNode = require("../../nodes/cam-config.js");
const sendMessageNode = require("../../nodes/cam-send-message.js");

describe("reliability: concurrency limit and queue", function () {
  describe("Limiter", function () {
    it("runs at most N at once, queues at most M, and refuses the rest at once with QUEUE_FULL", async () => {
      const limiter = new Limiter(2, 3);
      assert.equal(limiter.acquire(), undefined);
      assert.equal(limiter.acquire(), undefined);
      const queued = [limiter.acquire(), limiter.acquire(), limiter.acquire()];
      assert.ok(queued.every((p) => p instanceof Promise));
      await assert.rejects(limiter.acquire(), (err) => err.code === "QUEUE_FULL" && /limit 3/.test(err.message));
      assert.equal(limiter.inFlight, 2);
      assert.equal(limiter.queued, 3);
      limiter.release();
      await queued[0];
      assert.equal(limiter.inFlight, 2);
      assert.equal(limiter.queued, 2);
      limiter.close();
      await Promise.all(queued.slice(1).map((p) => assert.rejects(p, { code: "CLOSED" })));
      await assert.rejects(limiter.acquire(), { code: "CLOSED" });
    });

    it("takes a caller whose node stops waiting out of the queue, and frees its place", async () => {
      const limiter = new Limiter(1, 1);
      limiter.acquire();
      const scope = new CallScope();
      const leaving = limiter.acquire(scope);
      scope.stopWaiting();
      await assert.rejects(leaving, { code: "CLOSED" });
      assert.equal(limiter.queued, 0);
      const next = limiter.acquire();
      limiter.release();
      await next;
      assert.equal(limiter.inFlight, 1);
      limiter.release();
      assert.equal(limiter.inFlight, 0);
    });
  });

  describe("in a flow, against a slow server", function () {
    const env = practiceServerBehindRelay();

    it("shares the limit between all nodes of one config; a full queue fails fast with QUEUE_FULL", async () => {
      const concurrency = 4;
      const queueLimit = 20;
      const flow = [
        { id: "f1", type: "tab" },
        { id: "server", type: "cam-config", serverURL: env.front.url, concurrency, queueLimit, retries: 0 },
        { id: "a", z: "f1", type: "cam-send-message", server: "server", recipients: "user1@xxx.com", wires: [["out"]] },
        { id: "b", z: "f1", type: "cam-send-message", server: "server", recipients: "user2@xxx.com", wires: [["out"]] },
        { id: "out", z: "f1", type: "helper" },
        { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
        { id: "err", z: "f1", type: "helper" },
      ];
      await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: env.practiceServer.tokens.admin } });
      await injectFault(env.practiceServer, { kind: "delay", delayMs: 200, probability: 1 });

      const sent = 200;
      const events = [];
      helper.getNode("out").on("input", (msg) => events.push({ id: msg.id, ok: true }));
      helper.getNode("err").on("input", (msg) => events.push({ id: msg.id, code: msg.error.code }));
      for (let i = 0; i < sent; i++) helper.getNode(i % 2 ? "a" : "b").receive({ id: i, payload: `message ${i}` });
      await eventually(() => events.length === sent, 15_000, "every message to end");

      const delivered = events.filter((e) => e.ok);
      const refused = events.filter((e) => e.code === "QUEUE_FULL");
      assert.equal(delivered.length, concurrency + queueLimit);
      assert.equal(refused.length, sent - concurrency - queueLimit);
      assert.equal(new Set(events.map((e) => e.id)).size, sent, "each message ends exactly once");
      // Fail fast: every refusal came before the first (slow) delivery.
      assert.ok(events.findIndex((e) => e.ok) > events.findLastIndex((e) => e.code === "QUEUE_FULL"));
      assert.ok(env.front.stats.max <= concurrency, `${env.front.stats.max} connections at once`);
      assert.equal((await recorded(env.practiceServer)).length, concurrency + queueLimit);
    });
  });
});
