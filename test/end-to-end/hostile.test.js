"use strict";
// Issue 12, item 10: hostile and broken servers against a real Node-RED process (adminAuth on,
// logging at trace level), with canary secrets that contain "/", "+" and "=". Every node's
// output is wired to two nodes, so that Node-RED clones what it sends. Each case names the
// msg.error.code it expects; the secrets are then searched for, in every encoding, in every place
// a user or a log reader can see. No timed assertions: the deadline cases assert the code and that
// the server saw its connection closed.
const assert = require("node:assert/strict");
const { startNodeRed, adminAuth, watchComms } = require("../support/node-red-process");
const H = require("../fixtures/hostile-server");

const { MB } = H;
/** The documented defaults this suite specifies (issue 12): JSON answers 4 MB, CSV exports 64 MB. */
const JSON_LIMIT = 4 * MB;
const SLACK = 16 * MB;
/** How long a case waits for Node-RED to end a message before calling it lost (a guard, not an assertion on time). */
const GUARD_MS = 15_000;
const DEEP = 100_000;
const ADMIN_PASSWORD = "hostile-admin";

const HTML_LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/portal/login" method="post">' +
  '<input name="user"><input type="password" name="pw"></form></body></html>';
/** A portal page with a JSON-looking first line. */
const HTML_JSONISH = '{"status":200}\n<html><body>Please sign in to continue</body></html>';

const secrets = {
  apiToken: H.canary("t"),
  typedToken: H.canary("c"),
  xaPassword: H.canary("p", " pass word"), // a space: form encoding turns it into "+"
  refusedPassword: H.canary("q", " pw"),
  proxyPassword: H.canary("x"),
};

