"use strict";
// The node path every operation shares (operation-node.ts), with a made-up operation, long-lived
// operation and server node in the real Node-RED runtime (test helper): each message ends exactly
// once, with the error that says why; a close reports the messages it cut off, once, and nothing else;
// a long-lived operation's bad settings and a missing server fail its messages before its work sees them.
const assert = require("node:assert/strict");
const { helper, catchNode } = require("../support");
const { registerOperation, once } = require("../../nodes/core/node/operation-node");
const { closeTiming } = require("../../nodes/core/node/close-timing");
const { CodedError, inputError } = require("../../nodes/core/errors");

/** What the made-up server and operations do; each test sets what it needs. */
const bench = {
  /** The server node's API call. */
  call: async (req) => ({ echo: req.value }),
  /** The server node's configuration error, if any. */
  configError: undefined,
  /** Messages a long-lived operation's work was given. */
  started: [],
};

function pathNodes(RED) {
  function PathConfig(config) {
    RED.nodes.createNode(this, config);
    if (bench.configError) this.configError = bench.configError;
    else this.client = { call: (req, hooks) => bench.call(req, hooks) };
  }
  RED.nodes.registerType("pathtest-config", PathConfig);

  registerOperation(RED, {
    type: "pathtest-op",
    inputs: { value: { value: "payload", type: "msg" } },
    run: async ({ values }, call) => ({ payload: await call({ value: values.value }) }),
  });

  registerOperation(RED, {
    type: "pathtest-watch",
    inputs: { value: { value: "payload", type: "msg" } },
    closeWarning: "warnings.closedWithMessages",
    open(node) {
      if (node.settings.mode === "bad") throw inputError("mode", "range", { min: 1, max: 2 });
      return {
        start(input, send, done) {
          bench.started.push(input.values.value);
          done();
        },
        close: () => 0,
      };
    },
  });
}

