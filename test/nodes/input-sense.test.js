"use strict";
// Sense before sending (issue 12, item 9): storable dates, finite numbers, text that is text, a size
// limit per field, plain objects only, no deep or cyclic structures, plain export file names, checked
// contact e-mails, a Buffer CSV sent as its bytes, and a message Node-RED cannot copy ended with a
// coded error instead of ending the runtime.
const assert = require("node:assert/strict");
const vm = require("node:vm");
const { camTestBed, inputErrorTests } = require("../support/cam-support");
const x = require("../support/xassist-support");
const validate = require("../../nodes/core/validate");
const dates = require("../../nodes/core/dates");
const { csvContent } = require("../../nodes/cam/csv");

const { MAX_TEXT_CHARS, MAX_SENT_DEPTH, MAX_MESSAGE_DEPTH } = validate;

/** An array nested `depth` levels deep (built without recursion). */
function nest(depth, key) {
  let value = "bottom";
  for (let i = 0; i < depth; i++) value = key ? { [key]: value } : [value];
  return value;
}

function cyclic() {
  const room = { name: "loop", extra: { list: [] } };
  room.extra.list.push(room);
  return room;
}

const throwingGetter = () =>
  Object.defineProperty({}, "a", {
    enumerable: true,
    get: () => {
      throw new Error("getter");
    },
  });
const throwingProxy = () =>
  new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error("proxy");
      },
      getPrototypeOf: () => {
        throw new Error("proxy");
      },
      get: () => {
        throw new Error("proxy");
      },
    }
  );

