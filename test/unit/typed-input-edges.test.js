"use strict";
// A node's typed inputs, compiled once at deploy with Node-RED's own util: each type gives the value
// Node-RED would, a fresh copy where it could be changed, and a value that cannot be read ends the
// message with INVALID_INPUT naming the field and what is wrong (never a crash at deploy).
const assert = require("node:assert/strict");
const { util } = require("@node-red/util");
const { compileProperty } = require("../../nodes/core/node/typed-input");

const RED = { util };

/** A node whose flow context holds `flow` and whose global store fails every read. */
function fakeNode(flow = {}) {
  return {
    id: "n1",
    context: () => ({
      flow: { get: (key, _store, callback) => callback(null, flow[key]) },
      global: { get: (_key, _store, callback) => callback(new Error("the store is down")) },
    }),
  };
}

const compile = (value, type, node = fakeNode()) => compileProperty(RED, node, "room", { value, type });

/** The error a resolver throws or rejects with, or fails the test if it gives a value (or takes over 2 s). */
async function refusal(resolve, msg = {}) {
  let outcome;
  try {
    outcome = resolve(msg);
  } catch (err) {
    return err;
  }
  const late = new Promise((_, reject) => setTimeout(() => reject(new Error("the value never came")), 2000).unref());
  const value = await Promise.race([outcome, late]).catch((err) => ({ error: err }));
  assert.ok(value && value.error, `expected a refusal, got ${JSON.stringify(value)}`);
  return value.error;
}

function assertInputError(err, message) {
  assert.equal(err.code, "INVALID_INPUT", err.message);
  assert.equal(err.message, message);
  assert.equal(err.cause.field, "room");
}

describe("typed inputs at their edges", () => {
  describe("msg", () => {
    it("reads msg.payload written with or without its msg. prefix", () => {
      assert.equal(compile("msg.payload", "msg")({ payload: "general" }), "general");
      assert.equal(compile("payload", "msg")({ payload: "general" }), "general");
      assert.equal(compile("msg.room.name", "msg")({ room: { name: "sales" } }), "sales");
    });

    it("names the property as msg.<path> when the path cannot be read, msg. prefix or not", async () => {
      const reason = "Invalid property expression: unterminated expression";
      assertInputError(await refusal(compile("msg.room[", "msg")), `room: msg.room[ cannot be read: ${reason}`);
      assertInputError(await refusal(compile("room[", "msg")), `room: msg.room[ cannot be read: ${reason}`);
    });
  });

  describe("jsonata", () => {
    it("evaluates the expression against each message", async () => {
      const resolve = compile('payload & "!"', "jsonata");
      assert.equal(await resolve({ payload: "hi" }), "hi!");
      assert.equal(await resolve({ payload: "ho" }), "ho!");
    });

    it("refuses an expression that cannot be parsed for each message, with the parser's reason, and deploys", async () => {
      const resolve = compile("payload +", "jsonata");
      assertInputError(await refusal(resolve), "room: the JSONata expression failed: Unexpected end of expression");
      assertInputError(await refusal(resolve), "room: the JSONata expression failed: Unexpected end of expression");
    });

    it("refuses a message whose evaluation fails, with the expression's reason", async () => {
      assertInputError(await refusal(compile('$error("no room")', "jsonata")), "room: the JSONata expression failed: no room");
    });
  });

  describe("json", () => {
    it("gives every message its own copy of the JSON value", () => {
      const resolve = compile('{"name":"sales","tags":["a"]}', "json");
      const first = resolve({});
      first.tags.push("changed by a flow");
      assert.deepEqual(resolve({}), { name: "sales", tags: ["a"] });
      assert.notEqual(resolve({}), resolve({}));
    });

    it("deploys with JSON that cannot be parsed and refuses each message as not valid JSON", async () => {
      const resolve = compile("{not json", "json");
      assertInputError(await refusal(resolve), "room: is not valid JSON.");
    });
  });

  describe("flow and global", () => {
    it("reads the context key, with a msg reference in it", async () => {
      const node = fakeNode({ sales: "room-1", 'rooms["eu"]': "room-eu" });
      assert.equal(await compile("sales", "flow", node)({}), "room-1");
      assert.equal(await compile("rooms[msg.region]", "flow", node)({ region: "eu" }), "room-eu");
    });

    it("refuses a message whose msg reference in the key cannot be resolved, naming the context", async () => {
      const err = await refusal(compile("rooms[msg.region]", "flow"), {});
      assertInputError(err, "room: the flow value cannot be read: Invalid expression started at position 6");
    });

    it("refuses a message whose context store fails the read, with the store's reason", async () => {
      assertInputError(await refusal(compile("sales", "global")), "room: the global value cannot be read: the store is down");
    });
  });
});
