"use strict";
// Property-based fuzzing of the inputs of every operation of the tables that runs once per message (a
// long-lived one, the call watch, has its own tests) in a real Node-RED runtime against the practice
// server: values of every JS type for every typed input, deep (10,000 levels), cyclic, huge (5 MB,
// 100,000 items) and exotic values (throwing getters and Proxies, boxed values, lone surrogates...),
// hostile msg properties, and enough plausible values (test/support/fuzz-values.js) that a good share
// of the cases really reach the server. Each message must end exactly once, with an output of the
// operation's success shape or an error naming the field and a reason of the catalogue (or the
// server's own refusal, with its code), never INTERNAL, and nothing may crash, hang, reject unhandled
// or pollute a prototype. The node's output is wired to two nodes, so Node-RED copies every message
// it sends.
const assert = require("node:assert/strict");
const fc = require("fast-check");
const { helper, startPracticeServer, recorded, resetPracticeServer, catchNode } = require("../support");
const { inputReason } = require("../support/input-reasons");
const operations = require("../../nodes/cam/cam-operations");
const { operationTables } = require("../support/node-types");
const { plausibleFor, SUCCESS, ownPath } = require("../support/fuzz-values");
const configNode = require("../../nodes/cam-config.js");
const xassistConfigNode = require("../../nodes/xassist-config.js");

/** Cases per node: the special ones (specialCases) and random ones up to this number. */
const RUNS = Number(process.env.FUZZ_RUNS) || 1000;
/** Every operation of the tables that runs once per message (a long-lived one, the call watch, has its own tests). */
const tableOperations = (api) => [...operationTables().values()].map(({ entry }) => entry).filter((op) => op.type.startsWith(`${api}-`) && op.run);
const CAM_OPERATIONS = tableOperations("cam");
const XASSIST_OPERATIONS = tableOperations("xassist");

/** Values of every kind: what a function node or a JSON parser upstream might put into a msg. */
const hostile = fc.oneof(
  fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  }),
  // prettier-ignore
  fc.constantFrom(
    NaN, Infinity, -Infinity, -0, 0, 1e21, Number.MAX_SAFE_INTEGER + 2, true, false, null, undefined,
    "", " ", "\u0000", "\r\n", "\ud800", "null", "undefined", "true", "[object Object]", "__proto__", "constructor",
    "../../etc/passwd", "http://127.0.0.1:1/steal", "//evil.example/x", "%2e%2e/", "a,b;c d", "@", "x@", "@y",
    "2019-13-45", "202402", "20240230", "-1h", "1e999", "0x10", "<script>alert(1)</script>", "{\"a\":", "[", "]"
  ),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.date({ noInvalidDate: false }),
  fc.constant(null).map(() => JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}')),
  fc.constant(null).map(() => Object.assign(Object.create(null), { message: "no prototype", users: "user1@xxx.com" })),
  fc.array(fc.string(), { maxLength: 3000 })
);

/**
 * Values made in the property from their name, so that a counterexample stays readable (and fast-check
 * never reads a throwing getter while printing one). The costly ones are rare in the random runs and
 * tried once per input in "special values".
 */
