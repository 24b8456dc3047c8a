"use strict";
// Login, refresh and re-login of xassist-config, seen on the wire through a call-log node.
const assert = require("node:assert/strict");
const http = require("node:http");
const x = require("../support/xassist-support");
const { xassistOptions } = require("../../nodes/xassist/xassist-settings.js");
const { helper } = x;

describe("xassist-config", function () {
  let sandbox;
  let callId;
  before(async () => (sandbox = await x.startSandbox()));
  after(() => sandbox.close());
  beforeEach(async () => (callId = (await x.createCallDirectly(sandbox)).callId));
  afterEach(async () => {
    await helper.unload();
    await x.resetSandbox(sandbox);
  });

  async function load({ serverProps, credentials } = {}) {
    const flow = x.xassistFlow("xassist-call-log", {}, { url: sandbox.url, serverProps });
    await helper.load(x.allNodes, flow, credentials ?? x.demoCredentials(sandbox));
  }

  /** A short token lifetime for the refresh tests, and a wait past it (the client refreshes a little before). */
  const shortLifetime = () => x.control(sandbox, "POST", "settings", { xassistTokenLifetimeSec: 0.5 });
  const pastLifetime = () => x.sleep(550);

  async function logOnce() {
    const { msg, error } = await x.outcome({ payload: callId });
    assert.equal(error, undefined, error && error.message);
    assert.equal(msg.payload.callId, callId);
    return msg;
  }

  it("logs in lazily on the first request with the documented body, then reuses the token", async () => {
    await load();
    assert.deepEqual(await x.recorded(sandbox), [], "nothing is sent at deploy");
    await logOnce();
    await logOnce();
    assert.deepEqual(await x.paths(sandbox), ["POST /login 200", "GET /rtc/getCallLogById 200", "GET /rtc/getCallLogById 200"]);
    const [login, first, second] = await x.recorded(sandbox);
    assert.deepEqual(JSON.parse(login.body), { username: "node-red", password: sandbox.xassist.password, domain: "ubimax", agreedToTos: "true" });
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
    assert.deepEqual(await x.paths(sandbox), ["POST /login 200", "GET /rtc/getCallLogById 200", "POST /auth/refresh 200", "GET /rtc/getCallLogById 200"]);
    const [login, first, refresh, second] = await x.recorded(sandbox);
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
    assert.deepEqual(await x.paths(sandbox), [
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
    await x.control(sandbox, "POST", "clock", { advanceMs: 400_000 });
    await logOnce();
    assert.deepEqual(await x.paths(sandbox), [
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
    await x.loginElsewhere(sandbox, { force: true });
    await logOnce();
    assert.deepEqual(await x.paths(sandbox), [
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
      "POST /auth/forceLogin 200",
      "GET /rtc/getCallLogById 401",
      "POST /login 200",
      "GET /rtc/getCallLogById 200",
    ]);
  });

  it("with force login, logs in through /auth/forceLogin and ends the user's older session", async () => {
    const older = await x.loginElsewhere(sandbox);
    await load({ serverProps: { forceLogin: true } });
    await logOnce();
    const paths = await x.paths(sandbox);
    assert.deepEqual(paths.slice(1), ["POST /auth/forceLogin 200", "GET /rtc/getCallLogById 200"]);
    const res = await fetch(`${sandbox.url}/rtc/getCallLogById?callId=${callId}`, { headers: { authorization: `Bearer ${older}` } });
    assert.equal(res.status, 401, "the older session has ended");
  });

  it("reports a wrong password clearly, with exactly one login on the wire and no secret anywhere", async () => {
    const canary = "CANARY-pw-7d3e91";
    const visible = x.trackVisible();
    try {
      await load({ credentials: x.demoCredentials(sandbox, { password: canary }) });
      const { error, msg } = await x.outcome({ payload: callId });
      assert.equal(error.code, "LOGIN_FAILED");
      assert.equal(error.cause.status, 401);
      assert.match(error.message, /password/);
      assert.match(error.message, /401/);
      assert.deepEqual(await x.paths(sandbox), ["POST /login 401"]);
      // The next messages fail at once with the same error: no login per message with a wrong password.
      for (let i = 0; i < 3; i++) assert.equal((await x.outcome({ payload: callId })).error.code, "LOGIN_FAILED");
      assert.deepEqual(await x.paths(sandbox), ["POST /login 401"]);
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
    await x.control(sandbox, "POST", "clock", { advanceMs: 400_000 });
    for (let i = 0; i < 10; i++) n1.receive({ payload: callId });
    await out.count(20);
    const paths = await x.paths(sandbox);
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
    const paths = await x.paths(sandbox);
    assert.equal(paths.filter((p) => p.startsWith("POST /auth/refresh")).length, 1);
    assert.equal(paths.filter((p) => p.startsWith("POST /login")).length, 1);
  });

  it("never shows the password or a token in outputs, statuses or logs", async () => {
    const visible = x.trackVisible();
    try {
      await load();
      const outputs = [await logOnce()];
      await x.control(sandbox, "POST", "clock", { advanceMs: 400_000 });
      outputs.push(await logOnce());
      const { error } = await x.outcome({ payload: "no-such-call" });
      assert.equal(error.code, "HTTP_404");
      const tokens = await x.tokensOnTheWire(sandbox);
      assert.ok(tokens.length >= 2);
      const text = [outputs, error, visible.seen, visible.logs()].map(x.safeJson).join("\n");
      for (const secret of [...tokens, `"${sandbox.xassist.password}"`]) assert.ok(!text.includes(secret), "a secret leaked");
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
    assert.deepEqual(await x.recorded(sandbox), []);
  });

  it("refuses a server URL with a login in it, naming the field, before anything is sent", async () => {
    const flow = x.xassistFlow("xassist-call-log", {}, { url: sandbox.url.replace("http://", "http://node-red:pa55word@") });
    await helper.load(x.allNodes, flow, x.demoCredentials(sandbox));
    const { error } = await x.outcome({ payload: callId });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "serverURL");
    assert.match(error.message, /serverURL: remove the user name and password from the URL/);
    assert.ok(!x.safeJson(error).includes("pa55word"));
    assert.deepEqual(await x.recorded(sandbox), []);
  });

  it("says that an unreadable CA text cannot be read, naming the field", async () => {
    await load({ serverProps: { ca: "paste the CA here" } });
    const { error } = await x.outcome({ payload: callId });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "ca");
    assert.match(error.message, /ca: the CA certificate cannot be read/);
    assert.deepEqual(await x.recorded(sandbox), []);
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

  describe("against a stub server", function () {
    // The sandbox has no "always 401" mode: this stub logs everyone in and refuses every token.
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
