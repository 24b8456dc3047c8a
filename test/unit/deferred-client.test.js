"use strict";
// A client made once the practice server has started: calls wait for it, a failed start fails the calls
// (not the process), and closing closes the client once it exists.
const assert = require("node:assert/strict");
const { deferredClient } = require("../../nodes/core/node/deferred-client");

function fakeClient() {
  const client = {
    calls: [],
    closed: false,
    call: async (req, hooks) => (client.calls.push({ req, hooks }), { answer: req.apiName }),
    close: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      client.closed = true;
    },
  };
  return client;
}

describe("deferred client", () => {
  it("passes each call, with its hooks, to the client once it exists", async () => {
    let make;
    const real = fakeClient();
    const client = deferredClient(new Promise((resolve) => (make = resolve)));
    const hooks = { onRetry() {} };
    const answer = client.call({ apiName: "sendMessage" }, hooks);
    assert.equal(real.calls.length, 0);
    make(real);
    assert.deepEqual(await answer, { answer: "sendMessage" });
    assert.equal(real.calls[0].hooks, hooks);
  });

  it("closing waits until the client it made is closed", async () => {
    const real = fakeClient();
    await deferredClient(Promise.resolve(real)).close();
    assert.equal(real.closed, true);
  });

  it("a client that could not be made fails its calls with the reason, and closes without error", async () => {
    const client = deferredClient(Promise.reject(new Error("port in use")));
    await assert.rejects(client.call({ apiName: "sendMessage" }), /port in use/);
    await client.close();
  });
});