const SPECIAL = {
  text64k: () => "x".repeat(1 << 16),
  text1m: () => "x".repeat(1 << 20),
  whitespace: () => " \t\r\n\u00a0\u3000",
  loneSurrogate: () => "ok\ud800",
  nested1500: () => nest(1500),
  // Deeper than Node-RED's own copy of a message can go (it overflows the stack near 2,000).
  arrays10k: () => nest(10_000),
  objects10k: () => nest(10_000, "inner"),
  cyclic: () => {
    const value = { name: "cycle", users: "user1@xxx.com", message: "m", list: [] };
    value.list.push(value);
    return value;
  },
  cyclicArray: () => {
    const list = ["user1@xxx.com"];
    list.push(list);
    return list;
  },
  throwingGetter: () => ({
    message: "m",
    name: "n",
    callId: "c",
    get users() {
      throw new Error("getter");
    },
    get email() {
      throw new Error("getter");
    },
  }),
  throwingProxy: () => new Proxy({}, trap()),
  throwingArrayProxy: () => new Proxy([], trap()),
  revokedProxy: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  getterInArray: () => [
    Object.defineProperty({}, "message", {
      enumerable: true,
      configurable: true,
      get: () => {
        throw new Error("getter");
      },
    }),
  ],
  boxed: () => [new String("text"), new Number(1), new Boolean(true)][Math.floor(Math.random() * 3)],
  exotic: () =>
    [new Date(NaN), new Date(8.64e15), new Map([["a", 1]]), new Set([1]), new Uint8Array(4), new (class Widget {})()][Math.floor(Math.random() * 6)],
  nullPrototype: () => Object.assign(Object.create(null), { name: "np", message: "np", users: "user1@xxx.com", callId: "np" }),
  numbers: () => [NaN, Infinity, -Infinity, 1e300, 8.64e15, -1][Math.floor(Math.random() * 6)],
};

/** Too costly for many random runs: each is tried once per node, in its first input. */
const HUGE = {
  text5m: () => "x".repeat(5 << 20),
  // One item 99,999 times (cheap to make and to copy) and a wrong last one, so that a list that
  // passes as messages is checked in full but not sent.
  items100k: () => [...new Array(99_999).fill({ message: "m", users: "user1@xxx.com", email: "a@example.com" }), { message: NaN }],
  strings100k: () => new Array(100_000).fill("user1@xxx.com"),
};

function trap() {
  const fail = () => {
    throw new Error("proxy trap");
  };
  return { get: fail, ownKeys: fail, getPrototypeOf: fail, has: fail, getOwnPropertyDescriptor: fail };
}

function nest(depth, key) {
  let value = ["bottom"];
  for (let i = 0; i < depth; i++) value = key ? { [key]: value } : [value];
  return value;
}

/** A msg: the node's inputs under msg.fuzz, plus properties that must not redirect or break anything. */
function messageFor(op, likely) {
  const inputs = {};
  const names = Object.keys(op.inputs);
  // With many inputs, each must be hostile more rarely for a good share of whole messages to pass.
  const weight = names.length > 5 ? 9 : 3;
  for (const name of names) {
    inputs[name] = likely[name] ? fc.oneof({ arbitrary: likely[name], weight }, { arbitrary: hostile, weight: 1 }) : hostile;
  }
  const cheap = Object.keys(SPECIAL).filter((kind) => kind !== "text1m");
  return fc.record(
    {
      // A field to replace by a special value (see SPECIAL), made in the property from its name.
      huge: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 4 },
        { arbitrary: fc.constantFrom(...Object.keys(op.inputs), "payload", "other"), weight: 1 }
      ),
      hugeKind: fc.oneof({ arbitrary: fc.constantFrom(...cheap), weight: 19 }, { arbitrary: fc.constant("text1m"), weight: 1 }),
      fuzz: fc.oneof({ arbitrary: fc.record(inputs, { requiredKeys: [] }), weight: 9 }, { arbitrary: hostile, weight: 1 }),
      payload: hostile,
      topic: hostile,
      url: fc.constantFrom(undefined, "http://127.0.0.1:9/steal"),
      serverURL: fc.constantFrom(undefined, "http://127.0.0.1:9/steal"),
      headers: fc.constantFrom(undefined, { "x-cam-apiToken": "other" }),
      apiName: fc.constantFrom(undefined, "../steal", "http://127.0.0.1:9/"),
    },
    { requiredKeys: ["fuzz", "huge", "hugeKind"] }
  );
}