/** [what, call, field, reason (the catalogue text's start after "field: ")] */
const REFUSALS = [
  ["NaN as text", () => validate.text("message", NaN), "message", /finite number, not NaN/],
  ["Infinity as text", () => validate.text("message", Infinity), "message", /finite number, not Infinity/],
  ["-Infinity as text", () => validate.text("title", -Infinity, { optional: true }), "title", /finite number/],
  ["true as text", () => validate.text("message", true), "message", /must be text, not boolean/],
  ["whitespace-only required text", () => validate.text("room", " \t\r\n\u3000"), "room", /a value is required/],
  ["a lone surrogate", () => validate.text("message", "a\ud800b"), "message", /broken character/],
  ["text over the size limit", () => validate.text("message", "x".repeat(MAX_TEXT_CHARS + 1)), "message", /longer than/],
  ["a Buffer over the size limit", () => validate.text("message", Buffer.alloc(3 * MAX_TEXT_CHARS + 1, 0x41)), "message", /longer than/],
  ["a Date as text", () => validate.text("message", new Date()), "message", /not Date/],
  ["a Date as an object", () => validate.plainObject("fields", new Date()), "fields", /not Date/],
  ["a Map as an object", () => validate.plainObject("fields", new Map([["a", 1]])), "fields", /not Map/],
  ["a Set as an object", () => validate.plainObject("fields", new Set()), "fields", /not Set/],
  ["a typed array as an object", () => validate.plainObject("fields", new Uint8Array(2)), "fields", /not Uint8Array/],
  ["a boxed string as an object", () => validate.plainObject("fields", new String("x")), "fields", /not boxed string/],
  ["a class instance as an object", () => validate.plainObject("fields", new (class Widget {})()), "fields", /not Widget/],
  ["a throwing Proxy as an object", () => validate.plainObject("fields", throwingProxy()), "fields", /unreadable value/],
  ["JSON nested too deep", () => validate.jsonText("fields.a", nest(MAX_SENT_DEPTH + 1)), "fields.a" + "[0]".repeat(MAX_SENT_DEPTH), /nested deeper than 32/],
  ["JSON nested 10,000 deep", () => validate.jsonText("chatRoom", nest(10_000, "x")), "chatRoom" + ".x".repeat(MAX_SENT_DEPTH), /nested deeper than 32/],
  ["a cycle", () => validate.jsonText("chatRoom", cyclic()), "chatRoom.extra.list[0]", /contains itself/],
  ["NaN inside JSON", () => validate.jsonText("fields.a", { b: [1, NaN] }), "fields.a.b[1]", /finite number/],
  ["a Date inside JSON", () => validate.jsonText("fields.a", { when: new Date() }), "fields.a.when", /Date cannot be sent as JSON/],
  ["a BigInt inside JSON", () => validate.jsonText("fields.a", [1n]), "fields.a[0]", /bigint cannot be sent as JSON/],
  ["a function inside JSON", () => validate.jsonText("fields.a", { f() {} }), "fields.a.f", /function cannot be sent/],
  ["a throwing getter inside JSON", () => validate.jsonText("fields.a", { b: throwingGetter() }), "fields.a.b", /cannot be read/],
  ["JSON over the size limit", () => validate.jsonText("fields.a", ["x".repeat(MAX_TEXT_CHARS - 2), "y"]), "fields.a", /longer than/],
  ["an e-mail with a control character", () => validate.emailList("recipients", "a\u0000b@example.com"), "recipients", /not an e-mail address/],
  ["an e-mail over 254 characters", () => validate.emailList("recipients", `${"a".repeat(250)}@example.com`), "recipients", /not an e-mail address/],
  ["an expiry of 1e300", () => dates.expiryTime("expires", 1e300), "expires", /from 1970-01-01 to 9999-12-31/],
  ["an expiry in the year 275760", () => dates.expiryTime("expires", "+275760-09-13T00:00:00Z"), "expires", /to 9999-12-31/],
  ["an expiry after the year 9999", () => dates.expiryTime("expires", Date.UTC(10000, 0, 1)), "expires", /to 9999-12-31/],
  ["an expiry of 99999 weeks", () => dates.expiryTime("expires", "99999999w"), "expires", /to 9999-12-31/],
  ["an Invalid Date expiry", () => dates.expiryTime("expires", new Date(NaN)), "expires", /use a date/],
  ["a boolean expiry", () => dates.expiryTime("expires", true), "expires", /use a date/],
  ["a period in the year 275760", () => dates.period("period", 8.64e15), "period", /to 9999-12-31/],
  ["a period before 1970", () => dates.period("period", "196912"), "period", /from 1970-01-01/],
  ["a period of 1e300", () => dates.period("period", 1e300), "period", /use a month/],
  ["an Invalid Date period", () => dates.period("period", new Date(NaN)), "period", /use a month/],
  ["CSV bytes that are not UTF-8", () => csvContent("csv", Buffer.from([0x65, 0x6d, 0x82, 0xa0, 0x0a])), "csv", /not UTF-8/],
  ["a whitespace-only CSV Buffer", () => csvContent("csv", Buffer.from(" \r\n\t")), "csv", /a value is required/],
  ["a CSV cell that is an object", () => csvContent("csv", [{ email: "a@example.com", name: { first: "A" } }]), "csv[0].name", /CSV cell/],
  ["a CSV cell that is NaN", () => csvContent("csv", [{ email: "a@example.com", n: NaN }]), "csv[0].n", /CSV cell/],
];

