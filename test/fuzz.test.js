"use strict";
// Property-based fuzzing of every Chat&Messenger node's inputs in a real Node-RED runtime against
// the sandbox: values of every JS type for every typed input, hostile msg properties, and enough
// plausible values that a good share of the cases really reach the server. Each message must end
// exactly once, with an output or a field-named error (or the server's own answer), and nothing may
// crash, hang, reject unhandled or pollute a prototype.
const assert = require("node:assert/strict");
const fc = require("fast-check");
const { helper, startSandbox, recorded, resetSandbox, catchNode } = require("./support");
const operations = require("../nodes/lib/cam-operations");
const configNode = require("../nodes/cam-config.js");

const RUNS = Number(process.env.FUZZ_RUNS) || 1000;
const CAM_OPERATIONS = Object.values(operations).filter((op) => op && typeof op.type === "string" && op.type.startsWith("cam-"));

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

const HUGE = {
  text64k: () => "x".repeat(1 << 16),
  text1m: () => "x".repeat(1 << 20),
  // Node-RED itself cannot clone a msg nested about 3000 deep (for a Catch node); 1500 it can.
  nested1500: () => nest(1500),
};

function nest(depth) {
  let value = ["bottom"];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const emails = fc.constantFrom("user1@xxx.com", "user2@test.com", "taro@example.com", "nobody@unknown.test", "user1@xxx.com, user2@xxx.com");
const rooms = fc.constantFrom("general", "alerts", "test", "ルーム名", "announcements", "no such room");

/** Plausible values per input name, so that many cases pass validation and reach the sandbox. */
const plausible = {
  room: rooms,
  recipients: fc.oneof(emails, fc.array(emails, { maxLength: 3 })),
  users: fc.oneof(emails, fc.array(emails, { maxLength: 3 })),
  message: fc.oneof(fc.string(), fc.string({ unit: "grapheme" })),
  sealed: fc.oneof(fc.boolean(), fc.constantFrom("true", "false", 0, 1)),
  messages: fc.array(
    fc.oneof(
      fc.record({ message: fc.string({ minLength: 1 }), users: emails }),
      fc.record({ send: rooms, message: fc.string({ minLength: 1 }) })
    ),
    { minLength: 1, maxLength: 5 }
  ),
  expires: fc.oneof(fc.constantFrom("1h", "30m", "2d", "1d"), fc.integer({ min: 1, max: 1e9 }).map((ms) => Date.now() + ms)),
  title: fc.string(),
  password: fc.string(),
  userName: fc.string(),
  roomName: fc.oneof(fc.string({ minLength: 1 }), fc.record({ sid: fc.string({ minLength: 1 }) })),
  path: fc.constantFrom("users.csv", "exportUsers.csv", "a b.csv"),
  csv: fc.oneof(
    fc.constant("email,name\r\nfuzz@example.com,Fuzz"),
    fc.array(fc.record({ email: fc.constantFrom("a@example.com", "b@example.com"), name: fc.string() }), { minLength: 1, maxLength: 3 })
  ),
  filename: fc.constantFrom("users.csv", "x.csv"),
  chatRoom: fc.record({ name: fc.string({ minLength: 1 }).map((n) => `fuzz ${n}`), isPublic: fc.boolean() }),
  period: fc.constantFrom("202401", "20240115", "today", "month", ""),
  apiName: fc.constantFrom("getConferenceMaster", "getConferenceRooms", "noSuchApi"),
  fields: fc.oneof(fc.constant(undefined), fc.constant({}), fc.record({ yyyyMMdd: fc.constantFrom("202401") })),
};

/** A msg: the node's inputs under msg.fuzz, plus properties that must not redirect or break anything. */
function messageFor(op) {
  const inputs = {};
  for (const name of Object.keys(op.inputs)) {
    inputs[name] = plausible[name] ? fc.oneof({ arbitrary: plausible[name], weight: 3 }, { arbitrary: hostile, weight: 1 }) : hostile;
  }
  return fc.record({
    // A field to replace by a huge text or a deeply nested array; made in the property from this
    // description, so that a counterexample stays readable.
    huge: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom(...Object.keys(op.inputs), "payload"), weight: 1 }),
    hugeKind: fc.oneof({ arbitrary: fc.constantFrom("text64k", "nested1500"), weight: 9 }, { arbitrary: fc.constant("text1m"), weight: 1 }),
    fuzz: fc.oneof({ arbitrary: fc.record(inputs, { requiredKeys: [] }), weight: 9 }, { arbitrary: hostile, weight: 1 }),
    payload: hostile,
    topic: hostile,
    url: fc.constantFrom(undefined, "http://127.0.0.1:9/steal"),
    serverURL: fc.constantFrom(undefined, "http://127.0.0.1:9/steal"),
    headers: fc.constantFrom(undefined, { "x-cam-apiToken": "other" }),
    apiName: fc.constantFrom(undefined, "../steal", "http://127.0.0.1:9/"),
  }, { requiredKeys: ["fuzz", "huge", "hugeKind"] });
}

