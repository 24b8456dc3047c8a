"use strict";
// One exchange through the transport's dispatcher (exchange.ts, dispatcher.ts), against loopback
// servers: how much of an error answer is read, what a request given up while it waited for a
// connection costs, what a call leaves behind, a proxy that hangs up, relaxed TLS, and the close.
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const https = require("node:https");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { createDispatcher, closeDispatcher, Demand } = require("../../nodes/core/transport/dispatcher.js");
const { exchange } = require("../../nodes/core/transport/exchange.js");
const { transportError } = require("../../nodes/core/transport/transport-errors.js");
const { CallScope } = require("../../nodes/core/transport/call-scope.js");
const { CamClient } = require("../../nodes/cam/cam-client.js");

const KB64 = 64 * 1024;

/** A server on 127.0.0.1 whose answer the test sets; counts requests and TCP connections. */
async function server(answer, { tls } = {}) {
  const state = { requests: 0, connections: 0 };
  const handle = (req, res) => {
    state.requests++;
    req.resume();
    answer(req, res);
  };
  const listener = tls ? https.createServer(tls, handle) : http.createServer(handle);
  listener.on("connection", () => state.connections++);
  await new Promise((resolve) => listener.listen(0, "127.0.0.1", resolve));
  state.origin = `${tls ? "https" : "http"}://127.0.0.1:${listener.address().port}`;
  state.close = () => {
    listener.closeAllConnections();
    return new Promise((resolve) => listener.close(resolve));
  };
  return state;
}

/** The transport's dispatcher with its demand counter; closed by the test's afterEach. */
function connection(options = {}) {
  const demand = new Demand();
  const dispatcher = createDispatcher({ connections: 2, rejectUnauthorized: true, timeoutMs: 5000, ...options }, demand);
  return { demand, dispatcher };
}

