"use strict";
// The shared transport's rules at their edges (docs/failure-modes.md): what a close or a node's stop
// does to a call that waits, retries or runs; which failures of a read-only call are repeated; what
// is never retried; and the proxy's login among the secrets.
const assert = require("node:assert/strict");
const http = require("node:http");
const net = require("node:net");
const { Transport } = require("../../nodes/core/transport/transport.js");
const { CallScope } = require("../../nodes/core/transport/call-scope.js");
const { ANY_ANSWER } = require("../../nodes/core/transport/answer.js");
const { CodedError } = require("../../nodes/core/errors.js");
const { closeTiming } = require("../../nodes/core/node/close-timing.js");

const CLOSED_TEXT = "The node was stopped or redeployed before the request could be sent.";

function transport(options = {}) {
  return new Transport({
    connections: 2,
    queueLimit: 10,
    retries: 0,
    retryBaseMs: 1,
    maxRetryDelayMs: 1,
    timeoutMs: 3000,
    rejectUnauthorized: true,
    ...options,
  });
}

/** A failure as undici or Node reports it. */
const failure = (code) => Object.assign(new Error(`failed: ${code}`), { code });

/** An attempt that fails with `code` every time, counting its calls. */
function failing(code) {
  const attempt = () => {
    attempt.calls++;
    return Promise.reject(failure(code));
  };
  attempt.calls = 0;
  return attempt;
}

const rejection = (promise) =>
  promise.then(
    (value) => assert.fail(`expected a failure, got ${JSON.stringify(value)}`),
    (error) => error
  );

/** A plain cause, as a Catch node sees msg.error.cause. */
const causeOf = (error) => ({ ...error.cause });

/** A server on 127.0.0.1 whose answer the test sets; counts requests. */
async function server(answer) {
  const state = { requests: 0 };
  const listener = http.createServer((req, res) => {
    state.requests++;
    req.resume();
    answer(req, res);
  });
  await new Promise((resolve) => listener.listen(0, "127.0.0.1", resolve));
  state.origin = `http://127.0.0.1:${listener.address().port}`;
  state.close = () => {
    listener.closeAllConnections();
    return new Promise((resolve) => listener.close(resolve));
  };
  return state;
}

const get = (origin) => ({ origin, path: "/", method: "GET", headers: {} });

