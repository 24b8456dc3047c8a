"use strict";
// Login, refresh and re-login of xassist-config, seen on the wire through a call-log node.
const assert = require("node:assert/strict");
const http = require("node:http");
const x = require("../support/xassist-support");
const { closedPort } = require("../support/cam-support");
const { startNodeRed, adminAuth } = require("../support/node-red-process");
const { xassistOptions } = require("../../nodes/xassist/xassist-settings.js");
const { helper } = x;

describe("xassist-config", function () {
  let practiceServer;
  let callId;
  before(async () => (practiceServer = await x.startPracticeServer()));
  after(() => practiceServer.close());
  beforeEach(async () => (callId = (await x.createCallDirectly(practiceServer)).callId));
  afterEach(async () => {
    await helper.unload();
    await x.resetPracticeServer(practiceServer);
  });

  async function load({ serverProps, credentials } = {}) {
    const flow = x.xassistFlow("xassist-call-log", {}, { url: practiceServer.url, serverProps });
    await helper.load(x.allNodes, flow, credentials ?? x.demoCredentials(practiceServer));
  }

  /** A short token lifetime for the refresh tests, and a wait past it (the client refreshes a little before). */
  const shortLifetime = () => x.control(practiceServer, "POST", "settings", { xassistTokenLifetimeSec: 0.5 });
  const pastLifetime = () => x.sleep(550);

  async function logOnce() {
    const { msg, error } = await x.outcome({ payload: callId });
    assert.equal(error, undefined, error && error.message);
    assert.equal(msg.payload.callId, callId);
    return msg;
  }

  it("logs in lazily on the first request with the documented body, then reuses the token", async () => {
    await load();
    assert.deepEqual(await x.recorded(practiceServer), [], "nothing is sent at deploy");
    await logOnce();
    await logOnce();
    assert.deepEqual(await x.paths(practiceServer), ["POST /login 200", "GET /rtc/getCallLogById 200", "GET /rtc/getCallLogById 200"]);
    const [login, first, second] = await x.recorded(practiceServer);
    assert.deepEqual(JSON.parse(login.body), { username: "node-red", password: practiceServer.xassist.password, domain: "ubimax", agreedToTos: "true" });
    assert.match(login.headers["content-type"], /^application\/json/);
    assert.match(first.headers.authorization, /^Bearer \S+\.\S+\.\S+$/);
    assert.equal(second.headers.authorization, first.headers.authorization);
  });

  it("refreshes the access token before it expires, without a 401", async () => {
    await shortLifetime();
    await load();
    await logOnce();
    await pastLifetime(); // the token must not be used again
    await logOnce();
    assert.deepEqual(await x.paths(practiceServer), [
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
      "POST /auth/refresh 200",
      "GET /rtc/getCallLogById 200",
    ]);
    const [login, first, refresh, second] = await x.recorded(practiceServer);
    assert.ok(login);
    assert.deepEqual(Object.keys(JSON.parse(refresh.body)), ["refreshToken"]);
    assert.notEqual(second.headers.authorization, first.headers.authorization);
  });

  it("uses the configured refresh path, and logs in again when the refresh is refused", async () => {
    await shortLifetime();
    await load({ serverProps: { refreshPath: "/auth/renew" } });
    await logOnce();
    await pastLifetime();
    await logOnce();
    assert.deepEqual(await x.paths(practiceServer), [
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
      "POST /auth/renew 404",
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
    ]);
  });

  it("on a 401 (the server's clock says the token expired) logs in once and retries once", async () => {
    await load();
    await logOnce();
    await x.control(practiceServer, "POST", "clock", { advanceMs: 400_000 });
    await logOnce();
    assert.deepEqual(await x.paths(practiceServer), [
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
      "GET /rtc/getCallLogById 401",
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
    ]);
  });

  it("on a 401 because a force login elsewhere ended the session, logs in once and retries once", async () => {
    await load();
    await logOnce();
    await x.loginElsewhere(practiceServer, { force: true });
    await logOnce();
    assert.deepEqual(await x.paths(practiceServer), [
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
      "POST /auth/forceLogin 200",
      "GET /rtc/getCallLogById 401",
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
    ]);
  });

  it("with force login, logs in through /auth/forceLogin and ends the user's older session", async () => {
    const older = await x.loginElsewhere(practiceServer);
    await load({ serverProps: { forceLogin: true } });
    await logOnce();
    const paths = await x.paths(practiceServer);
    assert.deepEqual(paths.slice(1), ["POST /auth/forceLogin 200", "GET /rtc/getCallLogById 200"]);
    const res = await fetch(`${practiceServer.url}/rtc/getCallLogById?callId=${callId}`, { headers: { authorization: `Bearer ${older}` } });
    assert.equal(res.status, 401, "the older session has ended");
  });

  it("reports a wrong password clearly, with exactly one login on the wire and no secret anywhere", async () => {
    const canary = "CANARY-pw-7d3e91";
    const visible = x.trackVisible();
    try {
      await load({ credentials: x.demoCredentials(practiceServer, { password: canary }) });
      const { error, msg } = await x.outcome({ payload: callId });
      assert.equal(error.code, "LOGIN_FAILED");
      assert.equal(error.cause.status, 401);
      assert.match(error.message, /password/);
      assert.match(error.message, /401/);
      assert.deepEqual(await x.paths(practiceServer), ["POST /login 401"]);
      // The next messages fail at once with the same error: no login per message with a wrong password.
      for (let i = 0; i < 3; i++) assert.equal((await x.outcome({ payload: callId })).error.code, "LOGIN_FAILED");
      assert.deepEqual(await x.paths(practiceServer), ["POST /login 401"]);
      for (const text of [x.safeJson(error), x.safeJson(msg), x.safeJson(visible.seen), x.safeJson(visible.logs())]) {
        assert.ok(!text.includes(canary), "the password leaked");
      }
    } finally {
      await helper.unload(); // first: it puts back what it wrapped, which is our tracker
      visible.restore();
    }
  });

  it("lets concurrent requests share one login, and one re-login after a 401", async () => {
    await load();
    const n1 = helper.getNode("n1");
    const out = x.collect("out");
    for (let i = 0; i < 10; i++) n1.receive({ payload: callId });
    await out.count(10);
    await x.control(practiceServer, "POST", "clock", { advanceMs: 400_000 });
    for (let i = 0; i < 10; i++) n1.receive({ payload: callId });
    await out.count(20);
    const paths = await x.paths(practiceServer);
    assert.equal(paths.filter((p) => p === "POST /login 200").length, 2);
    assert.equal(paths.filter((p) => p === "GET /rtc/getCallLogById 200").length, 20);
  });

  it("lets concurrent requests share one refresh", async () => {
    await shortLifetime();
    await load();
    await logOnce();
    await pastLifetime();
    const out = x.collect("out");
    for (let i = 0; i < 5; i++) helper.getNode("n1").receive({ payload: callId });
    await out.count(5);
    const paths = await x.paths(practiceServer);
    assert.equal(paths.filter((p) => p.startsWith("POST /auth/refresh")).length, 1);
    assert.equal(paths.filter((p) => p.startsWith("POST /login")).length, 1);
  });

  it("never shows the password or a token in outputs, statuses or logs", async () => {
    const visible = x.trackVisible();
    try {
      await load();
      const outputs = [await logOnce()];
      await x.control(practiceServer, "POST", "clock", { advanceMs: 400_000 });
      outputs.push(await logOnce());
      const { error } = await x.outcome({ payload: "no-such-call" });
      assert.equal(error.code, "HTTP_404");
      const tokens = await x.tokensOnTheWire(practiceServer);
      assert.ok(tokens.length >= 2);
      const text = [outputs, error, visible.seen, visible.logs()].map(x.safeJson).join("\n");
      for (const secret of [...tokens, `"${practiceServer.xassist.password}"`]) assert.ok(!text.includes(secret), "a secret leaked");
    } finally {
      await helper.unload(); // first: it puts back what it wrapped, which is our tracker
      visible.restore();
    }
  });

  it("names the missing credential when the configuration is incomplete", async () => {
    await load({ credentials: { server: { username: "node-red" } } });
    const { error } = await x.outcome({ payload: callId });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "password");
    assert.match(error.message, /password/);
    assert.deepEqual(await x.recorded(practiceServer), []);
  });

  it("refuses a server URL with a login in it, naming the field, before anything is sent", async () => {
    const flow = x.xassistFlow("xassist-call-log", {}, { url: practiceServer.url.replace("http://", "http://node-red:pa55word@") });
    await helper.load(x.allNodes, flow, x.demoCredentials(practiceServer));
    const { error } = await x.outcome({ payload: callId });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "serverURL");
    assert.match(error.message, /serverURL: remove the user name and password from the URL/);
    assert.ok(!x.safeJson(error).includes("pa55word"));
    assert.deepEqual(await x.recorded(practiceServer), []);
  });

  it("says that an unreadable CA text cannot be read, naming the field", async () => {
    await load({ serverProps: { ca: "paste the CA here" } });
    const { error } = await x.outcome({ payload: callId });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "ca");
    assert.match(error.message, /ca: the CA certificate cannot be read/);
    assert.deepEqual(await x.recorded(practiceServer), []);
  });

  it("warns once at deploy when certificate checks are relaxed", async () => {
    await load({ serverProps: { insecure: true } });
    const warnings = helper
      .log()
      .args.filter(([e]) => e.level === helper.log().WARN && e.type === "xassist-config")
      .map(([e]) => e.msg);
    assert.equal(warnings.filter((w) => /Certificate checks for .* are relaxed/.test(w)).length, 1, JSON.stringify(warnings));
  });

  it("parses Max. response size in MB (blank: the transport's defaults), naming the field when out of range", () => {
    const options = (maxResponse) => xassistOptions({ serverURL: "https://xa.example.com", maxResponse }, { username: "u", password: "p" });
    assert.equal(options("").maxResponseBytes, undefined);
    assert.equal(options("0.5").maxResponseBytes, 512 * 1024);
    assert.throws(
      () => options("2048"),
      (err) => err.code === "NOT_CONFIGURED" && err.details.field === "maxResponse"
    );
  });

  it("parses Retries (blank: 2), naming the field when out of range", () => {
    const options = (retries) => xassistOptions({ serverURL: "https://xa.example.com", retries }, { username: "u", password: "p" });
    assert.deepEqual(
      ["", "0", "5"].map((r) => options(r).retries),
      [2, 0, 5]
    );
    assert.throws(
      () => options("11"),
      (err) => err.code === "NOT_CONFIGURED" && err.details.field === "retries"
    );
  });

  describe("POST /xassist-config/test", function () {
    const post = (body) => helper.request().post("/xassist-config/test").send(body);
    /** The deployed config node "server" (domain ubimax), as the dialog posts it when nothing was changed. */
    const unchanged = () => ({
      id: "server",
      serverURL: practiceServer.url,
      domain: "ubimax",
      username: practiceServer.xassist.username,
      password: "__PWRD__",
    });

    async function expectAnswer(body, expected, secrets = [practiceServer.xassist.password]) {
      const res = await post(body);
      assert.equal(res.status, 200);
      for (const secret of secrets) assert.ok(!res.text.includes(secret), "the answer has no password");
      for (const [key, value] of Object.entries(expected)) {
        if (value instanceof RegExp) assert.match(String(res.body[key]), value);
        else assert.deepEqual(res.body[key], value);
      }
      return res.body;
    }

    /** A second server on 127.0.0.1 that records every request it gets, and answers a login. */
    async function otherServer(type = "application/json", answer = JSON.stringify({ token: "other-token" })) {
      const requests = [];
      const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
          requests.push({ method: req.method, url: req.url, body });
          res.setHeader("content-type", type);
          res.end(answer);
        });
      });
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((resolve) => server.close(resolve)) };
    }

    it("logs in once with a typed password and says so, making no other request", async () => {
      await load();
      const { username, password } = practiceServer.xassist;
      const body = await expectAnswer({ serverURL: practiceServer.url, domain: "ubimax", username, password }, { ok: true });
      assert.deepEqual(Object.keys(body), ["ok"]);
      assert.deepEqual(await x.paths(practiceServer), ["POST /login 200"]);
      assert.deepEqual(JSON.parse((await x.recorded(practiceServer))[0].body), { username, password, domain: "ubimax", agreedToTos: "true" });
    });

    it("logs in through /auth/forceLogin when Force login is ticked", async () => {
      await load();
      const { username, password } = practiceServer.xassist;
      await expectAnswer({ serverURL: practiceServer.url, domain: "ubimax", username, password, forceLogin: true }, { ok: true });
      assert.deepEqual(await x.paths(practiceServer), ["POST /auth/forceLogin 200"]);
    });

    it("reports a wrong password as LOGIN_FAILED in plain words, once on the wire, without echoing it", async () => {
      await load();
      const wrong = "CANARY-typed-5c1a";
      await expectAnswer(
        { serverURL: practiceServer.url, domain: "ubimax", username: practiceServer.xassist.username, password: wrong },
        { ok: false, code: "LOGIN_FAILED", message: /^Login to xAssist failed \(HTTP 401\): check the username, password and domain/ },
        [wrong, practiceServer.xassist.password]
      );
      assert.deepEqual(await x.paths(practiceServer), ["POST /login 401"], "no retry");
    });

    it("uses the saved username and password for the deployed settings", async () => {
      await load();
      await expectAnswer(unchanged(), { ok: true });
      await expectAnswer({ ...unchanged(), username: undefined, password: undefined, refreshPath: "/auth/refresh" }, { ok: true });
      const logins = await x.recorded(practiceServer);
      assert.equal(logins.length, 2);
      for (const login of logins) assert.equal(JSON.parse(login.body).password, practiceServer.xassist.password);
    });

    it("never sends the saved password to another server: a second server gets no login", async () => {
      const other = await otherServer();
      try {
        await load();
        for (const password of ["__PWRD__", undefined, ""]) {
          await expectAnswer(
            { ...unchanged(), serverURL: other.url, password },
            { ok: false, code: "NOT_CONFIGURED", message: /^password: enter the password again to test a different server/ }
          );
        }
        // the same server through a proxy the password was not saved for
        await expectAnswer({ ...unchanged(), proxy: other.url }, { ok: false, code: "NOT_CONFIGURED" });
        assert.deepEqual(other.requests, [], "the second server received nothing");
        assert.deepEqual(await x.recorded(practiceServer), []);
      } finally {
        await other.close();
      }
    });

    for (const [what, change] of [
      ["domain", { domain: "other" }],
      ["user", { username: "someone-else" }],
      ["Force login setting", { forceLogin: true }],
      ["refresh path", { refreshPath: "/auth/renew" }],
      ["certificate check", { insecure: true }],
      ["host-name check", { insecure: true, skipHostCheck: true }],
    ]) {
      it(`needs the password typed again when the ${what} changes`, async () => {
        await load();
        await expectAnswer({ ...unchanged(), ...change }, { ok: false, code: "NOT_CONFIGURED", message: /^password: / });
        assert.deepEqual(await x.recorded(practiceServer), []);
      });
    }

    it("refuses the saved password of a config node that is not deployed", async () => {
      await load();
      await expectAnswer({ ...unchanged(), id: "not-deployed" }, { ok: false, code: "NOT_CONFIGURED", message: /^password: / });
      await expectAnswer({ ...unchanged(), id: undefined }, { ok: false, code: "NOT_CONFIGURED", message: /^username: / });
      assert.deepEqual(await x.recorded(practiceServer), []);
    });

    it("names the field of an invalid URL before anything is sent", async () => {
      await load();
      await expectAnswer({ serverURL: "xassist.example.com", username: "u", password: "p" }, { ok: false, code: "NOT_CONFIGURED", message: /^serverURL: / });
      assert.deepEqual(await x.recorded(practiceServer), []);
    });

    it("reports an unreachable server as NETWORK", async () => {
      await load();
      const port = await closedPort();
      await expectAnswer({ serverURL: `http://127.0.0.1:${port}`, username: "u", password: "p" }, { ok: false, code: "NETWORK" });
    });

    it("reports a login answered with a web page as BAD_RESPONSE, without echoing the password", async () => {
      const other = await otherServer("text/html", "<html><body>Sign in</body></html>");
      try {
        await load();
        await expectAnswer({ serverURL: other.url, username: "u", password: "typed-pw-88" }, { ok: false, code: "BAD_RESPONSE" }, ["typed-pw-88"]);
        assert.deepEqual(
          other.requests.map((r) => `${r.method} ${r.url}`),
          ["POST /login"]
        );
      } finally {
        await other.close();
      }
    });
  });

  describe("POST /xassist-config/test with adminAuth (a real Node-RED)", function () {
    this.timeout(90_000);
    const PASSWORD = "admin-Pw-31";
    let red;
    before(async () => {
      red = await startNodeRed({ settings: { adminAuth: adminAuth(PASSWORD) } });
    });
    after(() => red?.stop());

    async function token(username) {
      const res = await fetch(`${red.url}/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: "node-red-admin", grant_type: "password", scope: username === "admin" ? "*" : "read", username, password: PASSWORD }),
      });
      assert.equal(res.status, 200);
      return (await res.json()).access_token;
    }

    const test = (bearer, body) =>
      fetch(`${red.url}/xassist-config/test`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify(body),
      });

    it("refuses anonymous and read-only users before logging in, and answers an admin", async () => {
      const body = { serverURL: practiceServer.url, domain: "ubimax", username: practiceServer.xassist.username, password: practiceServer.xassist.password };
      assert.equal((await test(undefined, body)).status, 401, "anonymous (read-only) visitor");
      assert.equal((await test(await token("viewer"), body)).status, 401, "read-only user");
      assert.deepEqual(await x.recorded(practiceServer), [], "no login was tried for them");
      const res = await test(await token("admin"), body);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.deepEqual(JSON.parse(text), { ok: true });
      assert.deepEqual(await x.paths(practiceServer), ["POST /login 200"]);
    });
  });

  describe("against a stub server", function () {
    // The practice server has no "always 401" mode: this stub logs everyone in and refuses every token.
    let stub;
    const requests = [];
    before(async () => {
      stub = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
          requests.push(`${req.method} ${req.url.split("?")[0]}`);
          res.setHeader("content-type", "application/json");
          if (req.url === "/login") return res.end(JSON.stringify({ token: "opaque-token-without-claims", refreshToken: "opaque-refresh" }));
          res.statusCode = 401;
          res.end(JSON.stringify({ status: 401, error: "Unauthorized", message: `token refused ${stub.echo}`, path: req.url }));
        });
      });
      await new Promise((resolve) => stub.listen(0, "127.0.0.1", resolve));
    });
    after(() => new Promise((resolve) => stub.close(resolve)));
    beforeEach(() => (requests.length = 0));

    it("gives up after one re-login and one retry when every token is refused, without echoing the password", async () => {
      const canary = "CANARY-pw-41b2";
      stub.echo = canary;
      const url = `http://127.0.0.1:${stub.address().port}`;
      const flow = x.xassistFlow("xassist-call-log", {}, { url });
      await helper.load(x.allNodes, flow, { server: { username: "u", password: canary } });
      const { error } = await x.outcome({ payload: "c1" });
      assert.equal(error.code, "HTTP_401");
      assert.equal(error.cause.status, 401);
      assert.match(error.message, /token refused \*\*\*/);
      assert.ok(!x.safeJson(error).includes(canary));
      assert.deepEqual(requests, ["POST /login", "GET /rtc/getCallLogById", "POST /login", "GET /rtc/getCallLogById"]);
    });
  });
});
