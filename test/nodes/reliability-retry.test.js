"use strict";
// Which failures are retried, how often and how long apart, and what the flow sees when a request
// may have reached the server.
const assert = require("node:assert/strict");
const http = require("node:http");
const net = require("node:net");
const fc = require("fast-check");
const { CamClient } = require("../../nodes/cam/cam-client");
const { retryDelay } = require("../../nodes/core/transport/retry");
const { helper, startPracticeServer, recorded, injectFault, resetPracticeServer, operationFlow, outcome, catchNode } = require("../support");
const { relay, selfSignedCertificate, eventually } = require("../support/reliability-support");
const { statusKey } = require("../support/status");
const configNode = require("../../nodes/cam-config.js");
const sendMessageNode = require("../../nodes/cam-send-message.js");

const directMessage = (text) => ({
  apiName: "sendMessage",
  form: { message: JSON.stringify({ panelName: "messenger", message: text, isOpened: false, generalPurposes: { users: "user1@xxx.com" } }) },
});

describe("reliability: retries", function () {
  let practiceServer;
  const clients = [];
  before(async () => (practiceServer = await startPracticeServer()));
  after(() => practiceServer.close());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await resetPracticeServer(practiceServer);
  });

  function client(options = {}) {
    const c = new CamClient({
      serverURL: practiceServer.url,
      token: practiceServer.tokens.admin,
      connections: 4,
      queueLimit: 100,
      rejectUnauthorized: true,
      timeoutMs: 5000,
      retries: 3,
      retryBaseMs: 1,
      maxRetryDelayMs: 5,
      ...options,
    });
    clients.push(c);
    return c;
  }

  describe("back-off", function () {
    it("doubles from the base up to the maximum, with jitter between half and all of it", function () {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 0, max: 5000 }),
          fc.integer({ min: 0, max: 120_000 }),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          (attempt, retryBaseMs, maxRetryDelayMs, r) => {
            const capped = Math.min(maxRetryDelayMs, retryBaseMs * 2 ** (attempt - 1));
            const delay = retryDelay({ retries: 3, retryBaseMs, maxRetryDelayMs }, attempt, () => r);
            return delay >= Math.floor(capped / 2) && delay <= capped;
          }
        ),
        { numRuns: 2000 }
      );
      const policy = { retries: 5, retryBaseMs: 500, maxRetryDelayMs: 3000 };
      assert.deepEqual(
        [1, 2, 3, 4, 5].map((a) => retryDelay(policy, a, () => 0.999999)),
        [500, 1000, 2000, 3000, 3000]
      );
      assert.deepEqual(
        [1, 2, 3].map((a) => retryDelay(policy, a, () => 0)),
        [250, 500, 1000]
      );
    });

    it("never waits longer than the configured maximum, and reports each wait to the status hook", async () => {
      await injectFault(practiceServer, { kind: "error520", code: "491", count: 4 });
      const waits = [];
      const c = client({ retries: 5, retryBaseMs: 1000, maxRetryDelayMs: 20 });
      await c.call(directMessage("capped"), { onRetry: (attempt, error, delay) => waits.push({ attempt, code: error.code, delay }) });
      assert.deepEqual(
        waits.map((w) => [w.attempt, w.code]),
        [
          [1, "491"],
          [2, "491"],
          [3, "491"],
          [4, "491"],
        ]
      );
      for (const w of waits) assert.ok(w.delay >= 10 && w.delay <= 20, `delay ${w.delay}`);
    });
  });

  for (const [name, fault] of [
    ["491 (too many requests)", { kind: "error520", code: "491" }],
    ["503 in an HTTP-200 error answer", { kind: "error520", code: "503" }],
    ["HTTP 502", { kind: "http502" }],
    ["HTTP 503", { kind: "http503" }],
  ]) {
    it(`retries ${name} and delivers the message exactly once`, async () => {
      await injectFault(practiceServer, { ...fault, count: 2 });
      const res = await client().call(directMessage(name));
      assert.deepEqual(res.data, { status: 200 });
      const requests = await recorded(practiceServer);
      assert.deepEqual(
        requests.map((r) => [r.outcome.fault, r.outcome.processed]),
        [
          [fault.kind, false],
          [fault.kind, false],
          [null, true],
        ]
      );
    });
  }

  // A gateway that gave up waiting cannot say whether the server behind it acted: only reads are repeated.
  for (const [what, request, calls] of [
    ["a read-only call", { apiName: "getConferenceMaster" }, 2],
    ["a message (not repeated: it may have been delivered)", directMessage("504"), 1],
  ]) {
    it(`after HTTP 504 (a gateway in front of the server) retries ${what}`, async () => {
      let seen = 0;
      const gateway = http.createServer((req, res) => {
        req.resume();
        seen++;
        if (seen === 1) res.writeHead(504).end("gateway timeout");
        else res.writeHead(200, { "content-type": "application/json" }).end('{"status":200,"conferenceRooms":[]}');
      });
      await new Promise((r) => gateway.listen(0, "127.0.0.1", r));
      try {
        const outcome = await client({ serverURL: `http://127.0.0.1:${gateway.address().port}` })
          .call(request)
          .then(
            () => "answered",
            (err) => err.code
          );
        assert.equal(outcome, calls === 2 ? "answered" : "HTTP_504");
        assert.equal(seen, calls);
      } finally {
        gateway.closeAllConnections();
        gateway.close();
      }
    });
  }

  for (const [name, fault, code] of [
    ["HTTP 500", { kind: "http500" }, "HTTP_500"],
    ["805 (invalid token)", { kind: "error520", code: "805" }, "805"],
    ["400 (invalid request)", { kind: "error520", code: "400" }, "400"],
  ]) {
    it(`does not retry ${name}`, async () => {
      await injectFault(practiceServer, { ...fault, count: 1 });
      await assert.rejects(client().call(directMessage(name)), (err) => err.code === code && err.details.attempts === 1);
      assert.equal((await recorded(practiceServer)).length, 1);
    });
  }

  it("gives up after the configured number of retries with the last code and the attempt count", async () => {
    await injectFault(practiceServer, { kind: "error520", code: "491", count: 10 });
    await assert.rejects(client({ retries: 2 }).call(directMessage("no luck")), (err) => {
      assert.equal(err.code, "491");
      assert.equal(err.details.attempts, 3);
      assert.equal(err.cause.attempts, 3);
      return true;
    });
    assert.equal((await recorded(practiceServer)).length, 3);
  });

  it("retries: 0 sends once", async () => {
    await injectFault(practiceServer, { kind: "error520", code: "491", count: 1 });
    await assert.rejects(client({ retries: 0 }).call(directMessage("once")), { code: "491" });
    assert.equal((await recorded(practiceServer)).length, 1);
  });

  it("retries a refused connection (nothing was sent) and delivers once the server is up", async () => {
    const port = await freePort();
    let server;
    const seen = [];
    const c = client({ serverURL: `http://127.0.0.1:${port}`, retries: 3 });
    try {
      const res = await c.call(directMessage("server came up"), {
        onRetry(attempt, error) {
          seen.push(error.code);
          // The server starts while the client waits to retry.
          server ??= net.createServer((s) => s.pipe(net.connect(practiceServer.port, "127.0.0.1")).pipe(s)).listen(port, "127.0.0.1");
        },
      });
      assert.deepEqual(res.data, { status: 200 });
      assert.deepEqual(seen, ["NETWORK"]);
      assert.equal((await recorded(practiceServer)).filter((r) => r.outcome.processed).length, 1);
    } finally {
      await c.close();
      server?.close();
    }
  });

  it("retries a connection reset during the TLS handshake: no byte of the request was sent", async () => {
    const certificate = selfSignedCertificate();
    const front = await relay(practiceServer.port, { tls: certificate });
    try {
      front.refuseNext(1);
      const seen = [];
      const c = client({ serverURL: front.url, ca: certificate.cert });
      const res = await c.call(directMessage("after a reset handshake"), { onRetry: (a, e) => seen.push(e.code) });
      assert.deepEqual(res.data, { status: 200 });
      assert.deepEqual(seen, ["NETWORK"]);
      assert.equal(front.stats.total, 2);
      assert.equal((await recorded(practiceServer)).length, 1);
    } finally {
      await front.close();
    }
  });

  describe("after the request went out", function () {
    it("a connection dropped after processing is MAYBE_DELIVERED, not retried, delivered once", async () => {
      await injectFault(practiceServer, { kind: "drop-after", count: 1 });
      await assert.rejects(client().call(directMessage("processed, no answer")), (err) => {
        assert.equal(err.code, "MAYBE_DELIVERED");
        assert.match(err.message, /may have been delivered/);
        assert.equal(err.retryable, false);
        return true;
      });
      const requests = await recorded(practiceServer);
      assert.deepEqual(
        requests.map((r) => r.outcome.processed),
        [true]
      );
    });

    it("a connection dropped before processing is also MAYBE_DELIVERED: the client cannot tell the two apart", async () => {
      await injectFault(practiceServer, { kind: "drop", count: 1 });
      await assert.rejects(client().call(directMessage("dropped")), { code: "MAYBE_DELIVERED" });
      assert.deepEqual(
        (await recorded(practiceServer)).map((r) => r.outcome.processed),
        [false]
      );
    });

    it("a stall longer than the timeout is TIMEOUT, says it may have been delivered, and is not retried", async () => {
      await injectFault(practiceServer, { kind: "delay", delayMs: 1500, count: 1 });
      await assert.rejects(client({ timeoutMs: 300 }).call(directMessage("stalled")), (err) => {
        assert.equal(err.code, "TIMEOUT");
        assert.match(err.message, /may have been delivered/);
        return true;
      });
      assert.equal((await recorded(practiceServer)).length, 1);
    });

    it("a read-only call is repeated after a broken connection, since repeating it changes nothing", async () => {
      await injectFault(practiceServer, { kind: "drop-after", count: 1 });
      const seen = [];
      const res = await client().call({ apiName: "getConferenceRooms" }, { onRetry: (a, e) => seen.push(e.code) });
      assert.ok(Array.isArray(res.data.conferenceRooms));
      assert.deepEqual(seen, ["NETWORK"]);
      assert.equal((await recorded(practiceServer)).length, 2);
    });
  });

  describe("in a flow", function () {
    afterEach(() => helper.unload());

    it('shows "retrying" in the node status while it waits, then done', async () => {
      // A first wait of 250–500 ms outlasts the status coalescing window (200 ms), so "retrying" is shown.
      const flow = operationFlow(
        "cam-send-message",
        { recipients: "user1@xxx.com" },
        { url: practiceServer.url, serverProps: { retries: 1, maxRetryDelay: 0.5 } }
      );
      await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
      const statuses = [];
      helper.getNode("n1").on("call:status", (call) => statuses.push(call.args[0]));
      await injectFault(practiceServer, { kind: "error520", code: "491", count: 1 });
      const { msg, error } = await outcome({ payload: "status please" });
      assert.equal(error, undefined);
      assert.deepEqual(msg.payload, { status: 200 });
      await eventually(() => statuses.some((s) => s.text === statusKey("status.done")), 2000, "the final status");
      const texts = statuses.map((s) => s.text);
      assert.ok(texts.includes(statusKey("status.retrying")), texts.join(", "));
      assert.equal(statuses.find((s) => s.text === statusKey("status.retrying")).fill, "yellow");
      assert.equal(texts.at(-1), statusKey("status.done"));
    });
  });
});

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