describe("sense before sending: the validators", () => {
  for (const [what, call, field, reason] of REFUSALS) {
    it(`refuses ${what}`, () => {
      assert.throws(call, (err) => {
        assert.equal(err.code, "INVALID_INPUT", err.message);
        assert.equal(err.details.field, field);
        assert.ok(err.message.startsWith(`${field}: `), err.message);
        assert.match(err.message, reason);
        return true;
      });
    });
  }

  it("keeps what is fine: a finite number as text, a function node's plain object, an object without a prototype", () => {
    assert.equal(validate.text("room", 42), "42");
    assert.equal(validate.text("title", "  ", { optional: true }), "  ");
    assert.equal(JSON.stringify(validate.plainObject("fields", vm.runInNewContext("({ a: 1 })"))), '{"a":1}');
    assert.deepEqual({ ...validate.plainObject("fields", Object.assign(Object.create(null), { a: 1 })) }, { a: 1 });
    assert.equal(validate.jsonText("fields.a", nest(MAX_SENT_DEPTH - 1)), JSON.stringify(nest(MAX_SENT_DEPTH - 1)));
    const shared = { id: 1 };
    assert.equal(validate.jsonText("chatRoom", { a: shared, b: shared }), '{"a":{"id":1},"b":{"id":1}}');
    assert.equal(dates.period("period", "99991231"), "99991231");
    assert.equal(dates.expiryTime("expires", Date.UTC(9999, 11, 31), Date.UTC(2020, 0, 1)), Date.UTC(9999, 11, 31));
  });

  it("sends a CSV Buffer as the same bytes, without a UTF-8 byte order mark only", () => {
    const csv = Buffer.from("email,name\nа@example.com,Ünïcödé 山田\n");
    assert.equal(csvContent("csv", csv), csv);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]);
    assert.ok(csvContent("csv", withBom).equals(csv));
  });

  it("finds the message properties Node-RED could not copy, and removes them", () => {
    const msg = {
      payload: "x",
      fine: nest(MAX_MESSAGE_DEPTH - 1),
      deep: nest(MAX_MESSAGE_DEPTH + 1),
      map: new Map([["k", nest(5000)]]),
      get bad() {
        throw new Error("getter");
      },
    };
    msg.loop = { list: [] };
    msg.loop.list.push(msg.loop);
    assert.deepEqual(validate.uncopiableProperties(msg), ["deep", "map", "bad"]);
    assert.throws(
      () => validate.refuseUncopiable(msg),
      (err) => err.code === "INVALID_INPUT" && err.details.field === "msg.deep"
    );
    assert.deepEqual(Object.keys(msg).sort(), ["fine", "loop", "payload"]);
  });
});

