"use strict";
// The shared transport against servers on 127.0.0.1 that do not play fair: the deadline, the size
// limit, the success contract of each operation and the masking of secrets in every encoding.
const assert = require("node:assert/strict");
const http = require("node:http");
const { CamClient } = require("../../nodes/cam/cam-client.js");
const { XassistClient } = require("../../nodes/xassist/xassist-client.js");
const { Secrets } = require("../../nodes/core/transport/secrets.js");
const { MAX_JSON_BYTES } = require("../../nodes/core/transport/answer.js");

const TOKEN = "CANARY/tr4nsp0rt+token=";

/** A server whose handler the test sets, which counts what it wrote and sees its sockets close. */
async function hostile() {
  const state = { handler: null, written: 0, closed: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    res.on("close", () => state.closed++);
    state.handler(req, res, state);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.stop = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return state;
}

function camClient(url, options = {}) {
  return new CamClient({
    serverURL: url,
    token: TOKEN,
    connections: 2,
    queueLimit: 10,
    retries: 0,
    retryBaseMs: 1,
    maxRetryDelayMs: 1,
    timeoutMs: 1000,
    rejectUnauthorized: true,
    ...options,
  });
}

const outcome = (promise) =>
  promise.then(
    (res) => ({ data: res.data }),
    (error) => ({ error })
  );
const closedSoon = (state) =>
  new Promise((resolve) => {
    const check = () => (state.closed > 0 ? resolve() : setTimeout(check, 10));
    check();
  });

describe("transport", function () {
  this.timeout(15_000);
  let server;
  let client;

  beforeEach(async () => {
    server = await hostile();
    client = camClient(server.url);
  });
  afterEach(async () => {
    await client.close();
    await server.stop();
  });

  describe("the timeout is a deadline for the whole exchange", () => {
    it("a body that drips one byte at a time ends as TIMEOUT and the connection is closed", async () => {
      await client.close();
      client = camClient(server.url, { timeoutMs: 300 });
      server.handler = (req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(" ")), 30);
        res.on("close", () => clearInterval(drip));
      };
      const { error } = await outcome(client.call({ apiName: "sendMessage", form: { message: "{}" } }));
      assert.equal(error.code, "TIMEOUT");
      await closedSoon(server);
    });

    it("headers that never come end as TIMEOUT; a read-only call tries again, then gives up", async () => {
      await client.close();
      client = camClient(server.url, { retries: 1, timeoutMs: 300 });
      let requests = 0;
      server.handler = () => requests++;
      const { error } = await outcome(client.call({ apiName: "getConferenceMaster" }));
      assert.equal(error.code, "TIMEOUT");
      assert.equal(requests, 2, "read-only: repeated once");
      assert.equal(error.cause.attempts, 2);
    });
  });

  describe("bounded bodies", () => {
    it("an endless JSON body ends as RESPONSE_TOO_LARGE once past the limit, without reading the rest", async () => {
      const chunk = Buffer.alloc(64 * 1024, "[");
      server.handler = (req, res, state) => {
        res.writeHead(200, { "content-type": "application/json" });
        const pump = () => {
          while (!res.destroyed && res.write(chunk)) state.written += chunk.length;
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
      };
      const { error } = await outcome(client.call({ apiName: "getConferenceMaster" }));
      assert.equal(error.code, "RESPONSE_TOO_LARGE");
      assert.match(error.message, /4 MB/);
      await closedSoon(server);
      assert.ok(server.written <= MAX_JSON_BYTES + 16 * 1_048_576, `${server.written} bytes written`);
    });

    it("an announced Content-Length over the limit is refused before the body", async () => {
      await client.close();
      client = camClient(server.url, { maxResponseBytes: 1000 });
      server.handler = (req, res) => res.writeHead(200, { "content-type": "text/csv", "content-length": "5000" }).write("a,b\n");
      const { error } = await outcome(client.call({ apiName: "exportUsers", form: { path: "u.csv" } }));
      assert.equal(error.code, "RESPONSE_TOO_LARGE");
    });

    it("the server node's limit applies to CSV too; within it, the export is read", async () => {
      await client.close();
      client = camClient(server.url, { maxResponseBytes: 100_000 });
      const csv = "email,name\n" + "a@b.c,x\n".repeat(10_000);
      server.handler = (req, res) => res.writeHead(200, { "content-type": "text/csv" }).end(csv);
      assert.equal((await client.call({ apiName: "exportUsers", form: { path: "u.csv" } })).data, csv);
    });
  });

  describe("a success answer is what the operation promises", () => {
    const cases = [
      ["a login portal's page", "text/html", "<!DOCTYPE html><html><body>Sign in</body></html>", /web page/],
      ["an HTML page labelled JSON", "application/json", "  <html>proxy error</html>", /web page/],
      ["null", "application/json", "null", /null/],
      ["an array", "application/json", "[]", /array/],
      ["an empty body", "application/json", "", /empty/],
      ["cut-off JSON", "application/json", '{"status":20', /not valid JSON/],
      ["JSON nested 100,000 deep", "application/json", "[".repeat(100_000) + "]".repeat(100_000), /nested deeper/],
      ["an object without the status", "application/json", '{"ok":true}', /status/],
      ["text where JSON belongs", "text/plain", "OK", /./],
    ];
    for (const [what, type, body, message] of cases) {
      it(`${what} is BAD_RESPONSE for send message`, async () => {
        server.handler = (req, res) => res.writeHead(200, { "content-type": type }).end(body);
        const { error } = await outcome(client.call({ apiName: "sendMessage", form: { message: "{}" } }));
        assert.equal(error?.code, "BAD_RESPONSE");
        assert.match(error.message, message);
      });
    }

    it("JSON where the CSV export belongs is BAD_RESPONSE", async () => {
      server.handler = (req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"status":200}');
      const { error } = await outcome(client.call({ apiName: "exportUsers", form: { path: "u.csv" } }));
      assert.equal(error?.code, "BAD_RESPONSE");
    });

    it("xAssist: a login portal answering /login is BAD_RESPONSE, not a session", async () => {
      server.handler = (req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>SSO</html>");
      const x = new XassistClient({ ...xassistOptions(server.url) });
      try {
        const { error } = await outcome(x.call({ method: "GET", path: "/rtc/getCallLogById", query: { callId: "c" } }));
        assert.equal(error?.code, "BAD_RESPONSE");
      } finally {
        await x.close();
      }
    });
  });

  describe("secrets never leave", () => {
    const forms = {
      raw: TOKEN,
      "JSON-escaped": JSON.stringify(TOKEN).slice(1, -1).replace(/\//g, "\\/"),
      "\\u-escaped": [...TOKEN].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
      "URL-encoded": encodeURIComponent(TOKEN),
      "URL-encoded, lower-case hex": encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      "form-encoded": new URLSearchParams({ t: TOKEN }).toString().slice(2),
      base64: Buffer.from(TOKEN).toString("base64"),
      "base64 inside a header line": Buffer.from(`x-cam-apiToken: ${TOKEN}`).toString("base64"),
      "base64url after one byte": Buffer.from(`:${TOKEN}`).toString("base64url"),
      "mixed: half escaped": TOKEN.replace("/", "%2F").replace("+", "\\u002b"),
    };
    const leaks = (text) => Object.values(forms).some((form) => text.includes(form)) || text.includes(TOKEN);

    for (const [what, form] of Object.entries(forms)) {
      it(`masks the token ${what} in an error answer's message and code`, async () => {
        server.handler = (req, res) =>
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ status: 520, errors: [{ code: form, message: `bad token ${form}` }] }));
        const { error } = await outcome(client.call({ apiName: "sendMessage", form: { message: "{}" } }));
        const seen = JSON.stringify({ message: error.message, code: error.code, cause: error.cause });
        assert.equal(error.code, "unknown");
        assert.ok(!leaks(seen), seen);
      });
    }

    it("masks the token echoed in an HTTP 500 body and keeps only a few hundred characters", async () => {
      server.handler = (req, res) => res.writeHead(500).end(`token ${req.headers["x-cam-apitoken"]} ${"x".repeat(5000)}`);
      const { error } = await outcome(client.call({ apiName: "sendMessage", form: { message: "{}" } }));
      assert.equal(error.code, "HTTP_500");
      assert.ok(!leaks(JSON.stringify(error.cause)));
      assert.ok(String(error.cause.apiMessage).length <= 301);
    });

    it("masks the token in a success answer and a download's file name", async () => {
      server.handler = (req, res) =>
        res
          .writeHead(200, { "content-type": "text/csv", "content-disposition": `attachment; filename="${encodeURIComponent(TOKEN)}.csv"` })
          .end(`email\n${TOKEN}\n`);
      const res = await client.call({ apiName: "exportUsers", form: { path: "u.csv" } });
      assert.ok(!leaks(JSON.stringify(res)), JSON.stringify(res));
    });

    it("keeps a server code that looks like one", () => {
      const secrets = new Secrets();
      secrets.add(TOKEN);
      assert.deepEqual(
        ["805", 491, "E_BUSY", "a b", "x".repeat(40), {}, TOKEN].map((c) => secrets.code(c)),
        ["805", "491", "E_BUSY", "unknown", "unknown", "unknown", "unknown"]
      );
    });
  });
});

function xassistOptions(url) {
  return {
    serverURL: url,
    domain: "",
    username: "user",
    password: "CANARY/x4ssist+pw=",
    forceLogin: false,
    refreshPath: "/auth/refresh",
    tokenLifetimeMs: 300_000,
    timeoutMs: 1000,
    connections: 2,
    queueLimit: 10,
    retries: 0,
    retryBaseMs: 1,
    maxRetryDelayMs: 1,
    rejectUnauthorized: true,
  };
}