describe("fuzzing every Chat&Messenger node's inputs", function () {
  this.timeout(120_000);
  let sandbox;
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);

  before(async () => {
    sandbox = await startSandbox({ maxRecorded: 100 });
    process.on("unhandledRejection", onUnhandled);
    const flow = [
      { id: "f1", type: "tab" },
      { id: "server", type: "cam-config", serverURL: sandbox.url, retries: 0, timeout: 10 },
      { id: "out", z: "f1", type: "helper" },
      { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
      { id: "err", z: "f1", type: "helper" },
    ];
    for (const op of CAM_OPERATIONS) {
      const props = {};
      for (const name of Object.keys(op.inputs)) Object.assign(props, { [name]: `fuzz.${name}`, [`${name}Type`]: "msg" });
      flow.push({ id: `n-${op.type}`, z: "f1", type: op.type, server: "server", wires: [["out"]], ...props });
      if (op.type === "cam-send-message") flow.push({ id: "room-message", z: "f1", type: op.type, server: "server", sendTo: "room", wires: [["out"]], ...props });
    }
    const nodes = [configNode, catchNode, ...CAM_OPERATIONS.map((op) => require(`../nodes/${op.type}.js`))];
    await helper.load(nodes, flow, { server: { apiToken: sandbox.tokens.admin } });
    listen();
  });
  after(async () => {
    process.off("unhandledRejection", onUnhandled);
    await helper.unload();
    await sandbox.close();
  });

  it("covers every cam-* node type of the operation table", () => {
    assert.ok(CAM_OPERATIONS.length >= 10, CAM_OPERATIONS.map((op) => op.type).join(", "));
  });

  const targets = [...CAM_OPERATIONS.map((op) => [`n-${op.type}`, op]), ["room-message", operations.sendMessage]];
  for (const [id, op] of targets) {
    it(`${id}: ${RUNS} messages end once each, with an output or a field-named error`, async () => {
      await resetSandbox(sandbox);
      const reached = { server: 0, outputs: 0 };
      await fc.assert(
        fc.asyncProperty(messageFor(op), async (msg) => {
          const { huge, hugeKind, ...sent } = msg;
          if (huge && sent.fuzz && typeof sent.fuzz === "object") sent.fuzz = { ...sent.fuzz, [huge]: HUGE[hugeKind]() };
          const ends = await endsOf(id, sent);
          assert.equal(ends.length, 1, `ended ${ends.length} times`);
          const [end] = ends;
          if (end.error) assertAcceptableError(end.error);
          // An output or the server's own refusal: the case went through validation to the server.
          if (!end.error || end.error.code !== "INVALID_INPUT") reached.server++;
        }),
        { numRuns: RUNS, endOnFailure: true }
      );
      assert.deepEqual(unhandled, []);
      assert.equal({}.polluted, undefined, "Object.prototype was polluted");
      assert.ok(reached.server >= RUNS * 0.1, `only ${reached.server} of ${RUNS} cases reached the sandbox`);
      for (const req of await recorded(sandbox)) assert.match(req.path, /^\/[A-Za-z][A-Za-z0-9_]*$/);
    });
  }
});

/** The current case: the out and err helpers report every end to it (listeners stay put). */
let current;

function listen() {
  helper.getNode("out").on("input", (m) => current?.end(m, { msg: m }));
  helper.getNode("err").on("input", (m) => current?.end(m, { error: m.error }));
}

/** Sends msg to the node; collects every end until two turns of the event loop after the first. */
function endsOf(id, msg) {
  return new Promise((resolve, reject) => {
    const token = Symbol("fuzz case");
    const ends = [];
    const hang = setTimeout(() => finish(new Error(`no output and no error for ${show(msg)}`)), 5000);
    let settling = false;
    current = {
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
      error ? reject(error) : resolve(ends);
    }
    helper.getNode(id).receive({ ...msg, fuzzCase: token });
  });
}

const SERVER_CODE = /^\d{3}$/;

function assertAcceptableError(error) {
  const code = error.code;
  if (code === "INVALID_INPUT") {
    const field = error.cause?.field;
    assert.equal(typeof field, "string", `INVALID_INPUT without a field: ${error.message}`);
    assert.ok(field.length > 0);
    assert.ok(error.message.includes(`${field}:`), `the message does not name ${field}: ${error.message}`);
    return;
  }
  // The server's own refusal of a well-formed request (unknown room, user, API name, too large).
  if (SERVER_CODE.test(code) || /^HTTP_4\d\d$/.test(code)) return;
  assert.fail(`unexpected error ${code}: ${error.message}`);
}

function show(msg) {
  try {
    return JSON.stringify(msg, (k, v) => (typeof v === "bigint" ? `${v}n` : typeof v === "string" && v.length > 200 ? `${v.slice(0, 200)}…` : v)).slice(0, 500);
  } catch {
    return String(msg);
  }
}
