"use strict";
// A coded error at its edges: its cause (what Catch nodes and the Debug sidebar get) is read from the
// details when asked for, reads as JSON text, and still reads as its code when the details cannot be
// written as JSON; the error written as JSON carries its details once.
const assert = require("node:assert/strict");
const { CodedError, inputError } = require("../../nodes/core/errors");

describe("coded errors at their edges", () => {
  it("reads as its code alone when its details cannot be written as JSON", () => {
    const looped = { name: "room" };
    looped.self = looped;
    assert.equal(String(new CodedError("INTERNAL", "x", { looped }).cause), '{"code":"INTERNAL"}');
    assert.equal(String(new CodedError("BAD_RESPONSE", "x", { size: 10n }).cause), '{"code":"BAD_RESPONSE"}');
  });

  it("written as JSON, carries its code and details once (the cause is not a second copy of them)", () => {
    const error = inputError("recipients", "missing");
    assert.deepEqual(JSON.parse(JSON.stringify(error)), { code: "INVALID_INPUT", details: { field: "recipients" } });
    assert.deepEqual(Object.keys(error), ["code", "details"]);
    assert.deepEqual(error.cause, { code: "INVALID_INPUT", field: "recipients" });
  });
});
