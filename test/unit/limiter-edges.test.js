"use strict";
// The transport's queue (limiter.ts): a call beyond the queue limit is refused at once, and a close
// refuses what still waits; both say so and are never retried.
const assert = require("node:assert/strict");
const { Transport } = require("../../nodes/core/transport/transport.js");

function transport(options = {}) {
  return new Transport({
    connections: 1,
    queueLimit: 1,
    retries: 2,
    retryBaseMs: 1,
    maxRetryDelayMs: 1,
    timeoutMs: 3000,
    rejectUnauthorized: true,
    ...options,
  });
}

const outcome = (promise) =>
  promise.then(
    (value) => ({ value }),
    (error) => ({ error })
  );

describe("the transport's queue", () => {
  it("a call beyond the queue limit is QUEUE_FULL at once, naming the limit, not retried", async () => {
    const tr = transport();
    let release;
    const busy = new Promise((resolve) => (release = resolve));
    const running = tr.run(() => busy, false);
    const queued = tr.run(() => Promise.resolve("second"), false);
    const { error } = await outcome(tr.run(() => Promise.resolve("third"), false));
    release("first");
    assert.deepEqual([await running, await queued], ["first", "second"]);
    assert.equal(error.code, "QUEUE_FULL");
    assert.match(error.message, /\(limit 1\)/);
    assert.deepEqual({ ...error.cause }, { code: "QUEUE_FULL", retryable: false });
    await tr.close();
  });

  it("a close refuses the calls still queued as CLOSED, never attempted; the running one finishes", async () => {
    const tr = transport();
    let release;
    const busy = new Promise((resolve) => (release = resolve));
    const running = tr.run(() => busy, false);
    let attempted = false;
    const queued = outcome(tr.run(() => ((attempted = true), Promise.resolve("sent")), false));
    const closing = tr.close();
    const { error } = await queued;
    assert.equal(attempted, false);
    assert.equal(error.code, "CLOSED");
    assert.equal(error.message, "The node was stopped or redeployed before the request could be sent.");
    assert.deepEqual({ ...error.cause }, { code: "CLOSED", retryable: false });
    release("first");
    assert.equal(await running, "first");
    await closing;
  });
});