/** Every form a secret could take on its way out. */
function encodings(secret) {
  const s = secret.value;
  const json = JSON.stringify(s).slice(1, -1);
  const u = (upper) =>
    [...s]
      .map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"))
      .join("")
      [upper ? "toUpperCase" : "toString"]();
  return {
    raw: s,
    core: secret.core,
    json,
    jsonSlash: json.replace(/\//g, "\\/"),
    unicode: u(false),
    unicodeUpper: u(true).replace(/\\U/g, "\\u"),
    url: encodeURIComponent(s),
    form: new URLSearchParams({ s }).toString().slice(2),
    base64: Buffer.from(s).toString("base64"),
    base64url: Buffer.from(s).toString("base64url"),
    headerBase64: Buffer.from(`x-cam-apiToken: ${s}`).toString("base64"),
    bearerBase64: Buffer.from(`Bearer ${s}`).toString("base64"),
  };
}

const jsonSlash = (s) => JSON.stringify(s).slice(1, -1).replace(/\//g, "\\/");
const unicodeEscaped = (s) => [...s].map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("");

// ---- the flow ----

const CAM = "cfg-cam";
const XA = "cfg-xa";
const recipients = "user1@example.com";
/** Route name → the node behind it, and the payload the route feeds it. */
const NODES = {
  send: { type: "cam-send-message", server: CAM, recipients, payload: "hello" },
  batch: {
    type: "cam-send-messages",
    server: CAM,
    batchSize: 2,
    payload: [
      { message: "a", users: "u1@example.com" },
      { message: "b", users: "u2@example.com" },
    ],
  },
  quick: { type: "cam-create-quick-call", server: CAM, payload: "go" },
  stats: { type: "cam-call-stats", server: CAM, payload: "room-1" },
  export: { type: "cam-export-users", server: CAM, payload: "go" },
  users: { type: "cam-update-users", server: CAM, payload: "email,name\nu1@example.com,User One\n" },
  room: { type: "cam-update-chat-room", server: CAM, payload: { name: "Room" } },
  rooms: { type: "cam-conference-rooms", server: CAM, payload: "go" },
  status: { type: "cam-room-status", server: CAM, payload: "go" },
  api: { type: "cam-api", server: CAM, apiName: "getConferenceMaster", apiNameType: "str", fields: "", fieldsType: "str", payload: "go" },
  "rooms-1mb": { type: "cam-conference-rooms", server: "cfg-cam-1mb", payload: "go" },
  "px-send": { type: "cam-send-message", server: "cfg-cam-proxy", recipients, payload: "hello" },
  "xa-call": { type: "xassist-create-call", server: XA, title: "t", contacts: "expert1", contactsType: "str", payload: "go" },
  "xa-log": { type: "xassist-call-log", server: XA, payload: "call-1" },
  "xa-watch": { type: "xassist-call-watch", server: XA, interval: 0.5, timeout: 3, outputs: 2, payload: "watch" },
  "xa-refused": { type: "xassist-create-call", server: "cfg-xa-refused", title: "t", contacts: "expert1", contactsType: "str", payload: "go" },
  "px-xa": { type: "xassist-create-call", server: "cfg-xa-proxy", title: "t", contacts: "expert1", contactsType: "str", payload: "go" },
};
const CAM_NODES = ["send", "batch", "quick", "stats", "export", "users", "room", "rooms", "status", "api"];
const XA_NODES = ["xa-call", "xa-log"];

/**
 * The reply answers each HTTP request once (a watch sends several clones of one message, with the
 * same _msgid) with the error or a summary of the payload.
 */
const REPLY = `
const seen = context.get("seen") || {};
if (seen[msg._msgid]) return null;
seen[msg._msgid] = true;
context.set("seen", seen);
const p = msg.payload;
const payload = typeof p === "string" && p.length > 2000 ? { textLength: p.length } : Array.isArray(p) && p.length > 100 ? { items: p.length } : p;
msg.payload = JSON.stringify({ error: msg.error, payload, topic: msg.topic, filename: msg.filename });
msg.headers = { "content-type": "application/json" };
return msg;`;

function flows(hostileURL) {
  const z = "hostile-tab";
  const out = [
    { id: z, type: "tab", label: "hostile" },
    { id: CAM, type: "cam-config", serverURL: hostileURL, timeout: 2, retries: 0 },
    { id: "cfg-cam-1mb", type: "cam-config", serverURL: hostileURL, timeout: 2, retries: 0, maxResponse: 1 },
    { id: "cfg-cam-proxy", type: "cam-config", serverURL: hostileURL, timeout: 2, retries: 0, proxy: hostileURL },
    { id: XA, type: "xassist-config", serverURL: hostileURL, domain: "d", timeout: 2, retries: 0 },
    { id: "cfg-xa-refused", type: "xassist-config", serverURL: `${hostileURL}/refuse`, domain: "d", timeout: 2, retries: 0 },
    { id: "cfg-xa-proxy", type: "xassist-config", serverURL: hostileURL, domain: "d", timeout: 2, retries: 0, proxy: hostileURL },
    { id: "n-debug", z, type: "debug", active: true, tosidebar: true, console: true, tostatus: true, complete: "true", targetType: "full" },
    { id: "n-reply", z, type: "function", func: REPLY, outputs: 1, wires: [["n-response"]] },
    { id: "n-response", z, type: "http response", statusCode: "200" },
    { id: "n-catch", z, type: "catch", scope: Object.keys(NODES).map((name) => `n-${name}`), uncaught: false, wires: [["n-debug", "n-reply"]] },
  ];
  for (const [name, { payload: _input, outputs = 1, ...props }] of Object.entries(NODES)) {
    out.push({ id: `in-${name}`, z, type: "http in", url: `/go/${name}`, method: "post", wires: [[`n-${name}`]] });
    out.push({ id: `n-${name}`, z, ...props, wires: new Array(outputs).fill(["n-debug", "n-reply"]) });
  }
  return out;
}

const credentials = {
  [CAM]: { apiToken: secrets.apiToken.value },
  "cfg-cam-1mb": { apiToken: secrets.apiToken.value },
  "cfg-cam-proxy": { apiToken: secrets.apiToken.value, proxyUsername: "proxyuser", proxyPassword: secrets.proxyPassword.value },
  [XA]: { username: "expert", password: secrets.xaPassword.value },
  "cfg-xa-refused": { username: "expert", password: secrets.refusedPassword.value },
  "cfg-xa-proxy": { username: "expert", password: secrets.xaPassword.value, proxyUsername: "proxyuser", proxyPassword: secrets.proxyPassword.value },
};

// ---- Node-RED with adminAuth ----

async function adminToken(url) {
  const res = await fetch(`${url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: "node-red-admin", grant_type: "password", scope: "*", username: "admin", password: ADMIN_PASSWORD }),
  });
  if (!res.ok) throw new Error(`admin login: ${res.status}`);
  return (await res.json()).access_token;
}

describe("hostile servers (a real Node-RED process, adminAuth, trace log)", function () {
  this.timeout(60_000);
  let hostile;
  let red;
  let admin;
  let comms;
  let flowsText;
  const answers = [];

  before(async function () {
    this.timeout(90_000);
    hostile = await H.startHostileServer();
    red = await startNodeRed({
      flows: flows(hostile.url),
      credentials,
      settings: { adminAuth: adminAuth(ADMIN_PASSWORD), lang: "en-US", logging: { console: { level: "trace", metrics: false, audit: true } } },
    });
    admin = await adminToken(red.url);
    comms = await watchComms(red.url, admin);
  });

  after(async () => {
    comms?.close();
    hostile?.hangUpAll();
    await red?.stop();
    await hostile?.close();
  });

  afterEach(async () => {
    hostile.hangUpAll();
    hostile.behaviour = H.answer(200, "application/json", '{"status":200}');
    hostile.loginBehaviour = undefined;
  });

  let watchCount = 0;
  /** Feeds a node through its http-in route; resolves with {error, payload, topic, filename} once the message ended. */
  async function go(name, payload = NODES[name].payload) {
    if (name === "xa-watch" && payload === "watch") payload = `call-${++watchCount}`;
    const isText = typeof payload === "string";
    const body = isText ? payload : JSON.stringify(payload);
    const { text } = await H.postWithin(`${red.url}/go/${name}`, body, { contentType: isText ? "text/plain" : "application/json", guardMs: GUARD_MS });
    answers.push(text);
    return JSON.parse(text);
  }

  /** POST /cam-config/test as the admin (the config dialog's Test button). */
  async function connectionTest(body) {
    const request = JSON.stringify({ serverURL: hostile.url, apiToken: secrets.typedToken.value, timeout: 2, retries: 0, ...body });
    const { status, text } = await H.postWithin(`${red.url}/cam-config/test`, request, { headers: { authorization: `Bearer ${admin}` }, guardMs: GUARD_MS });
    answers.push(text);
    assert.equal(status, 200, text);
    return JSON.parse(text);
  }

  async function assertAlive() {
    const res = await fetch(`${red.url}/flows`, {
      headers: { authorization: `Bearer ${admin}`, "Node-RED-API-Version": "v2" },
      signal: AbortSignal.timeout(GUARD_MS),
    }).catch((err) => {
      throw new Error(`Node-RED does not answer /flows (${err.message}):\n${red.output().slice(-3000)}`);
    });
    assert.equal(res.status, 200);
  }

  /** Waits for the hostile server to see the exchange's connection closed; false if it stays open past the guard. */
  async function closedByClient(exchange) {
    assert.ok(exchange, "the request reached the hostile server");
    let timer;
    const guard = new Promise((resolve) => (timer = setTimeout(() => resolve(false), GUARD_MS)));
    const closed = await Promise.race([exchange.closed.then(() => true), guard]);
    clearTimeout(timer);
    return closed;
  }

  /** The request a route's node (or the connection test) made, from exchange number `from` on (a watch may still be polling). */
  async function exchangeOf(name, from) {
    await until(() => exchangesOf(name, from).length > 0);
    return exchangesOf(name, from)[0];
  }

  function exchangesOf(name, from) {
    const URLS = { send: "/sendMessage", rooms: "/getConferenceMaster", test: "/getConferenceMaster", "xa-log": "callId=call-1", "xa-call": "/rtc/createCall" };
    return hostile.exchanges.slice(from).filter((e) => e.url.includes(URLS[name]));
  }

  const expectCode = (reply, code) => {
    assert.ok(reply.error, `expected ${code}, got a success: ${JSON.stringify(reply).slice(0, 300)}`);
    assert.equal(reply.error.code, code, `${reply.error.code}: ${reply.error.message}`);
  };
  const expectWebPageHint = (reply) => assert.match(reply.error.message, /web page/i, reply.error.message);

  // (The first test runs before every nested suite: it checks that the flows work at all.)
  it("the flows run: a plain success through every kind of node (controls for the cases below)", async () => {
    assert.equal((await go("send")).error, undefined);
    hostile.behaviour = H.answer(200, "application/json", JSON.stringify({ conferenceRooms: [{ id: "r1" }] }));
    assert.deepEqual((await go("rooms")).payload, [{ id: "r1" }]);
    hostile.behaviour = H.answer(200, "application/json", JSON.stringify({ id: 1, callId: "c-1", callStatus: "Started", callEvents: [] }));
    const log = await go("xa-log");
    assert.equal(log.error, undefined, JSON.stringify(log.error));
    assert.equal(log.payload.callId, "c-1");
    assert.ok(
      hostile.exchanges.some((e) => e.headers["x-cam-apitoken"] === secrets.apiToken.value),
      "the API token travelled"
    );
    assert.ok(
      hostile.exchanges.some((e) => String(e.headers.authorization).startsWith("Bearer CANARY/")),
      "the bearer token travelled"
    );
  });

  describe("success contract: anything but the operation's answer is BAD_RESPONSE", () => {
    for (const name of [...CAM_NODES, ...XA_NODES]) {
      it(`${name}: 200 text/html login page → BAD_RESPONSE with a "web page" hint`, async () => {
        hostile.behaviour = H.answer(200, "text/html; charset=utf-8", HTML_LOGIN_PAGE);
        const reply = await go(name);
        expectCode(reply, "BAD_RESPONSE");
        expectWebPageHint(reply);
      });
    }
    for (const name of ["send", "rooms", "xa-call"]) {
      it(`${name}: 200 text/html page whose body starts JSON-ish → BAD_RESPONSE with a "web page" hint`, async () => {
        hostile.behaviour = H.answer(200, "text/html", HTML_JSONISH);
        const reply = await go(name);
        expectCode(reply, "BAD_RESPONSE");
        expectWebPageHint(reply);
      });
    }

    const BODIES = [
      ["null", "null"],
      ["[] where an object belongs", "[]"],
      ["an empty body", ""],
      ["truncated JSON", '{"status":20'],
      ["a JSON string", '"ok"'],
      ["a number", "200"],
      ["{} (an object without the operation's fields)", "{}"],
      ["JSON nested 1,000 deep", H.deepJson(1000, "array")],
    ];
    for (const [label, body] of BODIES) {
      for (const name of ["send", "batch", "quick", "stats", "room", "rooms", "status", "users", "xa-call", "xa-log"]) {
        it(`${name}: 200 application/json with ${label} → BAD_RESPONSE, Node-RED stays up`, async () => {
          hostile.behaviour = H.answer(200, "application/json", body);
          expectCode(await go(name), "BAD_RESPONSE");
          await assertAlive();
        });
      }
    }

    for (const name of ["send", "xa-log"]) {
      it(`${name}: 200 labelled application/json with a login page as its body → BAD_RESPONSE with a "web page" hint`, async () => {
        hostile.behaviour = H.answer(200, "application/json", HTML_LOGIN_PAGE);
        const reply = await go(name);
        expectCode(reply, "BAD_RESPONSE");
        expectWebPageHint(reply);
      });
    }

    it("control: 100,000 brackets inside a JSON string are text, not nesting: success, Node-RED stays up", async () => {
      hostile.behaviour = H.answer(200, "application/json", JSON.stringify({ status: 200, note: H.deepJson(DEEP, "array") }));
      const reply = await go("send");
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      await assertAlive();
    });

    for (const [label, body, contentType] of [
      ["a login page", HTML_LOGIN_PAGE, "text/html"],
      ["null", "null", "application/json"],
      ["JSON nested 100,000 deep", H.deepJson(DEEP, "object"), "application/json"],
    ]) {
      it(`connection test: 200 with ${label} → BAD_RESPONSE`, async () => {
        hostile.behaviour = H.answer(200, contentType, body);
        const answer = await connectionTest({});
        assert.equal(answer.ok, false);
        assert.equal(answer.code, "BAD_RESPONSE", answer.message);
      });
    }

    it("xa-watch: a login page on every poll never shows as a call event or status (BAD_RESPONSE or the watch times out)", async function () {
      hostile.behaviour = H.answer(200, "text/html", HTML_LOGIN_PAGE);
      const reply = await go("xa-watch");
      if (reply.error) assert.equal(reply.error.code, "BAD_RESPONSE");
      else assert.equal(reply.topic, "timeout", JSON.stringify(reply).slice(0, 300));
    });

    it("xa-watch: null on every poll never shows as a call status", async function () {
      hostile.behaviour = H.answer(200, "application/json", "null");
      const reply = await go("xa-watch");
      if (reply.error) assert.equal(reply.error.code, "BAD_RESPONSE");
      else assert.equal(reply.topic, "timeout", JSON.stringify(reply).slice(0, 300));
    });
  });

  describe("the timeout is a deadline (config timeout 2 s), and the connection is destroyed", () => {
    const cases = [
      ["a body that drips one byte every 200 ms", "send", H.drip],
      ["headers never sent", "rooms", H.silence],
      ["a dripping body (xAssist)", "xa-log", H.drip],
      ["headers never sent (xAssist)", "xa-call", H.silence],
    ];
    for (const [label, name, behaviour] of cases) {
      it(`${name}: ${label} → TIMEOUT, and the server sees its socket closed`, async () => {
        hostile.behaviour = behaviour();
        const before = hostile.exchanges.length;
        const reply = go(name);
        reply.catch(() => {}); // awaited below, after the socket check
        const exchange = await exchangeOf(name, before);
        assert.ok(await closedByClient(exchange), "Node-RED kept the connection open");
        expectCode(await reply, "TIMEOUT");
        assert.equal(exchangesOf(name, before).length, 1, "one attempt: the config node says retries: 0");
      });
    }
    for (const [label, behaviour] of [
      ["a dripping body", H.drip],
      ["headers never sent", H.silence],
    ]) {
      it(`connection test (POST /cam-config/test): ${label} → TIMEOUT, and the server sees its socket closed`, async () => {
        hostile.behaviour = behaviour();
        const before = hostile.exchanges.length;
        const reply = connectionTest({});
        reply.catch(() => {});
        assert.ok(await closedByClient(await exchangeOf("test", before)), "Node-RED kept the connection open");
        const answer = await reply;
        assert.equal(answer.ok, false);
        assert.equal(answer.code, "TIMEOUT", answer.message);
      });
    }
  });

  describe("bounded bodies", () => {
    for (const name of ["rooms", "xa-log"]) {
      it(`${name}: an endless fast JSON body → RESPONSE_TOO_LARGE; the server wrote at most the 4 MB limit + 16 MB before the close`, async () => {
        hostile.behaviour = H.flood();
        const before = hostile.exchanges.length;
        const reply = go(name);
        reply.catch(() => {});
        const exchange = await exchangeOf(name, before);
        assert.ok(await closedByClient(exchange), "Node-RED kept reading");
        assert.ok(exchange.bytes <= JSON_LIMIT + SLACK, `the server wrote ${(exchange.bytes / MB).toFixed(1)} MB before the client closed`);
        expectCode(await reply, "RESPONSE_TOO_LARGE");
      });
    }

    it("connection test: an endless body → RESPONSE_TOO_LARGE", async () => {
      hostile.behaviour = H.flood();
      const before = hostile.exchanges.length;
      const reply = connectionTest({});
      reply.catch(() => {});
      const exchange = await exchangeOf("test", before);
      assert.ok(await closedByClient(exchange), "Node-RED kept reading");
      assert.ok(exchange.bytes <= JSON_LIMIT + SLACK, `the server wrote ${(exchange.bytes / MB).toFixed(1)} MB`);
      assert.equal((await reply).code, "RESPONSE_TOO_LARGE");
    });

    it("a complete 3 MB JSON answer passes the default limit...", async () => {
      hostile.behaviour = H.sized(3 * MB, "json");
      const reply = await go("rooms");
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      assert.ok(reply.payload.items > 2000);
    });

    it("...and is RESPONSE_TOO_LARGE with maxResponse: 1 (MB) in the config node", async () => {
      hostile.behaviour = H.sized(3 * MB, "json");
      expectCode(await go("rooms-1mb"), "RESPONSE_TOO_LARGE");
    });

    it("a 20 MB CSV export still succeeds (CSV default 64 MB)", async () => {
      hostile.behaviour = H.sized(20 * MB, "csv");
      const reply = await go("export");
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      assert.ok(reply.payload.textLength >= 20 * MB, JSON.stringify(reply.payload));
    });
  });

  describe("proxies", () => {
    for (const name of ["px-send", "px-xa"]) {
      it(`${name}: the proxy answers 407 → PROXY (not CLOSED)`, async () => {
        const before = hostile.proxyRequests;
        expectCode(await go(name), "PROXY");
        assert.ok(hostile.proxyRequests > before, "the request went to the proxy");
      });
    }

    it("connection test through a proxy answering 407 → PROXY", async () => {
      const answer = await connectionTest({ proxy: hostile.url, proxyUsername: "proxyuser", proxyPassword: secrets.proxyPassword.value });
      assert.equal(answer.code, "PROXY", answer.message);
    });
  });

  describe("sendMessages counts only what the server confirmed (batch of 2)", () => {
    it("control: {status:200, count:2} → count 2", async () => {
      hostile.behaviour = H.answer(200, "application/json", '{"status":200,"count":2}');
      const reply = await go("batch");
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      assert.equal(reply.payload.count, 2);
    });

    // RULE TO CONFIRM WITH THE LEAD: a success answer without `count` confirms nothing → BAD_RESPONSE for that batch.
    it("[rule] {status:200} without count → BAD_RESPONSE, count 0", async () => {
      hostile.behaviour = H.answer(200, "application/json", '{"status":200}');
      const reply = await go("batch");
      expectCode(reply, "BAD_RESPONSE");
      assert.equal(reply.error.cause?.count ?? 0, 0);
    });

    // RULE TO CONFIRM WITH THE LEAD: a count above the batch size is not believed → BAD_RESPONSE.
    it("[rule] {status:200, count:999} for a batch of 2 → BAD_RESPONSE, count 0", async () => {
      hostile.behaviour = H.answer(200, "application/json", '{"status":200,"count":999}');
      const reply = await go("batch");
      expectCode(reply, "BAD_RESPONSE");
      assert.equal(reply.error.cause?.count ?? 0, 0);
    });
  });

  describe("xAssist login and tokens", () => {
    it("a token refresh hands out new tokens (the access token lives 1 s)", async () => {
      hostile.behaviour = H.answer(200, "application/json", JSON.stringify({ callId: "c-2", callEvents: [] }));
      assert.equal((await go("xa-log")).error, undefined);
      await sleep(1100);
      const issued = hostile.issued.length;
      assert.equal((await go("xa-log")).error, undefined);
      assert.ok(hostile.logins.includes("/auth/refresh"), hostile.logins.join());
      assert.ok(hostile.issued.length > issued, "new tokens after the refresh");
    });

    it("/login answering an HTML page → BAD_RESPONSE (not LOGIN_FAILED, not success)", async () => {
      await sleep(1100); // the session ends: the next call must authenticate again
      hostile.loginBehaviour = H.answer(200, "text/html", HTML_LOGIN_PAGE);
      const reply = await go("xa-call");
      expectCode(reply, "BAD_RESPONSE");
      expectWebPageHint(reply);
      assert.ok(hostile.logins.length > 0);
    });

    it("/login answering a token, then /rtc/createCall answering null → BAD_RESPONSE", async () => {
      hostile.behaviour = H.answer(200, "application/json", "null");
      expectCode(await go("xa-call"), "BAD_RESPONSE");
      assert.equal(hostile.lastExchange().path, "/rtc/createCall");
    });
  });

  describe("secrets echoed by the server", () => {
    const tokenOf = (req) => String(req.headers["x-cam-apitoken"] ?? "");
    const bearerOf = (req) => String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    const api520 = (code, message) => ({ status: 200, body: `{"status":520,"errors":[{"code":${JSON.stringify(code)},"message":"${message}"}]}` });
    const jsonMessage = (s) => JSON.stringify(s).slice(1, -1);
    const CAM_ECHOES = [
      ["a 520 whose error code is the token", "send", (t) => api520(t, "invalid token"), "unknown"],
      ["a 520 whose code is the token, in the connection test", "test", (t) => api520(t, "invalid token"), "unknown"],
      ["the token raw in a 520 message", "send", (t) => api520("805", jsonMessage(`token ${t} is invalid`)), "805"],
      ["the token JSON-escaped with \\/", "rooms", (t) => api520("805", `token ${jsonSlash(t)} is invalid`), "805"],
      ["the token \\u-escaped (JSON decodes it)", "send", (t) => api520("805", `token ${unicodeEscaped(t)} is invalid`), "805"],
      ["the token \\u-escaped as literal text", "send", (t) => api520("805", `token ${unicodeEscaped(t).replace(/\\/g, "\\\\")} is invalid`), "805"],
      ["the token URL-encoded", "quick", (t) => api520("805", `token=${encodeURIComponent(t)}`), "805"],
      ["the token form-encoded", "stats", (t) => api520("805", `${new URLSearchParams({ token: `${t} x` })}`), "805"],
      ["the token in base64", "room", (t) => api520("805", `token ${Buffer.from(t).toString("base64")}`), "805"],
      ["base64 of the header line", "status", (t) => api520("805", `got ${Buffer.from(`x-cam-apiToken: ${t}`).toString("base64")}`), "805"],
      ["every form at once, in the connection test", "test", (t) => api520("805", jsonMessage(allForms(t))), "805"],
      ["an HTTP 500 text body with the token", "send", (t) => ({ status: 500, contentType: "text/plain", body: `bad token ${t}` }), "HTTP_500"],
      ["an HTTP 500 text body with every form of the token", "api", (t) => ({ status: 500, contentType: "text/plain", body: allForms(t) }), "HTTP_500"],
      [
        "an HTTP 500 HTML page with the token",
        "rooms",
        (t) => ({ status: 500, contentType: "text/html", body: `<html><body>token ${t}</body></html>` }),
        "HTTP_500",
      ],
      ["an HTTP 500 in the connection test", "test", (t) => ({ status: 500, contentType: "text/plain", body: allForms(t) }), "HTTP_500"],
      ["a 520 in a sendMessages batch", "batch", (t) => api520("805", jsonMessage(allForms(t))), "805"],
    ];
    for (const [label, name, build, code] of CAM_ECHOES) {
      it(`${name}: ${label} → ${code}, and the reply holds no secret`, async () => {
        const seen = [];
        hostile.behaviour = H.echo((req) => (seen.push(tokenOf(req)), build(tokenOf(req))));
        const reply = name === "test" ? await connectionTest({}) : await go(name);
        assert.ok(seen.length > 0 && seen.every((t) => t.startsWith("CANARY/")), "the server echoed a canary");
        const gotCode = name === "test" ? reply.code : reply.error?.code;
        assert.equal(gotCode, code, JSON.stringify(reply).slice(0, 300));
        assert.deepEqual(leaks(JSON.stringify(reply)), []);
      });
    }

    const CODES = [
      ["a plain unlisted code", "999", "999"],
      ["markup", "<script>alert(1)</script>", "unknown"],
      ["a line break", "805\nX-Injected: 1", "unknown"],
      ["200 characters", "7".repeat(200), "unknown"],
      ["a number instead of a string", 805, "805"],
    ];
    for (const [label, code, expected] of CODES) {
      it(`send: a 520 whose error code is ${label} → ${expected}`, async () => {
        hostile.behaviour = H.answer(200, "application/json", JSON.stringify({ status: 520, errors: [{ code, message: "no" }] }));
        const reply = await go("send");
        expectCode(reply, expected);
      });
    }

    it("a server's long text is cut to a few hundred characters (520 message, HTTP 500 body, xAssist message, connection test)", async () => {
      const long = "blah ".repeat(20_000);
      const check = (message, where) => assert.ok(message.length <= 1000, `${where}: a message of ${message.length} characters`);
      hostile.behaviour = H.answer(200, "application/json", JSON.stringify({ status: 520, errors: [{ code: "805", message: long }] }));
      let reply = await go("send");
      expectCode(reply, "805");
      check(reply.error.message, "520");
      check(String(reply.error.cause?.apiMessage ?? ""), "520 apiMessage");
      hostile.behaviour = H.answer(500, "text/plain", long);
      reply = await go("rooms");
      expectCode(reply, "HTTP_500");
      check(reply.error.message, "HTTP 500");
      check(String(reply.error.cause?.apiMessage ?? ""), "HTTP 500 apiMessage");
      hostile.behaviour = H.echo(() => springError(400, long));
      reply = await go("xa-call");
      expectCode(reply, "HTTP_400");
      check(reply.error.message, "xAssist 400");
      check(String(reply.error.cause?.apiMessage ?? ""), "xAssist apiMessage");
      hostile.behaviour = H.answer(500, "text/plain", long);
      check((await connectionTest({})).message, "connection test");
    });

    it("export: the token as the Content-Disposition file name (and as filename*) never reaches msg.filename", async () => {
      for (const header of [(t) => `attachment; filename="${t}"`, (t) => `attachment; filename*=UTF-8''${encodeURIComponent(t)}`]) {
        hostile.behaviour = H.echo((req) => ({
          status: 200,
          contentType: "text/csv",
          body: "email\nu1@example.com\n",
          headers: { "content-disposition": header(tokenOf(req)) },
        }));
        const reply = await go("export");
        if (reply.error) assert.notEqual(reply.error.code, "INTERNAL");
        assert.deepEqual(leaks(JSON.stringify(reply)), []);
      }
    });

    const XA_ECHOES = [
      ["a 400 whose JSON message holds the bearer token", "xa-call", (req) => springError(400, `bad bearer ${bearerOf(req)}`), "HTTP_400"],
      ["a 400 whose message holds every form of the bearer token", "xa-call", (req) => springError(400, allForms(bearerOf(req))), "HTTP_400"],
      ["a 400 whose message holds the refresh token", "xa-log", () => springError(400, `refresh ${latest(hostile.issued, "r")}`), "HTTP_400"],
      [
        "a 401 on createCall whose message holds the bearer token (after the re-login too)",
        "xa-call",
        (req) => springError(401, `expired ${bearerOf(req)}`),
        "HTTP_401",
      ],
      ["a 500 text body with the bearer token", "xa-log", (req) => ({ status: 500, contentType: "text/plain", body: `bearer ${bearerOf(req)}` }), "HTTP_500"],
    ];
    for (const [label, name, build, code] of XA_ECHOES) {
      it(`${name}: ${label} → ${code}, redacted`, async () => {
        hostile.behaviour = H.echo(build);
        const reply = await go(name);
        expectCode(reply, code);
        assert.deepEqual(leaks(JSON.stringify(reply)), []);
      });
    }

    it("xa-refused: a refused login that echoes the password (raw, URL-encoded, base64) → LOGIN_FAILED, redacted", async () => {
      const reply = await go("xa-refused");
      expectCode(reply, "LOGIN_FAILED");
      assert.deepEqual(leaks(JSON.stringify(reply)), []);
    });

    it("no secret, in any encoding, in the log (trace), the /comms frames, the Catch outputs, the test replies or GET /flows", async () => {
      await sleep(300); // status updates are coalesced over 200 ms
      const res = await fetch(`${red.url}/flows`, { headers: { authorization: `Bearer ${admin}`, "Node-RED-API-Version": "v2" } });
      flowsText = await res.text();
      assert.match(flowsText, /cam-config/);
      assert.ok(
        comms.frames.some((f) => f.includes('"debug"')),
        "debug messages reached the sidebar"
      );
      assert.ok(
        comms.frames.some((f) => f.includes("status/")),
        "status updates reached the editor"
      );
      assert.ok(hostile.issued.length >= 4, "xAssist tokens were handed out (and refreshed)");
      assert.match(red.output(), /\[trace\]/, "the log is at trace level");
      assert.match(red.output(), /code: 'HTTP_500'/, "the debug node printed the caught errors to the log");
      const places = { log: red.output(), comms: comms.frames.join("\n"), replies: answers.join("\n"), flows: flowsText };
      const found = Object.entries(places).flatMap(([place, text]) => leaks(text).map((leak) => `${place}: ${leak}`));
      assert.deepEqual(found, []);
    });
  });

  describe("deeply nested JSON (100,000 levels), output cloned to two wires", () => {
    for (const kind of ["array", "object"]) {
      for (const name of ["send", "rooms", "api", "xa-log", "xa-call"]) {
        it(`${name}: 200 ${kind === "array" ? "[[[[...]]]]" : '{"a":{"a":...}}'} → BAD_RESPONSE, Node-RED stays up`, async () => {
          hostile.behaviour = H.answer(200, "application/json", H.deepJson(DEEP, kind));
          expectCode(await go(name), "BAD_RESPONSE");
          await assertAlive();
        });
      }
    }
  });

  // Mocha runs a suite's own tests before its nested suites: this check needs a suite of its own, last.
  describe("deeply nested JSON for a call watch (every event message is a clone)", () => {
    it("xa-watch: a CallLog nested 100,000 deep on every poll → never sent on; Node-RED stays up", async () => {
      hostile.behaviour = H.answer(200, "application/json", H.deepJson(DEEP, "object"));
      const reply = await go("xa-watch");
      if (reply.error) assert.equal(reply.error.code, "BAD_RESPONSE");
      else assert.equal(reply.topic, "timeout", JSON.stringify(reply).slice(0, 300));
      await assertAlive();
    });
  });

  describe("after everything", () => {
    it("Node-RED is alive, with no uncaught exception, RangeError or FATAL in its output", async () => {
      await assertAlive();
      const log = red.output();
      for (const pattern of [/uncaught exception/i, /RangeError/, /FATAL/, /Maximum call stack/]) {
        const line = log.split("\n").find((l) => pattern.test(l));
        assert.equal(line, undefined, `the log shows ${pattern}: ${line}`);
      }
    });
  });

  // ---- helpers that need the suite's state ----

  /** Every secret (the configured ones and every token the hostile server handed out), in every encoding, found in `text`. */
  function leaks(text) {
    const all = { ...secrets };
    hostile.issued.forEach((t, i) => (all[`issued${i}`] = t));
    const found = [];
    for (const [name, secret] of Object.entries(all)) {
      for (const [encoding, form] of Object.entries(encodings(secret))) {
        if (text.includes(form)) found.push(`${name} (${encoding})`);
      }
    }
    return found;
  }
});

/** A text holding every encoding of a secret. */
function allForms(s) {
  return Object.entries(encodings({ value: s, core: "" }))
    .filter(([name]) => name !== "core")
    .map(([name, form]) => `${name}: ${form}`)
    .join(" | ");
}

/** Spring Boot's error body, as an xAssist server sends it. */
function springError(status, message) {
  return { status, body: JSON.stringify({ timestamp: new Date().toISOString(), status, error: "Error", message, path: "/rtc/createCall" }) };
}

/** The last token of a kind the hostile server handed out ("a" access, "r" refresh). */
function latest(issued, kind) {
  return [...issued].reverse().find((t) => t.value.includes(`+${kind}=`))?.value ?? "";
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls a condition that the test is about to depend on (a request reaching the server). */
async function until(condition) {
  for (let i = 0; i < GUARD_MS / 20 && !condition(); i++) await sleep(20);
  assert.ok(condition(), "the request never reached the hostile server");
}
