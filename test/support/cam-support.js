"use strict";
// Plumbing for the Chat&Messenger node tests: a practice server whose admin token is a canary, a flow per
// node, one outcome per input message, and a leak check of everything a user could see.
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const net = require("node:net");
const support = require(".");
const NodePrototype = require("@node-red/runtime/lib/nodes/Node").prototype;
const { StatusReporter } = require("../../nodes/core/node/status");
const { typesOf, loadNode } = require("./node-types");
const { inputReason } = require("./input-reasons");
const { statusKey, errorRing } = require("./status");

const { helper, control, recorded, injectFault, resetPracticeServer, catchNode } = support;

const TYPES = typesOf("cam");
const allNodes = [...typesOf("cam", { config: true }).map(loadNode), catchNode, support.completeNode];

const canary = (label) => `CANARY-${label}-${crypto.randomUUID()}`;

/** JSON of anything, errors with their message, stack and cause, cycles cut. */
function safeJson(value) {
  const seen = new WeakSet();
  return JSON.stringify(value, (key, v) => {
    if (v instanceof Error) return { message: v.message, stack: v.stack, ...v, cause: v.cause };
    if (Buffer.isBuffer(v)) return v.toString("utf8");
    if (v && typeof v === "object") {
      if (seen.has(v)) return "[circular]";
      seen.add(v);
    }
    return v;
  });
}

/**
 * Statuses, warnings, errors and log lines of every node while a test runs, and every status a
 * node asked for (the editor sees them coalesced, at most one per 200 ms).
 */
function trackVisible() {
  const seen = [];
  const asked = [];
  const methods = ["status", "warn", "error", "log"];
  const originals = methods.map((name) => NodePrototype[name]);
  methods.forEach((name, i) => {
    NodePrototype[name] = function (...args) {
      seen.push({ node: this.id, kind: name, args: safeJson(args) });
      return originals[i].apply(this, args);
    };
  });
  const set = StatusReporter.prototype.set;
  StatusReporter.prototype.set = function (status) {
    asked.push({ node: this.node.id, status: { ...status } });
    return set.call(this, status);
  };
  return {
    seen,
    statuses: (id = "n1") => asked.filter((s) => s.node === id).map((s) => s.status),
    warnings: () => seen.filter((s) => s.kind === "warn").map((s) => JSON.parse(s.args)[0]),
    restore: () => {
      methods.forEach((name, i) => (NodePrototype[name] = originals[i]));
      StatusReporter.prototype.set = set;
    },
  };
}

/**
 * Registers the hooks of one describe block: a practice server started with a canary admin token, and
 * after each test a check that every input message got exactly one output or one error and that
 * no token showed up anywhere a user could see. Returns the bed the tests use.
 */
function camTestBed(type, { label = type } = {}) {
  const bed = { type, practiceServer: undefined, secrets: [], visible: undefined, sent: [], outputs: [], errors: [] };

  before(async () => {
    bed.practiceServer = await support.startPracticeServer({ token: canary(label) });
  });
  after(() => bed.practiceServer?.close());
  beforeEach(() => {
    bed.secrets = Object.values(bed.practiceServer.tokens);
    bed.sent = [];
    bed.outputs = [];
    bed.errors = [];
    bed.visible = trackVisible();
  });
  afterEach(async function () {
    await helper.unload(); // waits for the nodes' close handlers, so no outcome can still be on its way
    bed.visible.restore();
    const logs = helper.log() ? helper.log().args.map(safeJson) : [];
    await control(bed.practiceServer, "POST", "settings", { rateLimit: null });
    await resetPracticeServer(bed.practiceServer);
    if (this.currentTest.state !== "passed") return;
    const visible = [safeJson(bed.outputs), safeJson(bed.errors), safeJson(bed.visible.seen), ...logs].join("\n");
    for (const secret of bed.secrets) assert.ok(!visible.includes(secret), `a token leaked in "${this.currentTest.title}"`);
    const ids = bed.sent.map((m) => m._msgid);
    const ends = [...bed.outputs, ...bed.errors].map((m) => m._msgid);
    assert.deepEqual([...ends].sort(), [...ids].sort(), "every input ends with exactly one output or one error");
  });

  /** Deploys the node under test (n1) with the config node, an output helper and a Catch node. */
  bed.load = async (props = {}, { token = bed.practiceServer.tokens.admin, serverProps, url = bed.practiceServer.url, flow } = {}) => {
    if (token) bed.secrets.push(token);
    if (helper.getNode("n1")) await helper.unload();
    const nodes = flow ?? support.operationFlow(type, props, { url, serverProps });
    const credentials = token === null ? {} : { server: { apiToken: token } };
    await helper.load(allNodes, nodes, credentials);
    // One listener each, registered once: Node-RED's input callbacks must not change while it calls them.
    helper.getNode("out").on("input", (msg) => arrived(bed.outputs, msg, { msg }));
    helper.getNode("err").on("input", (msg) => arrived(bed.errors, msg, { error: msg.error, msg }));
  };

  const waiting = new Map();
  function arrived(list, msg, result) {
    list.push(msg);
    const resolve = waiting.get(msg._msgid);
    waiting.delete(msg._msgid);
    if (resolve) resolve(result);
  }

  /** Sends msg into n1; resolves with {msg} from the output or {error, msg} from the Catch node. */
  bed.send = (msg, target = "n1") => {
    msg._msgid = crypto.randomUUID();
    bed.sent.push(msg);
    return new Promise((resolve) => {
      waiting.set(msg._msgid, resolve);
      helper.getNode(target).receive(msg);
    });
  };

  /** Like send, but the outcome must be an output: returns that msg. */
  bed.ok = async (msg) => {
    const { msg: out, error } = await bed.send(msg);
    assert.equal(error, undefined, error && error.message);
    return out;
  };

  /** Like send, but the outcome must be an error: returns msg.error of the Catch node's message. */
  bed.fail = async (msg) => {
    const { error } = await bed.send(msg);
    assert.ok(error, "expected an error");
    return error;
  };

  bed.recorded = () => recorded(bed.practiceServer);
  bed.fault = (fault) => injectFault(bed.practiceServer, fault);
  bed.control = (method, path, body) => control(bed.practiceServer, method, path, body);
  return bed;
}