describe("fuzzing every Chat&Messenger and xAssist operation node's inputs", function () {
  this.timeout(120_000);
  let practiceServer;
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);

  before(async () => {
    practiceServer = await startPracticeServer({ maxRecorded: 100 });
    process.on("unhandledRejection", onUnhandled);
    const flow = [
      { id: "f1", type: "tab" },
      { id: "server", type: "cam-config", serverURL: practiceServer.url, retries: 0, timeout: 10 },
      { id: "xserver", type: "xassist-config", serverURL: practiceServer.url, domain: practiceServer.xassist.domain, retries: 0, timeout: 10 },
      { id: "out", z: "f1", type: "helper" },
      { id: "copy", z: "f1", type: "helper" },
      { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
      { id: "err", z: "f1", type: "helper" },
    ];
    // Two wires: Node-RED copies what the node sends, as it would for any flow that branches.
    const node = (id, op, server, extra = {}) => {
      const props = {};
      for (const name of Object.keys(op.inputs)) Object.assign(props, { [name]: `fuzz.${name}`, [`${name}Type`]: "msg" });
      return { id, z: "f1", type: op.type, server, wires: [["out", "copy"]], ...props, ...extra };
    };
    for (const op of CAM_OPERATIONS) flow.push(node(`n-${op.type}`, op, "server"));
    flow.push(node("room-message", operations.sendMessage, "server", { sendTo: "room" }));
    for (const op of XASSIST_OPERATIONS) flow.push(node(`n-${op.type}`, op, "xserver"));
    const nodes = [configNode, xassistConfigNode, catchNode, ...[...CAM_OPERATIONS, ...XASSIST_OPERATIONS].map((op) => require(`../../nodes/${op.type}.js`))];
    const credentials = {
      server: { apiToken: practiceServer.tokens.admin },
      xserver: { username: practiceServer.xassist.username, password: practiceServer.xassist.password },
    };
    await helper.load(nodes, flow, credentials);
    listen();
  });
  after(async () => {
    process.off("unhandledRejection", onUnhandled);
    await helper.unload();
    await practiceServer.close();
  });

  const targets = [
    ...CAM_OPERATIONS.map((op) => [`n-${op.type}`, op]),
    ["room-message", operations.sendMessage],
    ...XASSIST_OPERATIONS.map((op) => [`n-${op.type}`, op]),
  ];
  // Plausible values for every input and a success shape for every operation: test/support/fuzz-values.js
  // (the rules test, test/unit/adding-an-api.test.js, checks that each operation has them).
  const likelyFor = (op) => plausibleFor(op.type, practiceServer.xassist);

  for (const [id, op] of targets) {
    it(`${id}: ${RUNS} messages (each special value in each input, then random ones) end once each, never INTERNAL`, async () => {
      await resetPracticeServer(practiceServer);
      const likely = likelyFor(op);
      const special = specialCases(op);
      for (const [kind, make, where] of special) {
        const fuzz = { ...plainValues(op, likely) };
        const end = await endOnce(id, withSpecial({ fuzz }, where, make), `${kind} in ${where}`);
        assertAcceptableEnd(op, end, `${kind} in ${where}`);
      }
      const randomRuns = RUNS - special.length;
      let reached = 0;
      await fc.assert(
        fc.asyncProperty(messageFor(op, likely), async (msg) => {
          const { huge, hugeKind, ...sent } = msg;
          const end = await endOnce(id, withSpecial(sent, huge, SPECIAL[hugeKind]));
          assertAcceptableEnd(op, end);
          // An output or the server's own refusal: the case went through validation to the server.
          if (!end.error || end.error.code !== "INVALID_INPUT") reached++;
        }),
        { numRuns: randomRuns, endOnFailure: true }
      );
      assert.deepEqual(unhandled, []);
      assert.equal({}.polluted, undefined, "Object.prototype was polluted");
      assert.ok(reached >= randomRuns * 0.1, `only ${reached} of ${randomRuns} random cases reached the practice server`);
      // Only the API's own paths: a Chat&Messenger API name, or an xAssist path of the client's table.
      for (const req of await recorded(practiceServer)) {
        assert.ok(ownPath(req.path), `a request went to ${req.path}`);
      }
    });
  }
});