describe("sense before sending: refused by the nodes before any request", function () {
  describe("cam-send-message", () => {
    const bed = camTestBed("cam-send-message", { label: "sense-send" });
    inputErrorTests(bed, [
      ["a NaN message", { recipients: "user1@xxx.com" }, { payload: NaN }, "message", "notFinite"],
      ["an Infinity message", { recipients: "user1@xxx.com" }, { payload: Infinity }, "message", "notFinite"],
      ["a boolean message", { recipients: "user1@xxx.com" }, { payload: true }, "message", "notText"],
      ["a whitespace-only message", { recipients: "user1@xxx.com" }, { payload: " \n\t " }, "message", "missing"],
      ["a symbol as the message", { recipients: "user1@xxx.com" }, { payload: Symbol("s") }, "message", "notShowable"],
      ["a message over the size limit", { recipients: "user1@xxx.com" }, { payload: "x".repeat(MAX_TEXT_CHARS + 1) }, "message", "tooLong"],
      ["a message with a lone surrogate", { recipients: "user1@xxx.com" }, { payload: "\udc00" }, "message", "brokenText"],
      ["whitespace-only recipients", { recipients: "r", recipientsType: "msg" }, { payload: "hi", r: "   " }, "recipients", "noRecipients"],
      ["a whitespace-only room", { sendTo: "room", room: "r", roomType: "msg" }, { payload: "hi", r: "  " }, "room", "missing"],
      ["a payload nested 5,000 deep", { recipients: "user1@xxx.com" }, { payload: nest(5000) }, "msg.payload", "uncopiable"],
      [
        "a property that throws when read",
        { recipients: "user1@xxx.com" },
        {
          payload: "hi",
          get trap() {
            throw new Error("getter");
          },
        },
        "msg.trap",
        "uncopiable",
      ],
    ]);
  });

  describe("cam-create-quick-call", () => {
    const bed = camTestBed("cam-create-quick-call", { label: "sense-quick" });
    inputErrorTests(bed, [
      ["an expiry of 1e300", { expires: "e", expiresType: "msg" }, { e: 1e300 }, "expires", "dateRange"],
      ["an expiry in the year 275760", { expires: "+275760-09-13T00:00:00Z" }, {}, "expires", "dateRange"],
      ["an Invalid Date expiry", { expires: "e", expiresType: "msg" }, { e: new Date(NaN) }, "expires", "notExpiry"],
      ["a NaN title", { title: "t", titleType: "msg" }, { t: NaN }, "title", "notFinite"],
    ]);
  });

  describe("cam-room-status", () => {
    const bed = camTestBed("cam-room-status", { label: "sense-status" });
    inputErrorTests(bed, [
      ["a period in the year 275760", { period: "p", periodType: "msg" }, { p: 8.64e15 }, "period", "dateRange"],
      ["a period before 1970", { period: "196001" }, {}, "period", "dateRange"],
      ["an Invalid Date period", { period: "p", periodType: "msg" }, { p: new Date(NaN) }, "period", "notPeriod"],
    ]);
  });

  describe("cam-export-users", () => {
    const bed = camTestBed("cam-export-users", { label: "sense-export" });
    const cases = [
      ["../../x", "a path up", "fileName"],
      ["dir/x.csv", "a slash", "fileName"],
      ["dir\\x.csv", "a backslash", "fileName"],
      [".", ".", "fileName"],
      ["..", "..", "fileName"],
      ["x\u0001.csv", "a control character", "fileName"],
      ["x\u0085.csv", "a C1 control character", "fileName"],
      [`${"x".repeat(252)}.csv`, "an over-long name", "fileName"],
      ["   ", "whitespace only", "missing"],
    ];
    inputErrorTests(
      bed,
      cases.map(([path, what, reason]) => [`the file name with ${what}`, { path: "p", pathType: "msg" }, { p: path }, "path", reason])
    );
  });

  describe("cam-update-users", () => {
    const bed = camTestBed("cam-update-users", { label: "sense-users" });
    inputErrorTests(bed, [
      ["CSV bytes that are not UTF-8", {}, { payload: Buffer.from([0x61, 0x0a, 0x93, 0xfa]) }, "csv", "notUtf8"],
      ["a whitespace-only CSV Buffer", {}, { payload: Buffer.from("\n \n") }, "csv", "missing"],
      ["a row whose cell is an object", {}, { payload: [{ email: "a@example.com", name: { first: "A" } }] }, "csv[0].name", "notCell"],
    ]);

    it("uploads a Buffer's bytes unchanged", async () => {
      const csv = Buffer.from("email,name\nuser1@xxx.com,Ünïcödé 山田 🎉\n");
      await bed.load();
      await bed.ok({ payload: csv });
      const [req] = await bed.recorded();
      const form = await new Response(req.body, { headers: { "content-type": req.headers["content-type"] } }).formData();
      assert.ok(Buffer.from(await form.get("file").arrayBuffer()).equals(csv));
    });
  });

  describe("cam-update-chat-room", () => {
    const bed = camTestBed("cam-update-chat-room", { label: "sense-room" });
    inputErrorTests(bed, [
      ["a Date as the chat room", {}, { payload: new Date() }, "chatRoom", "notObject"],
      ["a Map as the chat room", {}, { payload: new Map([["name", "x"]]) }, "chatRoom", "notObject"],
      ["a chat room with a cycle", {}, { payload: cyclic() }, "chatRoom.extra.list[0].extra", "cyclic"],
      ["a chat room with a NaN extra", {}, { payload: { name: "x", level: NaN } }, "chatRoom.level", "notFinite"],
      ["a chat room with a deep extra", {}, { payload: { name: "x", extra: nest(40) } }, `chatRoom.extra${"[0]".repeat(31)}`, "tooDeep"],
      ["a boolean room name", {}, { payload: { name: true } }, "chatRoom.name", "notText"],
    ]);
  });

  describe("cam-api", () => {
    const bed = camTestBed("cam-api", { label: "sense-api" });
    inputErrorTests(bed, [
      ["a whitespace-only API name", { apiName: "   " }, { payload: {} }, "apiName", "missing"],
      ["a Date as the fields", { apiName: "getConferenceMaster" }, { payload: new Date() }, "fields", "notObject"],
      ["a Set as the fields", { apiName: "getConferenceMaster" }, { payload: new Set([1]) }, "fields", "notObject"],
      ["a NaN field", { apiName: "getConferenceMaster" }, { payload: { a: NaN } }, "fields.a", "notFinite"],
      ["a Date field", { apiName: "getConferenceMaster" }, { payload: { a: { at: new Date() } } }, "fields.a.at", "notJson"],
      ["a field nested 40 deep", { apiName: "getConferenceMaster" }, { payload: { a: nest(40) } }, `fields.a${"[0]".repeat(32)}`, "tooDeep"],
      ["a text field with a lone surrogate", { apiName: "getConferenceMaster" }, { payload: { a: "\ud800" } }, "fields.a", "brokenText"],
    ]);
  });

  describe("cam-send-messages", () => {
    const bed = camTestBed("cam-send-messages", { label: "sense-bulk" });
    const tooMany = new Array(1_000_001).fill({ message: "x", users: "user1@xxx.com" });
    inputErrorTests(bed, [
      ["a whitespace-only item message", {}, { payload: [{ message: "  ", users: "user1@xxx.com" }] }, "messages[0].message", "missing"],
      [
        "an item message over the size limit",
        {},
        { payload: [{ message: "x".repeat(MAX_TEXT_CHARS + 1), users: "user1@xxx.com" }] },
        "messages[0].message",
        "tooLong",
      ],
      ["an item message with a lone surrogate", {}, { payload: [{ message: "a\ud800", users: "user1@xxx.com" }] }, "messages[0].message", "brokenText"],
      [
        "a NaN item message",
        {},
        {
          payload: [
            { message: "ok", users: "user1@xxx.com" },
            { message: NaN, users: "user1@xxx.com" },
          ],
        },
        "messages[1].message",
        "notFinite",
      ],
      ["a Date item", {}, { payload: [new Date()] }, "messages[0]", "notObject"],
      ["a list of more than 1,000,000 items", {}, { payload: tooMany }, "messages", "tooMany"],
    ]);
  });

  describe("cam-call-stats", () => {
    const bed = camTestBed("cam-call-stats", { label: "sense-stats" });
    inputErrorTests(bed, [
      ["a Date as the room name", {}, { payload: new Date() }, "roomName", "notText"],
      ["a whitespace-only room name", {}, { payload: " " }, "roomName", "missing"],
    ]);
  });
});

