"use strict";
// Waiting for work that several calls share (the xAssist login): a node's stop ends its own wait at
// once, never the work the other calls still need.
const assert = require("node:assert/strict");
const { CallScope, waitForShared } = require("../../nodes/core/transport/call-scope.js");

const stopped = () => Object.assign(new Error("stopped"), { code: "CLOSED" });
const outcome = (promise) =>
  promise.then(
    (value) => ({ value }),
    (error) => ({ error })
  );

describe("waiting for shared work", () => {
  it("a node already stopped does not wait: refused at once, even when the work is done", async () => {
    const scope = new CallScope();
    scope.stopWaiting();
    const { value, error } = await outcome(waitForShared(Promise.resolve("session"), scope, stopped));
    assert.equal(value, undefined);
    assert.equal(error?.code, "CLOSED");
  });

  it("a node's stop ends its wait at once; the shared work goes on for the others", async () => {
    const scope = new CallScope();
    let finish;
    const work = new Promise((resolve) => (finish = resolve));
    const mine = outcome(waitForShared(work, scope, stopped));
    const other = waitForShared(work, new CallScope(), stopped);
    scope.stopWaiting();
    const first = await Promise.race([mine, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 500))]);
    assert.equal(first?.error?.code, "CLOSED", JSON.stringify(first));
    finish("session");
    assert.equal(await other, "session");
  });

  it("without a stop, the wait ends with the work and leaves nothing in the node's scope", async () => {
    const scope = new CallScope();
    assert.equal(await waitForShared(Promise.resolve("session"), scope, stopped), "session");
    assert.equal(scope.waiting.size, 0);
  });
});