describe("transport edges", function () {
  this.timeout(10_000);
  const open = [];
  const saved = { ...closeTiming };
  before(() => Object.assign(closeTiming, { graceMs: 200 }));
  after(() => Object.assign(closeTiming, saved));
  const make = (options) => {
    const made = transport(options);
    open.push(made);
    return made;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((made) => made.close()));
  });

  describe("close and a node's stop", () => {
    it("after close, a call is refused as CLOSED without being attempted", async () => {
      const tr = make();
      await tr.close();
      let attempted = 0;
      const error = await rejection(tr.attempts(() => (attempted++, Promise.resolve("sent")), false));
      assert.equal(attempted, 0);
      assert.equal(error.code, "CLOSED");
      assert.equal(error.message, CLOSED_TEXT);
      assert.deepEqual(causeOf(error), { code: "CLOSED", retryable: false, attempts: 1 });
    });

    it("after close, an exchange is refused as CLOSED", async () => {
      const srv = await server((req, res) => res.end("ok"));
      try {
        const tr = make();
        await tr.close();
        const error = await rejection(tr.exchange(get(srv.origin), ANY_ANSWER));
        assert.ok(error instanceof CodedError, String(error));
        assert.equal(error.code, "CLOSED");
        assert.equal(srv.requests, 0);
      } finally {
        await srv.close();
      }
    });

    it("a close from the retry hook ends the call at once as CLOSED, naming the failure it was to retry", async () => {
      const tr = make({ retries: 3, retryBaseMs: 60_000, maxRetryDelayMs: 60_000 });
      const attempt = failing("ECONNREFUSED");
      const error = await rejection(tr.run(attempt, false, { onRetry: () => void tr.close() }));
      assert.equal(attempt.calls, 1);
      assert.equal(error.code, "CLOSED");
      assert.equal(error.message, CLOSED_TEXT);
      assert.deepEqual(causeOf(error), { code: "CLOSED", retryable: false, lastCode: "NETWORK", attempts: 1 });
    });

    it("a close during a back-off ends the call at once as CLOSED", async () => {
      const tr = make({ retries: 3, retryBaseMs: 60_000, maxRetryDelayMs: 60_000 });
      const attempt = failing("ECONNREFUSED");
      const call = rejection(tr.run(attempt, false, { onRetry: () => setTimeout(() => void tr.close(), 50) }));
      const error = await call;
      assert.equal(attempt.calls, 1);
      assert.deepEqual(causeOf(error), { code: "CLOSED", retryable: false, lastCode: "NETWORK", attempts: 1 });
    });

    it("a node's stop during a back-off ends its call at once as CLOSED, without another attempt", async () => {
      const tr = make({ retries: 3, retryBaseMs: 60_000, maxRetryDelayMs: 60_000 });
      const scope = new CallScope();
      const attempt = failing("ECONNREFUSED");
      const error = await rejection(tr.run(attempt, false, { scope, onRetry: () => setTimeout(() => scope.stopWaiting(), 50) }));
      assert.equal(attempt.calls, 1);
      assert.deepEqual(causeOf(error), { code: "CLOSED", retryable: false, lastCode: "NETWORK", attempts: 1 });
    });

    it("a request of a node already stopped is not sent: CLOSED, and not retried", async () => {
      const srv = await server((req, res) => res.end("ok"));
      try {
        const tr = make({ retries: 2 });
        const scope = new CallScope();
        scope.abortRunning();
        let retries = 0;
        const error = await rejection(tr.attempts(() => tr.exchange(get(srv.origin), ANY_ANSWER, scope), false, { scope, onRetry: () => retries++ }));
        assert.equal(srv.requests, 0, "the request reached the server");
        assert.equal(retries, 0);
        assert.equal(error.code, "CLOSED");
        assert.equal(error.message, CLOSED_TEXT);
        assert.deepEqual(causeOf(error), { code: "CLOSED", retryable: false, attempts: 1 });
      } finally {
        await srv.close();
      }
    });

    it("a request cut off on the wire by its node's stop is MAYBE_DELIVERED (stopped), not retried", async () => {
      const srv = await server(() => {}); // never answers
      try {
        const tr = make({ retries: 2 });
        const scope = new CallScope();
        const call = rejection(tr.run(() => tr.exchange(get(srv.origin), ANY_ANSWER, scope), true, { scope }));
        while (srv.requests === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        scope.abortRunning();
        const error = await call;
        assert.equal(error.code, "MAYBE_DELIVERED");
        assert.match(error.message, /\(stopped\)/);
        assert.deepEqual(causeOf(error), { code: "MAYBE_DELIVERED", retryable: false, attempts: 1 });
        assert.equal(srv.requests, 1);
      } finally {
        await srv.close();
      }
    });

    it("a read-only call whose connection broke after its node's stop is not retried: MAYBE_DELIVERED", async () => {
      const tr = make({ retries: 2 });
      const scope = new CallScope();
      let calls = 0;
      const attempt = () => {
        calls++;
        scope.abortRunning();
        return Promise.reject(failure("ECONNRESET"));
      };
      const error = await rejection(tr.attempts(attempt, true, { scope }));
      assert.equal(calls, 1);
      assert.equal(error.code, "MAYBE_DELIVERED");
      assert.match(error.message, /\(stopped\)/);
      assert.deepEqual(causeOf(error), { code: "MAYBE_DELIVERED", retryable: false, attempts: 1 });
    });
  });

  describe("what a read-only call repeats", () => {
    it("a broken connection: retried as NETWORK, naming the break", async () => {
      const tr = make({ retries: 1 });
      const attempt = failing("ECONNRESET");
      const error = await rejection(tr.run(attempt, true));
      assert.equal(attempt.calls, 2);
      assert.equal(error.code, "NETWORK");
      assert.match(error.message, /^Could not connect to the server \(ECONNRESET\)/);
      assert.deepEqual(causeOf(error), { code: "NETWORK", retryable: true, reason: "ECONNRESET", attempts: 2 });
    });

    it("a malformed answer: not repeated (a repeat would only get it again), MAYBE_DELIVERED", async () => {
      let requests = 0;
      const garbage = net.createServer((socket) => {
        socket.once("data", () => {
          requests++;
          socket.end("NOT HTTP AT ALL\r\n\r\n");
        });
      });
      await new Promise((resolve) => garbage.listen(0, "127.0.0.1", resolve));
      try {
        const tr = make({ retries: 2 });
        const origin = `http://127.0.0.1:${garbage.address().port}`;
        const error = await rejection(tr.run(() => tr.exchange(get(origin), ANY_ANSWER), true));
        assert.equal(error.code, "MAYBE_DELIVERED");
        assert.deepEqual(causeOf(error), { code: "MAYBE_DELIVERED", retryable: false, reason: "HTTPParserError", attempts: 1 });
        assert.equal(requests, 1);
      } finally {
        await new Promise((resolve) => garbage.close(resolve));
      }
    });
  });

  it("an answer over the size limit is not retried, even for a read-only call", async () => {
    const srv = await server((req, res) => res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000)));
    try {
      const tr = make({ retries: 2, maxResponseBytes: 1000 });
      const error = await rejection(tr.run(() => tr.exchange(get(srv.origin), ANY_ANSWER), true));
      assert.equal(error.code, "RESPONSE_TOO_LARGE");
      assert.equal(error.cause.retryable, false);
      assert.equal(srv.requests, 1);
    } finally {
      await srv.close();
    }
  });

  it("masks the proxy's login (user and password, URL-decoded) in every error", async () => {
    const tr = make({ proxy: "http://proxy%20keeper:p%40ss-w0rd-9x@127.0.0.1:9" });
    const echoed = new CodedError("HTTP_500", "The server failed (HTTP 500).", { status: 500, apiMessage: "login p@ss-w0rd-9x of proxy keeper refused" });
    const error = await rejection(tr.attempts(() => Promise.reject(echoed), false));
    const seen = JSON.stringify({ message: error.message, cause: error.cause });
    assert.ok(!seen.includes("p@ss-w0rd-9x"), seen);
    assert.ok(!seen.includes("proxy keeper"), seen);
  });
});