describe("a message Node-RED cannot copy, wired to two nodes", function () {
  const bed = camTestBed("cam-send-message", { label: "sense-wires" });
  const twoWires = (url) => [
    { id: "f1", type: "tab" },
    { id: "server", type: "cam-config", serverURL: url, retries: 0 },
    { id: "n1", z: "f1", type: "cam-send-message", server: "server", recipients: "user1@xxx.com", wires: [["out", "out2"]] },
    { id: "out", z: "f1", type: "helper" },
    { id: "out2", z: "f1", type: "helper" },
    { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
    { id: "err", z: "f1", type: "helper" },
  ];

  it("ends with INVALID_INPUT naming the property, reaches Catch, and Node-RED goes on", async () => {
    await bed.load({}, { flow: twoWires(bed.practiceServer.url) });
    const copies = [];
    x.helper.getNode("out2").on("input", (m) => copies.push(m));
    const error = await bed.fail({ payload: "hi", trail: nest(10_000, "next") });
    assert.equal(error.code, "INVALID_INPUT");
    assert.equal(error.cause.field, "msg.trail");
    assert.deepEqual(await bed.recorded(), []);
    const out = await bed.ok({ payload: "still alive", trail: nest(MAX_MESSAGE_DEPTH - 1, "next") });
    assert.equal(out.payload.status, 200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(copies.length, 1, "the second wire got its copy");
  });
});

describe("sense before sending: xAssist", function () {
  let practiceServer;
  before(async () => (practiceServer = await x.startPracticeServer()));
  after(() => practiceServer.close());
  afterEach(async () => {
    await x.helper.unload();
    await x.resetPracticeServer(practiceServer);
  });

  async function refused(type, props, msg, field) {
    await x.helper.load(x.allNodes, x.xassistFlow(type, props, { url: practiceServer.url }), x.demoCredentials(practiceServer));
    const { error } = await x.outcome(msg);
    assert.ok(error, "expected an error");
    assert.equal(error.code, "INVALID_INPUT", error.message);
    assert.equal(error.cause.field, field);
    const calls = (await x.recorded(practiceServer)).filter((r) => r.path.startsWith("/rtc/"));
    assert.deepEqual(calls, []);
  }

  const contacts = (value) => [{ contacts: "c", contactsType: "msg" }, { c: value }];
  const CASES = [
    ["a contact object with a bad e-mail", ...contacts([{ email: "not-an-address" }]), "contacts[0].email"],
    ["a contact object with an e-mail with spaces", ...contacts([{ email: "a b@example.com", displayName: "A" }]), "contacts[0].email"],
    ["a contact object with a boolean e-mail", ...contacts([{ email: true }]), "contacts[0].email"],
    ["a contact with a deep extra key", ...contacts([{ userId: "node-red", extra: nest(40) }]), `contacts[0].extra${"[0]".repeat(31)}`],
    [
      "a contact with a cyclic extra key",
      ...contacts([
        (() => {
          const c = { userId: "node-red" };
          c.me = { c };
          return c;
        })(),
      ]),
      "contacts[0].me.c.me",
    ],
    ["a contact with a NaN extra key", ...contacts([{ userId: "node-red", score: NaN }]), "contacts[0].score"],
    ["a Date as the contacts", ...contacts(new Date()), "contacts"],
    ["a Map as a contact", ...contacts([new Map()]), "contacts[0]"],
    ["a team with a Map", { contacts: "node-red", teams: "t", teamsType: "msg" }, { t: [{ id: 1, more: new Map() }] }, "teams[0].more"],
    ["a planned time of 1e300", { contacts: "node-red", planned: "p", plannedType: "msg" }, { p: 1e300 }, "planned"],
    ["a planned time in the year 275760", { contacts: "node-red", planned: "+275760-09-13T00:00:00Z" }, {}, "planned"],
    ["a planned time before 1970", { contacts: "node-red", planned: "p", plannedType: "msg" }, { p: -1 }, "planned"],
    ["an Invalid Date planned time", { contacts: "node-red", planned: "p", plannedType: "msg" }, { p: new Date(NaN) }, "planned"],
    ["a whitespace-only planned time", { contacts: "node-red", planned: "p", plannedType: "msg" }, { p: "  " }, "planned"],
    ["a NaN title", { contacts: "node-red", title: "t", titleType: "msg" }, { t: NaN }, "title"],
    ["a boolean title", { contacts: "node-red", title: "t", titleType: "msg" }, { t: false }, "title"],
    ["an object without a prototype as the reason", { contacts: "node-red", reason: "r", reasonType: "msg" }, { r: Object.create(null) }, "reason"],
    ["an object without a prototype as the call type", { contacts: "node-red", callType: "k", callTypeType: "msg" }, { k: Object.create(null) }, "callType"],
  ];
  for (const [what, props, msg, field] of CASES) {
    it(`xassist-create-call refuses ${what}, naming ${field}`, () => refused("xassist-create-call", props, msg, field));
  }

  for (const [what, callId, field] of [
    ["a boolean callId", true, "callId"],
    ["a whitespace-only callId", "  ", "callId"],
    ["a Date as the callId", new Date(), "callId"],
    ["a NaN callId", NaN, "callId"],
  ]) {
    it(`xassist-call-log refuses ${what}`, () => refused("xassist-call-log", {}, { payload: callId }, field));
  }
});