/** Each SPECIAL value in each input and beside them (msg.other); each HUGE one once, in the first input. */
function specialCases(op) {
  const places = [...Object.keys(op.inputs), "other"];
  return [
    ...places.flatMap((where) => Object.entries(SPECIAL).map(([kind, make]) => [kind, make, where])),
    ...Object.entries(HUGE).map(([kind, make]) => [kind, make, places[0]]),
  ];
}

/** One plausible value per input (the first of each list), so that only the special value is odd. */
function plainValues(op, likely) {
  const values = {};
  for (const name of Object.keys(op.inputs)) if (likely[name]) values[name] = fc.sample(likely[name], { numRuns: 1, seed: 1 })[0];
  return values;
}

/** The msg with one special value: in msg.fuzz for an input, or beside it (msg.other, msg.payload). */
function withSpecial(msg, where, make) {
  if (!where || !make) return msg;
  if (where === "other" || where === "payload" || !msg.fuzz || typeof msg.fuzz !== "object") return { ...msg, [where]: make() };
  return { ...msg, fuzz: { ...msg.fuzz, [where]: make() } };
}

/** Sends msg; it must end exactly once, and an output must also reach the second wire. */
async function endOnce(id, msg, label = "") {
  const { ends, copies } = await endsOf(id, msg);
  assert.equal(ends.length, 1, `${label} ended ${ends.length} times`);
  assert.equal(copies, ends[0].msg ? 1 : 0, `${label}: the second wire got ${copies} copies`);
  return ends[0];
}

/** The current case: the out and err helpers report every end to it (listeners stay put). */
let current;

function listen() {
  helper.getNode("out").on("input", (m) => current?.end(m, { msg: m }));
  helper.getNode("copy").on("input", (m) => current?.copy(m));
  helper.getNode("err").on("input", (m) => current?.end(m, { error: m.error }));
}

/** Sends msg to the node; collects every end and copy until two turns of the event loop after the first end. */
function endsOf(id, msg) {
  return new Promise((resolve, reject) => {
    const token = Symbol("fuzz case");
    const ends = [];
    let copies = 0;
    const hang = setTimeout(() => finish(new Error(`no output and no error for ${show(msg)}`)), 5000);
    let settling = false;
    current = {
      copy(m) {
        if (m.fuzzCase === token) copies++;
      },
      end(m, end) {
        if (m.fuzzCase !== token) return;
        ends.push(end);
        if (!settling) {
          settling = true;
          setImmediate(() => setImmediate(() => finish()));
        }
      },
    };
    function finish(error) {
      clearTimeout(hang);
      current = undefined;
      error ? reject(error) : resolve({ ends, copies });
    }
    helper.getNode(id).receive({ ...msg, fuzzCase: token });
  });
}

const SERVER_CODE = /^\d{3}$/;

/** An output with the operation's success shape, or an error that says what was wrong. */
function assertAcceptableEnd(op, end, label = "") {
  if (end.error) return assertAcceptableError(end.error, label);
  assert.ok(SUCCESS[op.type](end.msg.payload), `${label} ${op.type} answered an output without its success shape: ${show(end.msg.payload)}`);
}

function assertAcceptableError(error, label = "") {
  const code = error.code;
  if (code === "INVALID_INPUT") {
    inputReason(error, label);
    return;
  }
  // The server's own refusal of a well-formed request (unknown room, user, call, API name, too large),
  // with its code or status in the message.
  const status = SERVER_CODE.test(code) ? code : /^HTTP_(4\d\d)$/.exec(code)?.[1];
  if (status) return assert.match(error.message, new RegExp(`\\b${status}\\b`), `${label} ${code} without its code in the message`);
  assert.fail(`${label} unexpected error ${code}: ${error.message}`);
}

function show(msg) {
  try {
    return JSON.stringify(msg, (k, v) => (typeof v === "bigint" ? `${v}n` : typeof v === "string" && v.length > 200 ? `${v.slice(0, 200)}…` : v)).slice(0, 500);
  } catch {
    return String(msg);
  }
}