function flow(type, props = {}, { server = "server", wires = [["out"]] } = {}) {
  return [
    { id: "f1", type: "tab" },
    { id: "server", type: "pathtest-config" },
    { id: "n1", z: "f1", type, server, wires, ...props },
    { id: "out", z: "f1", type: "helper" },
    { id: "out2", z: "f1", type: "helper" },
    { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
    { id: "err", z: "f1", type: "helper" },
  ];
}

const load = (type, props, options) => helper.load([pathNodes, catchNode], flow(type, props, options));

/** Sends msg into n1: resolves with {msg} from the output or {error} from the Catch node. */
function outcome(msg) {
  return new Promise((resolve) => {
    helper.getNode("out").once("input", (m) => resolve({ msg: m }));
    helper.getNode("err").once("input", (m) => resolve({ error: m.error }));
    helper.getNode("n1").receive(msg);
  });
}

/** What n1 logged and warned, as the log shows it (the helper reports each on the next tick). */
function watch(node) {
  const seen = { errors: [], warnings: [] };
  node.on("call:error", (call) => seen.errors.push(String(call.args[0]?.message ?? call.args[0])));
  node.on("call:warn", (call) => seen.warnings.push(String(call.args[0])));
  return seen;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A call that ignores the close's abort and ends when the test says so. */
function heldCall() {
  let end;
  const ended = new Promise((resolve) => (end = resolve));
  let arrived;
  const started = new Promise((resolve) => (arrived = resolve));
  bench.call = async () => {
    arrived();
    const err = await ended;
    throw err;
  };
  return { started, fail: (err) => end(err) };
}

describe("node path", function () {
  this.timeout(10_000);
  const timing = { ...closeTiming };

  beforeEach(() => {
    bench.call = async (req) => ({ echo: req.value });
    bench.configError = undefined;
    bench.started = [];
  });
  afterEach(async () => {
    await helper.unload();
    Object.assign(closeTiming, timing);
  });

  describe("inputs", () => {
    it("refuses a message property that throws when read as unreadable, naming the input", async () => {
      await load("pathtest-op");
      // Not enumerable: Node-RED's copies skip it, only reading it throws.
      const msg = Object.defineProperty({}, "payload", {
        get: () => {
          throw new Error("sensor offline");
        },
      });
      const { error } = await outcome(msg);
      assert.equal(error.code, "INVALID_INPUT");
      assert.equal(error.message, "value: cannot be read (a getter or a Proxy threw an error).");
      assert.equal(error.cause.field, "value");
    });
  });

  describe("sending", () => {
    it("ends the message with an error when Node-RED cannot copy the result for a second wire", async () => {
      bench.call = async () =>
        Object.defineProperty({}, "reading", {
          enumerable: true,
          get: () => {
            throw new Error("sensor offline");
          },
        });
      await load("pathtest-op", {}, { wires: [["out", "out2"]] });
      const seen = watch(helper.getNode("n1"));
      helper.getNode("n1").receive({ payload: "x" });
      // Neither wire nor the Catch node can have a copy: the log is where the message ends.
      for (let i = 0; i < 100 && seen.errors.length === 0; i++) await sleep(10);
      assert.deepEqual(seen.errors, ["sensor offline"]);
    });
  });

  describe("long-lived operation", () => {
    it("says once in the log that a setting is wrong, and fails each message with it before its work sees it", async () => {
      await load("pathtest-watch", { mode: "bad" });
      for (const payload of ["a", "b"]) {
        const { error } = await outcome({ payload });
        assert.equal(error.code, "INVALID_INPUT");
        assert.equal(error.message, "mode: must be a whole number from 1 to 2.");
        assert.equal(error.cause.field, "mode");
      }
      assert.deepEqual(bench.started, []);
      const logged = helper.log().args.filter(([e]) => e.level === helper.log().ERROR && e.id === "n1");
      assert.deepEqual(
        logged.map(([e]) => e.msg),
        ["mode: must be a whole number from 1 to 2."]
      );
    });

    it("fails a message at once without a server node, before its work sees it", async () => {
      await load("pathtest-watch", {}, { server: "" });
      const { error } = await outcome({ payload: "a" });
      assert.equal(error.code, "NOT_CONFIGURED");
      assert.equal(error.message, "server: no server is configured for this node; choose one in the node's settings.");
      assert.deepEqual(bench.started, []);
    });

    it("fails a message with its server node's configuration error, before its work sees it", async () => {
      bench.configError = new CodedError("NOT_CONFIGURED", "serverURL: enter a URL that starts with https:// or http://", { field: "serverURL" });
      await load("pathtest-watch");
      const { error } = await outcome({ payload: "a" });
      assert.equal(error.message, "serverURL: enter a URL that starts with https:// or http://");
      assert.equal(error.cause.field, "serverURL");
      assert.deepEqual(bench.started, []);
    });

    it("ends a message whose inputs were read after the close without an error, and does not start it", async () => {
      await load("pathtest-watch", { value: '"late"', valueType: "jsonata" });
      const node = helper.getNode("n1");
      const seen = watch(node);
      node.receive({ payload: "a" });
      // The JSONata value is read after this tick, once the node is closing.
      await node.close(false);
      await sleep(50);
      assert.deepEqual(bench.started, []);
      assert.deepEqual(seen.errors, []);
    });
  });

  describe("close", () => {
    it("counts in its warning only the messages it cut off, not one that failed for its own reason", async () => {
      closeTiming.graceMs = 20;
      closeTiming.waitMs = 2000;
      const held = heldCall();
      await load("pathtest-op");
      const node = helper.getNode("n1");
      const seen = watch(node);
      const end = outcome({ payload: "a" });
      await held.started;
      const closed = node.close(false);
      held.fail(new CodedError("805", "the API token is not valid (805)"));
      await closed;
      assert.equal((await end).error.code, "805");
      await sleep(20); // the helper reports a node's calls on the next tick
      assert.deepEqual(seen.warnings, []);
    });

    it("warns once of a message cut off on the wire, with its count", async () => {
      closeTiming.graceMs = 20;
      closeTiming.waitMs = 2000;
      const held = heldCall();
      await load("pathtest-op");
      const node = helper.getNode("n1");
      const seen = watch(node);
      outcome({ payload: "a" });
      await held.started;
      const closed = node.close(false);
      held.fail(new CodedError("MAYBE_DELIVERED", "cut off"));
      await closed;
      await sleep(20); // the helper reports a node's calls on the next tick
      assert.deepEqual(seen.warnings, [
        "Stopped or redeployed while holding messages: 0 not sent (ended as CLOSED), 1 cut off on the wire and may have been delivered (ended as MAYBE_DELIVERED).",
      ]);
    });

    it("that gave up waiting for a call reports nothing more when the call ends later", async () => {
      closeTiming.graceMs = 10;
      closeTiming.waitMs = 30;
      const held = heldCall();
      await load("pathtest-op");
      const node = helper.getNode("n1");
      const seen = watch(node);
      const end = outcome({ payload: "a" });
      await held.started;
      await node.close(false);
      held.fail(new CodedError("MAYBE_DELIVERED", "cut off"));
      assert.equal((await end).error.code, "MAYBE_DELIVERED");
      await sleep(50);
      assert.deepEqual(seen.warnings, []);
    });
  });
});

describe("once (the end of a message)", () => {
  const node = () => {
    const logged = [];
    return { logged, error: (err) => logged.push(err) };
  };

  it("ends a message once: later ends are ignored", () => {
    const ends = [];
    const n = node();
    const end = once((err) => ends.push(err), n);
    const error = new Error("first");
    end(error);
    end();
    end(new Error("second"));
    assert.deepEqual(ends, [error]);
    assert.deepEqual(n.logged, []);
  });

  it("logs the error when Node-RED cannot end the message with it (it could not copy the message)", () => {
    const n = node();
    const error = new CodedError("805", "the API token is not valid (805)");
    once(() => {
      throw new Error("cannot copy");
    }, n)(error);
    assert.deepEqual(n.logged, [error]);
  });

  it("logs that a message could not be ended when it had no error", () => {
    const n = node();
    once(() => {
      throw new Error("cannot copy");
    }, n)();
    assert.equal(n.logged.length, 1);
    assert.ok(n.logged[0] instanceof Error);
    assert.equal(n.logged[0].message, "done");
  });
});