const get = (origin, headers = {}) => ({ origin, path: "/", method: "GET", headers });
const limits = (deadlineMs, maxBytes = 1_000_000) => ({ deadlineMs, maxBytes });
/** The error a client sees: what transportError makes of the exchange's failure. */
const failureOf = (promise) =>
  promise.then(
    (value) => assert.fail(`expected a failure, got status ${value.statusCode}`),
    (err) => transportError(err)
  );
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A self-signed certificate for 127.0.0.1, made with openssl as test/support does. */
function selfSigned() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-exchange-"));
  try {
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert];
    execFileSync("openssl", [...args, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    return { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(cert, "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("exchange edges", function () {
  this.timeout(15_000);
  const cleanups = [];
  const later = (cleanup) => cleanups.push(cleanup);
  const open = (options) => {
    const made = connection(options);
    later(() => closeDispatcher(made.dispatcher, 100));
    return made;
  };
  const serve = async (answer, options) => {
    const made = await server(answer, options);
    later(() => made.close());
    return made;
  };
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  describe("an error answer (a status other than 2xx)", () => {
    it("is read up to its first 64 KB, even past the size limit, and reported by its status", async () => {
      const body = Array.from({ length: 200_000 }, (_, i) => String(i % 10)).join("");
      const srv = await serve((req, res) => res.writeHead(500, { "content-type": "text/plain" }).end(body));
      const { demand, dispatcher } = open();
      const answer = await exchange(dispatcher, demand, get(srv.origin), limits(5000, 100_000));
      assert.equal(answer.statusCode, 500);
      assert.equal(answer.text.length, KB64);
      assert.equal(answer.text, body.slice(0, KB64));
    });

    it("of exactly 64 KB is read whole, and its connection serves the next request", async () => {
      const body = "e".repeat(KB64);
      const srv = await serve((req, res) => res.writeHead(500, { "content-length": String(KB64) }).end(body));
      const { demand, dispatcher } = open({ connections: 1 });
      for (let i = 0; i < 2; i++) {
        const answer = await exchange(dispatcher, demand, get(srv.origin), limits(5000));
        assert.equal(answer.text, body);
      }
      assert.equal(srv.connections, 1, "the connection was closed after a whole answer");
    });
  });

  it("a request given up while it waited for a connection fails at its own deadline, never sent, and opens none", async () => {
    const srv = await serve(() => {}); // never answers: the first request holds the only connection
    const { demand, dispatcher } = open({ connections: 1 });
    const holding = failureOf(exchange(dispatcher, demand, get(srv.origin), limits(15_000)));
    const given = failureOf(exchange(dispatcher, demand, get(srv.origin), limits(100)));
    // Its own deadline, not the connection's: it ends before the request that holds the connection.
    assert.equal(await Promise.race([given.then(() => "waiting"), holding.then(() => "holding")]), "waiting");
    const waiting = await given;
    assert.deepEqual({ ...waiting.cause }, { code: "NETWORK", retryable: true, reason: "DEADLINE" });
    assert.equal((await holding).code, "TIMEOUT");
    await sleep(300);
    assert.equal(srv.requests, 1);
    assert.equal(srv.connections, 1, "a connection was opened for the request given up");
  });

  describe("a finished call leaves nothing behind: no request waits for a connection, nothing stays in its node's scope", () => {
    const cases = [
      ["an answer", (req, res) => res.end("ok")],
      ["an error answer", (req, res) => res.writeHead(503).end("busy")],
      ["an answer cut off", (req, res) => res.socket.destroy()],
    ];
    for (const [what, answer] of cases) {
      it(`after ${what}`, async () => {
        const srv = await serve(answer);
        const { demand, dispatcher } = open();
        const scope = new CallScope();
        await exchange(dispatcher, demand, get(srv.origin), limits(5000), scope).catch(() => undefined);
        assert.equal(demand.waiting, 0);
        assert.equal(scope.running.size, 0);
      });
    }

    it("after a refused connection", async () => {
      const closedPort = await new Promise((resolve) => {
        const probe = net.createServer().listen(0, "127.0.0.1", () => {
          const { port } = probe.address();
          probe.close(() => resolve(port));
        });
      });
      const { demand, dispatcher } = open();
      const scope = new CallScope();
      const error = await failureOf(exchange(dispatcher, demand, get(`http://127.0.0.1:${closedPort}`), limits(5000), scope));
      assert.equal(error.code, "NETWORK");
      assert.equal(demand.waiting, 0);
      assert.equal(scope.running.size, 0);
    });
  });

  it("a proxy that hangs up before it answers CONNECT: NETWORK naming the proxy, at once, without reconnecting", async () => {
    let proxyConnections = 0;
    const proxy = net.createServer((socket) => {
      proxyConnections++;
      socket.once("data", () => socket.destroy());
    });
    await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    later(() => new Promise((resolve) => proxy.close(resolve)));
    const { demand, dispatcher } = open({ proxy: `http://127.0.0.1:${proxy.address().port}` });
    // A deadline far beyond the test's timeout: a proxy tunnel retried until then would fail the test.
    const error = await failureOf(exchange(dispatcher, demand, get("https://127.0.0.1:9"), limits(60_000)));
    assert.equal(error.code, "NETWORK");
    assert.match(error.message, /^Could not connect to the proxy \(CLOSED_WHILE_CONNECTING\)/);
    assert.deepEqual({ ...error.cause }, { code: "NETWORK", retryable: true, reason: "CLOSED_WHILE_CONNECTING" });
    await sleep(200);
    assert.equal(proxyConnections, 1);
  });

  it("with relaxed certificate checks, every new connection checks the host name again (no resumed TLS session)", async () => {
    const srv = await serve((req, res) => res.writeHead(200, { connection: "close" }).end("ok"), { tls: selfSigned() });
    const { demand, dispatcher } = open({ rejectUnauthorized: false });
    for (let i = 0; i < 3; i++) {
      const answer = await exchange(dispatcher, demand, get(srv.origin), limits(5000));
      assert.equal(answer.text, "ok", `request ${i + 1}`);
    }
    assert.equal(srv.connections, 3);
  });

  it("a header undici refuses (a line break in the token) is NETWORK naming the header, never its value, not retried", async () => {
    const srv = await serve((req, res) => res.end("ok"));
    const { demand, dispatcher } = open();
    const error = await failureOf(exchange(dispatcher, demand, get(srv.origin, { "x-cam-apitoken": "s3cret-part\nsecond-line" }), limits(2000)));
    assert.equal(error.code, "NETWORK");
    assert.match(error.message, /\(UND_ERR_INVALID_ARG: invalid x-cam-apitoken header\)/);
    assert.doesNotMatch(error.message, /s3cret|second-line/);
    assert.deepEqual({ ...error.cause }, { code: "NETWORK", retryable: false, reason: "UND_ERR_INVALID_ARG" });
    assert.equal(srv.requests, 0);
  });

  describe("close", () => {
    it("returns once the grace period is over, even with a request still on the wire", async () => {
      const srv = await serve(() => {}); // never answers
      const { demand, dispatcher } = open();
      const onTheWire = exchange(dispatcher, demand, get(srv.origin), limits(15_000)).then(
        () => "request",
        () => "request"
      );
      while (srv.requests === 0) await sleep(10);
      const closed = closeDispatcher(dispatcher, 100).then(() => "close");
      assert.equal(await Promise.race([closed, onTheWire]), "close", "the close did not wait for the request's own deadline");
    });

    it("after a request cut off on the wire, a close does not wait for its grace period", async () => {
      const srv = await serve((req, res) => res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000)));
      const { demand, dispatcher } = open();
      const cut = await failureOf(exchange(dispatcher, demand, get(srv.origin), limits(5000, 1000)));
      assert.equal(cut.code, "RESPONSE_TOO_LARGE");
      // A grace period far beyond the test's timeout: a close that waits for it fails the test.
      await closeDispatcher(dispatcher, 600_000);
    });

    it("a request on a closed dispatcher is CLOSED, never sent", async () => {
      const srv = await serve((req, res) => res.end("ok"));
      const { demand, dispatcher } = connection();
      await closeDispatcher(dispatcher, 100);
      const error = await failureOf(exchange(dispatcher, demand, get(srv.origin), limits(2000)));
      assert.equal(error.message, "The node was stopped or redeployed before the request could be sent.");
      assert.deepEqual({ ...error.cause }, { code: "CLOSED", retryable: false, reason: "UND_ERR_DESTROYED" });
      assert.equal(srv.requests, 0);
    });
  });

  it("an answer without a content type is named as such when it is a web page", async () => {
    const srv = await serve((req, res) => res.end("<html><body>Sign in</body></html>"));
    const client = new CamClient({
      serverURL: srv.origin,
      token: "CANARY-exchange-token",
      connections: 2,
      queueLimit: 10,
      retries: 0,
      retryBaseMs: 1,
      maxRetryDelayMs: 1,
      timeoutMs: 5000,
      rejectUnauthorized: true,
    });
    later(() => client.close());
    const error = await client.call({ apiName: "sendMessage", form: { message: "{}" } }).then(
      () => assert.fail("a web page counted as success"),
      (err) => err
    );
    assert.equal(error.code, "BAD_RESPONSE");
    assert.match(error.message, /^The server answered a web page \(\?\)/);
  });
});
