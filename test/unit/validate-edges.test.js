"use strict";
// The input checks at their edges: the size limits are inclusive, blank means "not given", and
// every refusal states its reason with the value or kind it refused.
const assert = require("node:assert/strict");
const { refusal } = require("../support/input-reasons");
const validate = require("../../nodes/core/validate.js");

const {
  MAX_TEXT_CHARS,
  MAX_MESSAGE_DEPTH,
  text,
  bool,
  emailList,
  integer,
  describe: kindOf,
  isPlainObject,
  checkJson,
  jsonText,
  uncopiableProperties,
} = validate;

/** An array nested `depth` levels deep. */
function nest(depth) {
  let value = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** n addresses of `length` characters each. */
const addresses = (n, length) => Array.from({ length: n }, (_, i) => `${String(i).padStart(length - 12, "a")}@example.com`);

describe("input checks at their edges", () => {
  describe("text", () => {
    it("decodes a Buffer, also one of three bytes per character up to the limit", () => {
      assert.equal(text("message", Buffer.from("hi")), "hi");
      assert.equal(text("message", Buffer.from("あ".repeat(MAX_TEXT_CHARS))).length, MAX_TEXT_CHARS);
    });

    it("states the limit of text and of a Buffer too long to decode", () => {
      const expected = `message: is longer than ${MAX_TEXT_CHARS} characters.`;
      assert.equal(
        refusal(() => text("message", "x".repeat(MAX_TEXT_CHARS + 1))),
        expected
      );
      assert.equal(
        refusal(() => text("message", Buffer.alloc(3 * MAX_TEXT_CHARS + 1, 0x41))),
        expected
      );
    });
  });

  describe("bool", () => {
    it("takes blank as false, and true/false as booleans, text or 1/0", () => {
      assert.deepEqual(
        [undefined, null, "", false, "false", 0].map((v) => bool("sealed", v)),
        [false, false, false, false, false, false]
      );
      assert.deepEqual(
        [true, "true", 1].map((v) => bool("sealed", v)),
        [true, true, true]
      );
    });
  });

  describe("emailList", () => {
    it("takes blank as no recipients, trims each item and takes an address of 254 characters", () => {
      for (const blank of [undefined, null, ""]) assert.deepEqual(emailList("recipients", blank), []);
      assert.deepEqual(emailList("recipients", [" a@example.com "]), ["a@example.com"]);
      const longest = addresses(1, 254)[0];
      assert.deepEqual(emailList("recipients", longest), [longest]);
    });

    it("splits text on commas, semicolons and white space, runs of them too", () => {
      assert.deepEqual(emailList("recipients", "a@example.com;;b@example.com ,\n c@example.com\t d@example.com,"), [
        "a@example.com",
        "b@example.com",
        "c@example.com",
        "d@example.com",
      ]);
      assert.deepEqual(emailList("recipients", " ,; "), []);
    });

    it("names what is wrong: the kind, or the start of the address", () => {
      const notList = "recipients: must be e-mail addresses (an array, or text separated by commas), not number.";
      assert.equal(
        refusal(() => emailList("recipients", 42)),
        notList
      );
      assert.equal(
        refusal(() => emailList("recipients", ["a@example.com", 42])),
        notList
      );
      assert.equal(
        refusal(() => emailList("recipients", "x".repeat(100))),
        `recipients: "${"x".repeat(80)}" is not an e-mail address.`
      );
    });

    it("takes a list of exactly the text limit (each address with its comma), not one character more", () => {
      const list = [...addresses(4112, 254), "abc@example.com"];
      assert.equal(
        list.reduce((sum, email) => sum + email.length + 1, 0),
        MAX_TEXT_CHARS
      );
      assert.equal(emailList("recipients", list).length, 4113);
      list[4112] = "abcd@example.com";
      assert.equal(
        refusal(() => emailList("recipients", list)),
        `recipients: is longer than ${MAX_TEXT_CHARS} characters.`
      );
    });
  });

  describe("integer", () => {
    for (const value of [null, true, "", "  "]) {
      it(`refuses ${JSON.stringify(value)} even where 0 or 1 is in range`, () => {
        assert.equal(
          refusal(() => integer("count", value, 0, 10)),
          "count: must be a whole number from 0 to 10."
        );
      });
    }
  });

  describe("describe (the kind an error names)", () => {
    class Widget {}
    class Tagged {
      get [Symbol.toStringTag]() {
        return "Thing";
      }
    }
    const cases = [
      [null, "null"],
      [[], "array"],
      [Buffer.from("x"), "buffer"],
      [1, "number"],
      [NaN, "NaN"],
      [{}, "object"],
      [new Number(1), "boxed number"],
      [new String("x"), "boxed string"],
      [new Boolean(true), "boxed boolean"],
      [new Map(), "Map"],
      [new Widget(), "Widget"],
      [new Tagged(), "Thing"],
      [new (function () {})(), "object"],
    ];
    for (const [value, kind] of cases) {
      it(`calls ${kind} so`, () => assert.equal(kindOf(value), kind));
    }
  });

  it("isPlainObject: an object without Object.prototype but with a tag of its own is not plain", () => {
    const proto = Object.assign(Object.create(null), { [Symbol.toStringTag]: "Record" });
    assert.equal(isPlainObject(Object.create(proto)), false);
    assert.equal(isPlainObject(Object.create(Object.create(null))), true);
  });

  it("uncopiableProperties looks inside Sets and tagged plain objects, as Node-RED's copy does", () => {
    const deep = nest(MAX_MESSAGE_DEPTH + 1);
    assert.deepEqual(uncopiableProperties({ set: new Set([deep]), tagged: { [Symbol.toStringTag]: "Tagged", deep }, fine: new Set([1]) }), ["set", "tagged"]);
  });

  it("uncopiableProperties walks an array and skips a Buffer's own properties as Node-RED's copy does, whatever their Symbol.toStringTag says", () => {
    const throwing = Object.defineProperty({}, "a", {
      enumerable: true,
      get: () => {
        throw new Error("getter");
      },
    });
    const list = Object.assign([throwing], { [Symbol.toStringTag]: "List" });
    const bytes = Object.defineProperties(Buffer.from("hi"), {
      [Symbol.toStringTag]: { value: "Object" },
      extra: {
        enumerable: true,
        get: () => {
          throw new Error("getter");
        },
      },
    });
    assert.deepEqual(uncopiableProperties({ list, bytes }), ["list"]);
  });

  it("uncopiableProperties finds a deep branch behind a million shared ones", () => {
    const row = new Array(1001).fill({});
    const wide = new Array(1001).fill(row);
    assert.deepEqual(uncopiableProperties({ both: [nest(MAX_MESSAGE_DEPTH + 1), wide], wide }), ["both"]);
  });

  describe("checkJson", () => {
    it("takes text of exactly the text limit and finite numbers inside a value", () => {
      checkJson("fields", { a: "x".repeat(MAX_TEXT_CHARS), b: [0, -1.5, Number.MAX_VALUE] });
    });

    it("refuses more values than fit as too long before it reads the rest", () => {
      const values = (n) => [...new Array(n).fill(0), NaN];
      assert.equal(
        refusal(() => checkJson("fields", values(MAX_TEXT_CHARS / 2 - 2))),
        `fields[${MAX_TEXT_CHARS / 2 - 2}]: must be a finite number, not NaN.`
      );
      assert.equal(
        refusal(() => checkJson("fields", values(MAX_TEXT_CHARS / 2))),
        `fields: is longer than ${MAX_TEXT_CHARS} characters.`
      );
    });
  });

  describe("jsonText", () => {
    it("takes JSON of exactly the text limit, and exactly half the limit in values", () => {
      assert.equal(jsonText("fields.a", "x".repeat(MAX_TEXT_CHARS - 2)).length, MAX_TEXT_CHARS);
      assert.equal(jsonText("fields.a", new Array(MAX_TEXT_CHARS / 2 - 1).fill(0)).length, MAX_TEXT_CHARS - 1);
    });

    it("keeps null, true/false and leaves out undefined, as JSON does", () => {
      assert.equal(jsonText("fields.a", { a: null, b: true, c: false, d: undefined, e: [undefined] }), '{"a":null,"b":true,"c":false,"e":[null]}');
    });

    it("names the first of several problems, then long keys cut to 40 characters", () => {
      assert.equal(
        refusal(() => jsonText("f", { a: NaN, b: NaN })),
        "f.a: must be a finite number, not NaN."
      );
      assert.equal(
        refusal(() => jsonText("f", { ["k".repeat(50)]: NaN })),
        `f.${"k".repeat(40)}: must be a finite number, not NaN.`
      );
    });

    it("names a path of 120 characters in full and a longer one by its start and end", () => {
      const full = { ["a".repeat(40)]: { ["b".repeat(40)]: { ["c".repeat(36)]: NaN } } };
      assert.equal(
        refusal(() => jsonText("f", full)),
        `f.${"a".repeat(40)}.${"b".repeat(40)}.${"c".repeat(36)}: must be a finite number, not NaN.`
      );
      const longer = { ["a".repeat(40)]: { ["b".repeat(40)]: { ["c".repeat(40)]: NaN } } };
      const path = `f.${"a".repeat(40)}.${"b".repeat(40)}.${"c".repeat(40)}`;
      assert.equal(
        refusal(() => jsonText("f", longer)),
        `${path.slice(0, 60)}…${path.slice(-60)}: must be a finite number, not NaN.`
      );
    });

    it("refuses a value that changes into an error between the check and the JSON", () => {
      let reads = 0;
      const fickle = {
        get a() {
          if (reads++ > 0) throw new Error("gone");
          return 1;
        },
      };
      assert.equal(
        refusal(() => jsonText("f", fickle)),
        "f: cannot be read (a getter or a Proxy threw an error)."
      );
    });

    it("refuses more values than fit, over-long and broken text inside, naming where", () => {
      const tooLong = `is longer than ${MAX_TEXT_CHARS} characters.`;
      assert.equal(
        refusal(() => jsonText("fields.a", new Array(MAX_TEXT_CHARS / 2).fill(0))),
        `fields.a: ${tooLong}`
      );
      assert.equal(
        refusal(() => jsonText("fields.a", ["x".repeat(MAX_TEXT_CHARS + 1)])),
        `fields.a[0]: ${tooLong}`
      );
      assert.equal(
        refusal(() => jsonText("fields.a", "x".repeat(MAX_TEXT_CHARS - 1))),
        `fields.a: ${tooLong}`
      );
      assert.equal(
        refusal(() => jsonText("fields.a", { b: "\ud800" })),
        "fields.a.b: contains a broken character (a lone UTF-16 surrogate)."
      );
    });
  });
});