/** Form fields of a recorded form-urlencoded request, in order. */
const formOf = (req) => [...new URLSearchParams(req.body)];

/** The checks every request of this package must pass. */
function assertApiRequest(req, { token, method = "POST", path, form = true }) {
  assert.equal(req.method, method);
  assert.equal(req.path, path);
  assert.equal(req.headers["x-cam-apitoken"], token);
  if (form) assert.match(req.headers["content-type"], /^application\/x-www-form-urlencoded/);
}

/** A loopback port that nothing listens on. */
function closedPort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The error classes every node shares, each checked on the way to a Catch node: `valid` is the
 * node's properties and an input message that succeeds against the practice server. A read-only call may
 * be repeated after a broken connection; a writing one may have been delivered and is not.
 * The transport is tested once at the core (test/unit/transport.test.js): every node gets the
 * checks that depend on the node (its token, a retry, its read-only rule, its configuration), and
 * `full` adds the rest of the transport's failures through a node, for one reading and one writing node.
 */
function transportErrorTests(bed, { props = {}, msg = () => ({ payload: "" }), apiName, readOnly = false, full = false }) {
  const everyNode = it;
  const someNodes = full ? it : () => undefined;
  const path = `/${apiName}`;
  const ours = async () => (await bed.recorded()).filter((r) => r.path === path);

  it("reports a wrong API token as 805 with the documented meaning", async () => {
    const wrong = canary("wrong-token");
    await bed.load(props, { token: wrong });
    const error = await bed.fail(msg());
    assert.equal(error.code, "805");
    assert.match(error.message, /805: the API token is not valid/);
    assert.deepEqual(bed.visible.statuses().at(-1), errorRing("status.codes.805"), "the status says: wrong API token (805)");
    const [req] = await ours();
    assert.equal(req.headers["x-cam-apitoken"], wrong);
    assert.equal(req.outcome.code, "805");
  });

  it("retries 491 (too many requests) and delivers once", async () => {
    await bed.load(props, { serverProps: { retries: 2, maxRetryDelay: 0 } });
    await bed.fault({ kind: "error520", code: "491", count: 1 });
    await bed.ok(msg());
    assert.deepEqual(
      (await ours()).map((r) => r.outcome.code),
      ["491", null]
    );
    assert.ok(
      bed.visible.statuses().some((s) => s.text === statusKey("status.retrying")),
      "the status showed the retry"
    );
  });

  someNodes("reports the practice server's rate limit as 491 once the retries are used up", async () => {
    await bed.load(props, { serverProps: { retries: 2, maxRetryDelay: 0 } });
    await bed.control("POST", "settings", { rateLimit: { requests: 1, perMs: 600_000 } });
    await bed.ok(msg());
    const error = await bed.fail(msg());
    assert.equal(error.code, "491");
    assert.match(error.message, /too many requests/);
    assert.equal(error.cause.retryable, true);
    const codes = (await bed.recorded()).map((r) => r.outcome.code);
    assert.deepEqual(codes.slice(-3), ["491", "491", "491"], "three attempts: the first and two retries");
  });

  someNodes("reports maintenance as 503", async () => {
    await bed.load(props);
    await bed.control("POST", "maintenance", { on: true });
    const error = await bed.fail(msg());
    assert.equal(error.code, "503");
    assert.match(error.message, /unavailable/);
  });

  for (const status of [500, 503]) {
    (status === 500 ? everyNode : someNodes)(`reports HTTP ${status} as HTTP_${status}`, async () => {
      await bed.load(props);
      await bed.fault({ kind: `http${status}`, count: 1 });
      const error = await bed.fail(msg());
      assert.equal(error.code, `HTTP_${status}`);
      assert.equal(error.cause.status, status);
      assert.deepEqual(bed.visible.statuses().at(-1), errorRing(`status.codes.HTTP_${status}`));
    });
  }

  someNodes("reports a closed port as NETWORK after retrying", async () => {
    const port = await closedPort();
    await bed.load(props, { url: `http://127.0.0.1:${port}`, serverProps: { retries: 1, maxRetryDelay: 0 } });
    const error = await bed.fail(msg());
    assert.equal(error.code, "NETWORK");
    assert.match(error.message, /ECONNREFUSED/);
    assert.ok(
      bed.visible.statuses().some((s) => s.text === statusKey("status.retrying")),
      "it was retried"
    );
    assert.deepEqual(bed.visible.statuses().at(-1), errorRing("status.codes.NETWORK"), "the status says: server unreachable (NETWORK)");
  });

  for (const kind of ["drop", "drop-after"]) {
    if (readOnly) {
      it(`repeats a read after a connection closed without an answer ("${kind}")`, async () => {
        await bed.load(props, { serverProps: { retries: 2, maxRetryDelay: 0 } });
        await bed.fault({ kind, count: 1 });
        await bed.ok(msg());
        assert.deepEqual(
          (await ours()).map((r) => r.outcome.fault),
          [kind, null]
        );
      });
      it(`reports a read whose connection keeps closing ("${kind}") as NETWORK once the retries are used up`, async () => {
        await bed.load(props, { serverProps: { retries: 1, maxRetryDelay: 0 } });
        await bed.fault({ kind, count: 2 });
        const error = await bed.fail(msg());
        assert.equal(error.code, "NETWORK");
        assert.deepEqual(
          (await ours()).map((r) => r.outcome.fault),
          [kind, kind]
        );
      });
      continue;
    }
    it(`reports a connection closed without an answer ("${kind}") as MAYBE_DELIVERED, not retried`, async () => {
      await bed.load(props, { serverProps: { retries: 2, maxRetryDelay: 0 } });
      await bed.fault({ kind, count: 1 });
      const error = await bed.fail(msg());
      assert.equal(error.code, "MAYBE_DELIVERED");
      assert.match(error.message, /may have been delivered/);
      const requests = await ours();
      assert.equal(requests.length, 1, "a request that may have been delivered is not sent again");
      assert.equal(requests[0].outcome.fault, kind);
    });
  }

  someNodes("reports a stall longer than the timeout as TIMEOUT", async () => {
    await bed.load(props, { serverProps: { timeout: 1 } });
    await bed.fault({ kind: "delay", delayMs: 3_000, count: 1 });
    const error = await bed.fail(msg());
    assert.equal(error.code, "TIMEOUT");
    assert.match(error.message, /timeout/);
  });

  it("reports a missing server as NOT_CONFIGURED, naming the field, without a request", async () => {
    const flow = support.operationFlow(bed.type, { ...props, server: "" }, { url: bed.practiceServer.url }).filter((n) => n.id !== "server");
    await bed.load(props, { flow, token: null });
    assert.deepEqual(bed.visible.statuses()[0], { fill: "red", shape: "ring", text: statusKey("status.noServer") });
    const error = await bed.fail(msg());
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "server");
    assert.match(error.message, /^server: /);
    assert.deepEqual(await bed.recorded(), []);
  });

  it("reports a missing API token as NOT_CONFIGURED, naming the field, without a request", async () => {
    await bed.load(props, { token: null });
    const error = await bed.fail(msg());
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "apiToken");
    assert.match(error.message, /^apiToken: /);
    assert.deepEqual(await bed.recorded(), []);
  });

  it("reports an invalid server URL as NOT_CONFIGURED, naming the field, without a request", async () => {
    await bed.load(props, { url: "chat.example.com" });
    const error = await bed.fail(msg());
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "serverURL");
    assert.match(error.message, /^serverURL: /);
    assert.deepEqual(await bed.recorded(), []);
  });
}

/**
 * Input that must be refused before any request, with an error naming the field and stating a
 * reason of the catalogue: `reason` (its key, e.g. "seconds") where the case gives one.
 */
function inputErrorTests(bed, cases) {
  for (const [name, props, msg, field, reason] of cases) {
    it(`rejects ${name}, naming ${field}${reason ? ` (${reason})` : ""}, before any request`, async () => {
      await bed.load(props);
      const error = await bed.fail(msg);
      assert.equal(error.code, "INVALID_INPUT");
      assert.ok(error.message.startsWith(`${field}: `), error.message);
      assert.equal(error.cause.field, field);
      const stated = inputReason(error);
      if (reason) assert.equal(stated, reason, error.message);
      assert.deepEqual(await bed.recorded(), []);
    });
  }
}

module.exports = {
  helper,
  TYPES,
  allNodes,
  canary,
  safeJson,
  trackVisible,
  camTestBed,
  formOf,
  assertApiRequest,
  closedPort,
  transportErrorTests,
  inputErrorTests,
};
