"use strict";
// Issue 21: the second round of hostile servers, against a real Node-RED process (trace log). Each
// describe is one class of defect: proxies that hang up, secrets in any spelling, secrets that must
// never be forgotten, session tokens read before masking, unusable login tokens, a login that
// hangs, error answers over the size limit. Canaries contain "/", "+", "=" and both letter cases.
const assert = require("node:assert/strict");
const { isUtf8 } = require("node:buffer");
const crypto = require("node:crypto");
const net = require("node:net");
const { startNodeRed, watchComms } = require("../support/node-red-process");
const H = require("../fixtures/hostile-server");

const { MB } = H;
const GUARD_MS = 20_000;
/** A lower-case hex token (as many servers issue them): its upper-case echo looks like a code. */
const HEX_TOKEN = { value: crypto.randomBytes(16).toString("hex") };
const secrets = {
  apiToken: H.canary("t"),
  hexToken: HEX_TOKEN,
  xaPassword: H.canary("p"),
  refusedPassword: H.canary("q"),
  proxyPassword: H.canary("x"),
};

const CAM = "cfg-cam";
const XA = "cfg-xa";
const recipients = "user1@example.com";
const sendTo = (server) => ({ type: "cam-send-message", server, recipients, payload: "hello" });
const createCall = (server) => ({ type: "xassist-create-call", server, title: "t", contacts: "expert1", contactsType: "str", payload: "go" });
/** Route name → the node behind it. */
const NODES = {
  send: sendTo(CAM),
  hex: sendTo("cfg-cam-hex"),
  "send-500": sendTo(CAM),
  "px-send": sendTo("cfg-cam-proxy"),
  "env-send": sendTo("cfg-cam-env"),
  "xa-call": createCall(XA),
  "xa-hung": createCall("cfg-xa-hung"),
  "xa-log": { type: "xassist-call-log", server: XA, payload: "call-1" },
  "xa-pw": { type: "xassist-call-log", server: "cfg-xa-pw", payload: "call-1" },
  "px-xa": createCall("cfg-xa-proxy"),
  // A function node before it makes the CSV (Node-RED's http-in takes 5 MB at most).
  "users-big": { type: "cam-update-users", server: CAM, payload: "20" },
};

/** Makes a users CSV of msg.payload MB with a multi-byte name on every line, as a Buffer. */
const BIG_CSV = `
const line = "u@example.com,Jürgen Weiß 😀\\n";
msg.expectedBytes = Buffer.byteLength(line) * Math.ceil((Number(msg.payload) * 1048576) / Buffer.byteLength(line));
msg.payload = Buffer.from(line.repeat(msg.expectedBytes / Buffer.byteLength(line)));
return msg;`;

const REPLY = `
msg.payload = JSON.stringify({ error: msg.error, payload: msg.payload, expectedBytes: msg.expectedBytes });
msg.headers = { "content-type": "application/json" };
return msg;`;

function flows(hostileURL, proxyURL) {
  const z = "round2";
  const out = [
    { id: z, type: "tab", label: "hostile round 2" },
    { id: CAM, type: "cam-config", serverURL: hostileURL, timeout: 2, retries: 0 },
    { id: "cfg-cam-hex", type: "cam-config", serverURL: hostileURL, timeout: 2, retries: 0 },
    { id: "cfg-cam-proxy", type: "cam-config", serverURL: hostileURL, timeout: 2, retries: 1, maxRetryDelay: 0.05, proxy: proxyURL },
    // No proxy of its own: HTTP_PROXY of the process applies, for a host NO_PROXY does not list.
    { id: "cfg-cam-env", type: "cam-config", serverURL: hostileURL.replace("127.0.0.1", "localhost"), timeout: 2, retries: 1, maxRetryDelay: 0.05 },
    { id: XA, type: "xassist-config", serverURL: hostileURL, domain: "d", timeout: 2, retries: 0 },
    { id: "cfg-xa-pw", type: "xassist-config", serverURL: hostileURL, domain: "d", timeout: 2, retries: 0 },
    { id: "cfg-xa-hung", type: "xassist-config", serverURL: `${hostileURL}/hung`, domain: "d", timeout: 2, retries: 0 },
    { id: "cfg-xa-proxy", type: "xassist-config", serverURL: hostileURL, domain: "d", timeout: 2, retries: 1, maxRetryDelay: 0.05, proxy: proxyURL },
    { id: "n-debug", z, type: "debug", active: true, tosidebar: true, console: true, tostatus: true, complete: "true", targetType: "full" },
    { id: "n-reply", z, type: "function", func: REPLY, outputs: 1, wires: [["n-response"]] },
    { id: "n-response", z, type: "http response", statusCode: "200" },
    { id: "n-catch", z, type: "catch", scope: Object.keys(NODES).map((name) => `n-${name}`), uncaught: false, wires: [["n-debug", "n-reply"]] },
  ];
  out.push({ id: "n-big-csv", z, type: "function", func: BIG_CSV, outputs: 1, wires: [["n-users-big"]] });
  for (const [name, { payload: _input, ...props }] of Object.entries(NODES)) {
    const first = name === "users-big" ? "n-big-csv" : `n-${name}`;
    out.push({ id: `in-${name}`, z, type: "http in", url: `/go/${name}`, method: "post", wires: [[first]] });
    out.push({ id: `n-${name}`, z, ...props, wires: [["n-debug", "n-reply"]] });
  }
  return out;
}

const credentials = {
  [CAM]: { apiToken: secrets.apiToken.value },
  "cfg-cam-hex": { apiToken: HEX_TOKEN.value },
  "cfg-cam-proxy": { apiToken: secrets.apiToken.value, proxyUsername: "proxyuser", proxyPassword: secrets.proxyPassword.value },
  "cfg-cam-env": { apiToken: secrets.apiToken.value },
  [XA]: { username: "expert", password: secrets.xaPassword.value },
  "cfg-xa-pw": { username: "expert", password: secrets.xaPassword.value },
  "cfg-xa-hung": { username: "expert", password: secrets.xaPassword.value },
  "cfg-xa-proxy": { username: "expert", password: secrets.xaPassword.value, proxyUsername: "proxyuser", proxyPassword: secrets.proxyPassword.value },
};

/**
 * A proxy that accepts connections and hangs up before it answers CONNECT, as a dead port-forward
 * or a load balancer without a backend does: at once (FIN), with a reset, after reading the
 * request, or only after a while. It counts the connections it accepted.
 */
async function hangingUpProxy() {
  const state = { mode: "fin", connections: 0 };
  const sockets = new Set();
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    if (state.mode === "fin") socket.end();
    else if (state.mode === "reset") socket.resetAndDestroy();
    else if (state.mode === "after-request") socket.once("data", () => socket.end());
    // "silent": reads the CONNECT, answers nothing; hangUp() closes it later.
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    state,
    hangUp: () => sockets.forEach((socket) => socket.end()),
    close: () => (sockets.forEach((socket) => socket.destroy()), new Promise((resolve) => server.close(resolve))),
  };
}

describe("hostile servers, round 2 (issue 21; a real Node-RED process, trace log)", function () {
  this.timeout(90_000);
  let hostile;
  let proxy;
  let red;
  let comms;
  const answers = [];

  before(async function () {
    hostile = await H.startHostileServer();
    proxy = await hangingUpProxy();
    red = await startNodeRed({
      flows: flows(hostile.url, proxy.url),
      credentials,
      env: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" },
      settings: { lang: "en-US", logging: { console: { level: "trace", metrics: false, audit: false } } },
    });
    comms = await watchComms(red.url);
  });

  after(async () => {
    comms?.close();
    hostile?.hangUpAll();
    await red?.stop();
    await hostile?.close();
    await proxy?.close();
  });

  afterEach(() => {
    hostile.hangUpAll();
    hostile.behaviour = H.answer(200, "application/json", '{"status":200}');
    hostile.loginBehaviour = undefined;
  });

  /** Feeds a node through its http-in route; resolves with {error, payload} once the message ended. */
  async function go(name, payload = NODES[name].payload) {
    const { text } = await H.postWithin(`${red.url}/go/${name}`, payload, { contentType: "text/plain", guardMs: GUARD_MS });
    answers.push(text);
    return JSON.parse(text);
  }

  async function connectionTest(body) {
    const { text } = await H.postWithin(`${red.url}/cam-config/test`, JSON.stringify({ serverURL: hostile.url, timeout: 2, retries: 0, ...body }), {
      guardMs: GUARD_MS,
    });
    answers.push(text);
    return JSON.parse(text);
  }

  const expectCode = (reply, code) => {
    assert.ok(reply.error, `expected ${code}, got a success: ${JSON.stringify(reply).slice(0, 300)}`);
    assert.equal(reply.error.code, code, `${reply.error.code}: ${reply.error.message}`);
  };

  describe("a proxy that hangs up before answering CONNECT", () => {
    const cases = [
      ["px-send", "the server node's proxy, closing at accept (FIN)", "fin", 2],
      ["px-send", "the server node's proxy, resetting at accept", "reset", 2],
      ["px-send", "the server node's proxy, closing after reading CONNECT", "after-request", 2],
      ["env-send", "HTTP_PROXY, closing at accept", "fin", 2],
      ["env-send", "HTTP_PROXY, closing after reading CONNECT", "after-request", 2],
      // The login (one attempt and one retry); the call is never sent.
      ["px-xa", "the xAssist server node's proxy, closing at accept", "fin", 2],
      ["px-xa", "the xAssist server node's proxy, closing after reading CONNECT", "after-request", 2],
    ];
    for (const [name, label, mode, most] of cases) {
      it(`${name}: ${label} → NETWORK naming the proxy; at most ${most} connections (retries: 1), none after the message ended`, async () => {
        proxy.state.mode = mode;
        const before = proxy.state.connections;
        const reply = await go(name);
        expectCode(reply, "NETWORK");
        assert.match(reply.error.message, /proxy/i, reply.error.message);
        const during = proxy.state.connections - before;
        assert.ok(during >= 1 && during <= most, `${during} connections for one message`);
        await sleep(1000);
        assert.equal(proxy.state.connections - before, during, "connections went on after the message had failed");
      });
    }

    it("px-send: a proxy silent until after the message's deadline, then hanging up → TIMEOUT, and no connection after it", async () => {
      proxy.state.mode = "silent";
      const before = proxy.state.connections;
      const reply = await go("px-send");
      assert.ok(["TIMEOUT", "NETWORK"].includes(reply.error?.code), JSON.stringify(reply.error));
      const during = proxy.state.connections - before;
      assert.ok(during >= 1 && during <= 2, `${during} connections for one message`);
      proxy.hangUp();
      await sleep(1000);
      assert.equal(proxy.state.connections - before, during, "the closed tunnel was opened again for a request given up");
    });
  });

  describe("secrets in any spelling", () => {
    const tokenOf = (req) => String(req.headers["x-cam-apitoken"] ?? "");
    const api520 = (code, message) => ({ status: 200, body: JSON.stringify({ status: 520, errors: [{ code, message }] }) });
    const entities = (s) => s.replace(/[^A-Za-z0-9]/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
    const namedEntities = (s) => s.replace(/\//g, "&sol;").replace(/\+/g, "&plus;").replace(/=/g, "&equals;");
    const hexOf = (s) => Buffer.from(s).toString("hex");
    const SPELLINGS = [
      ["upper-cased", (t) => t.toUpperCase()],
      ["lower-cased", (t) => t.toLowerCase()],
      ["as HTML hex entities (&#x2F; &#x2B; &#x3D;)", entities],
      ["as HTML decimal entities", (t) => t.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.charCodeAt(0)};`)],
      ["as named HTML entities", namedEntities],
      ["double URL-encoded (%252F)", (t) => encodeURIComponent(encodeURIComponent(t))],
      ["as hex of its bytes", hexOf],
      ["as upper-case hex of its bytes", (t) => hexOf(t).toUpperCase()],
      ["with \\u escapes in upper case, as literal text", (t) => [...t].map((c) => "\\U" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("")],
      ["entities inside URL-encoding", (t) => encodeURIComponent(entities(t))],
      ["cut in two, half in each sentence", (t) => half(t).join(" and the rest is ")],
    ];
    for (const [label, spell] of SPELLINGS) {
      it(`send: a 520 message with the token ${label} → 805, nothing of the token anywhere in the reply`, async () => {
        hostile.behaviour = H.echo((req) => api520("805", `token ${spell(tokenOf(req))} is invalid`));
        const reply = await go("send");
        expectCode(reply, "805");
        assert.deepEqual(leaks(JSON.stringify(reply)), []);
      });
    }

    it("send: the token split over two fields of a 520 (its letters and digits as the code, the rest in the message) → code unknown, nothing of the token", async () => {
      hostile.behaviour = H.echo((req) => {
        const [, core, rest] = /^CANARY\/([0-9a-f]+)(.*)$/.exec(tokenOf(req));
        return api520(core, `expected CANARY/ then ${rest}`);
      });
      const reply = await go("send");
      expectCode(reply, "unknown");
      assert.deepEqual(leaks(JSON.stringify(reply)), []);
    });

    it("hex: a lower-case hex token echoed upper-case as the 520 code → code unknown (not a code), and the status shows no part of it", async () => {
      hostile.behaviour = H.echo((req) => api520(tokenOf(req).toUpperCase(), "invalid token"));
      const reply = await go("hex");
      expectCode(reply, "unknown");
      assert.deepEqual(leaks(JSON.stringify(reply)), []);
      await sleep(300); // status updates are coalesced over 200 ms
      const statuses = comms.frames.filter((f) => f.includes("status/n-hex"));
      assert.ok(statuses.length > 0, "the node showed a status");
      assert.deepEqual(leaks(statuses.join("\n")), []);
    });

    for (const [label, spell] of SPELLINGS.slice(0, 6)) {
      it(`xa-call: a 400 whose message holds the bearer token ${label} → HTTP_400, redacted`, async () => {
        hostile.behaviour = H.echo((req) => springError(400, `bad bearer ${spell(String(req.headers.authorization).replace(/^Bearer /, ""))}`));
        const reply = await go("xa-call");
        expectCode(reply, "HTTP_400");
        assert.deepEqual(leaks(JSON.stringify(reply)), []);
      });
    }

    it("connection test: an HTTP 500 with the typed token in every spelling above → HTTP_500, redacted", async () => {
      const typed = H.canary("c");
      secrets.typedToken = typed;
      hostile.behaviour = H.echo((req) => ({ status: 500, contentType: "text/plain", body: SPELLINGS.map(([, spell]) => spell(tokenOf(req))).join(" | ") }));
      const answer = await connectionTest({ apiToken: typed.value });
      assert.equal(answer.code, "HTTP_500", JSON.stringify(answer));
      assert.deepEqual(leaks(JSON.stringify(answer)), []);
    });

    it("xAssist connection test: a refused login echoing the typed password in every spelling above → LOGIN_FAILED, redacted", async () => {
      const typed = H.canary("w");
      secrets.typedPassword = typed;
      hostile.loginBehaviour = (_req, res, { body }) => {
        const password = String(JSON.parse(body || "{}").password ?? "");
        const message = SPELLINGS.map(([, spell]) => spell(password)).join(" | ");
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ status: 401, error: "Unauthorized", message }));
      };
      const body = { serverURL: hostile.url, domain: "d", username: "expert", password: typed.value, timeout: 2, retries: 0 };
      const { text } = await H.postWithin(`${red.url}/xassist-config/test`, JSON.stringify(body), { guardMs: GUARD_MS });
      answers.push(text);
      assert.equal(JSON.parse(text).code, "LOGIN_FAILED", text);
      assert.deepEqual(leaks(text), []);
    });

    it("send: the token in a success answer (raw, upper-cased, entities) never reaches msg.payload", async () => {
      hostile.behaviour = H.echo((req) => {
        const t = tokenOf(req);
        return { status: 200, body: JSON.stringify({ status: 200, note: [t, t.toUpperCase(), entities(t), hexOf(t)].join(" ") }) };
      });
      const reply = await go("send");
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      assert.deepEqual(leaks(JSON.stringify(reply)), []);
    });
  });

  describe("xAssist session tokens", () => {
    /** Tokens that are due for a refresh at once (lifetime 0), so that every call refreshes. */
    const shortLived = (sameAccess, sameRefresh) => {
      let last;
      return (_req, res, { path }) => {
        const fresh = hostile.newTokens(0);
        const token = sameAccess && last && path === "/auth/refresh" ? last.token : fresh.token;
        const refresh = sameRefresh && last ? last.refresh : fresh.refresh;
        last = { token, refresh };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: token.value, refreshToken: refresh.value }));
      };
    };
    const callLog = H.answer(200, "application/json", JSON.stringify({ callId: "call-1", callEvents: [] }));

    it("the password stays masked after 25 token refreshes: a later refused login that echoes it shows it nowhere", async () => {
      hostile.loginBehaviour = shortLived(false, false);
      hostile.behaviour = callLog;
      const logins = hostile.logins.length;
      for (let i = 0; i < 25; i++) assert.equal((await go("xa-pw")).error, undefined);
      assert.ok(hostile.logins.slice(logins).filter((p) => p === "/auth/refresh").length >= 20, "the client refreshed its tokens");
      hostile.loginBehaviour = (req, res, { body }) => {
        // Cut in two: only the 8-character rule finds it, so the refusal kept for the next minute must be masked by it too.
        const [first, second] = half(String(JSON.parse(body || "{}").password ?? ""));
        const message = `wrong password: it starts ${first} and ends ${second}`;
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ status: 401, error: "Unauthorized", message }));
      };
      hostile.behaviour = H.answer(401, "application/json", '{"status":401,"message":"expired"}');
      const reply = await go("xa-pw");
      expectCode(reply, "LOGIN_FAILED");
      assert.deepEqual(leaks(JSON.stringify(reply)), []);
      // The next messages get the same refusal for a minute without a new login: masked as well.
      const again = await go("xa-pw");
      expectCode(again, "LOGIN_FAILED");
      assert.deepEqual(leaks(JSON.stringify(again)), []);
    });

    it("a refresh that returns the same refresh token: the next refresh sends the token itself, not a mask", async () => {
      await sleep(1100); // the session of the tests above ends
      hostile.loginBehaviour = shortLived(false, true);
      hostile.behaviour = callLog;
      const from = hostile.loginRequests.length;
      for (let i = 0; i < 4; i++) assert.equal((await go("xa-log")).error, undefined);
      const refreshes = hostile.loginRequests.slice(from).filter((r) => r.path === "/auth/refresh");
      assert.ok(refreshes.length >= 2, `${refreshes.length} refreshes`);
      for (const { body } of refreshes) assert.match(JSON.parse(body).refreshToken, /^CANARY\//, body);
    });

    it("a refresh that returns the same access token: calls carry it, not 'Bearer ***', and need no new login each", async () => {
      hostile.loginBehaviour = shortLived(true, false);
      hostile.behaviour = callLog;
      const from = hostile.exchanges.length;
      const loginsFrom = hostile.logins.length;
      for (let i = 0; i < 4; i++) assert.equal((await go("xa-log")).error, undefined);
      const bearers = hostile.exchanges.slice(from).map((e) => String(e.headers.authorization));
      assert.ok(bearers.length >= 4);
      for (const bearer of bearers) assert.match(bearer, /^Bearer CANARY\//);
      assert.equal(hostile.logins.slice(loginsFrom).filter((p) => p !== "/auth/refresh").length, 0, "no fresh logins");
    });

    for (const [label, token] of [
      ["a line break", "CANARY/abc\r\nX-Injected: 1"],
      ["20,000 characters", `CANARY/${"a".repeat(20_000)}`],
    ]) {
      it(`a login token with ${label} → BAD_RESPONSE at login, and no call is sent with it`, async () => {
        await sleep(100);
        hostile.loginBehaviour = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
        hostile.behaviour = H.answer(200, "application/json", JSON.stringify({ callId: "c-1" }));
        const from = hostile.exchanges.length;
        const reply = await go("xa-call");
        expectCode(reply, "BAD_RESPONSE");
        assert.match(reply.error.message, /token/i);
        assert.equal(hostile.exchanges.length, from, "a call went out with the unusable token");
      });
    }

    it("50 messages waiting for a login that never answers: one login attempt, all 50 end with its error", async () => {
      const from = hostile.hung.length;
      const replies = await Promise.all(Array.from({ length: 50 }, () => go("xa-hung")));
      const codes = new Set(replies.map((r) => r.error?.code));
      assert.deepEqual([...codes], ["TIMEOUT"]);
      const attempts = hostile.hung.slice(from).map((r) => r.path);
      assert.deepEqual(attempts, ["/hung/login"]);
    });
  });

  describe("error answers over the size limit", () => {
    it("send: an HTTP 500 with a 10 MB body → HTTP_500 (not RESPONSE_TOO_LARGE), its text cut short", async () => {
      hostile.behaviour = H.answer(500, "text/plain", "x".repeat(10 * MB));
      const reply = await go("send-500");
      expectCode(reply, "HTTP_500");
      assert.ok(String(reply.error.cause?.apiMessage ?? "").length <= 1000);
    });

    it("xa-call: an HTTP 503 with an endless body → HTTP_503", async () => {
      hostile.behaviour = (_req, res) => {
        res.writeHead(503, { "content-type": "text/plain" });
        const chunk = Buffer.alloc(64 * 1024, 0x78);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
      };
      expectCode(await go("xa-call"), "HTTP_503");
    });

    it("msg.error carries no stack with the install path", async () => {
      hostile.behaviour = H.answer(500, "text/plain", "down");
      const reply = await go("send-500");
      expectCode(reply, "HTTP_500");
      assert.equal(reply.error.stack, undefined);
      assert.doesNotMatch(JSON.stringify(reply), /node_modules|\/nodes\/core\//);
    });
  });

  describe("large uploads", () => {
    it("users-big: a 20 MB users CSV (Buffer, multi-byte text) arrives whole, as one well-formed multipart file part", async () => {
      hostile.behaviour = (req, res, { bytes, exchange }) => {
        const boundary = /boundary=(.+)$/.exec(req.headers["content-type"])?.[1];
        const start = bytes.indexOf("\r\n\r\n") + 4;
        const end = bytes.lastIndexOf(`\r\n--${boundary}--\r\n`);
        exchange.file = {
          length: Number(req.headers["content-length"]),
          received: bytes.length,
          fileBytes: end - start,
          utf8: isUtf8(bytes.subarray(start, end)),
        };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: 200, updated: end - start, created: 0 }));
      };
      const reply = await go("users-big");
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      const { file } = hostile.lastExchange();
      assert.equal(file.received, file.length, "the announced length");
      assert.equal(file.fileBytes, reply.expectedBytes);
      assert.ok(file.utf8, "the file part is the CSV's own UTF-8");
      assert.equal(reply.payload.updated, reply.expectedBytes);
    });
  });

  describe("after everything", () => {
    it("no part of any secret, in any spelling, in the log, the editor's frames or the replies; Node-RED has no uncaught error", async () => {
      await sleep(300);
      const places = { log: red.output(), comms: comms.frames.join("\n"), replies: answers.join("\n") };
      const found = Object.entries(places).flatMap(([place, text]) => leaks(text).map((leak) => `${place}: ${leak}`));
      assert.deepEqual(found, []);
      assert.doesNotMatch(red.output(), /uncaught exception|RangeError|FATAL/i);
    });
  });

  /**
   * Every secret (configured, and every token the server handed out) found in `text`: any run of 8
   * of its characters, in the text read as is, case-folded, with entities, percent-, JSON- and
   * \u-escapes decoded repeatedly, and with hex and base64 runs decoded.
   */
  function leaks(text) {
    const all = { ...secrets };
    hostile.issued.forEach((t, i) => (all[`issued${i}`] = t));
    const views = readings(text);
    const found = [];
    for (const [name, { value }] of Object.entries(all)) {
      // The part of the secret no other has: canaries share "CANARY/", access tokens their JWT claims.
      const secret = value
        .replace(/^CANARY\//, "")
        .split(".")[0]
        .toLowerCase();
      for (let i = 0; i + 8 <= secret.length; i++) {
        const run = secret.slice(i, i + 8);
        if (views.some((view) => view.includes(run))) {
          found.push(`${name}: "${run}"`);
          break;
        }
      }
    }
    return found;
  }
});

function readings(text) {
  let decoded = text;
  for (let i = 0; i < 5; i++) {
    decoded = decoded
      .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#([0-9]+);?/g, (_, d) => String.fromCodePoint(Number(d)))
      .replace(/&sol;/gi, "/")
      .replace(/&plus;/gi, "+")
      .replace(/&equals;/gi, "=")
      .replace(/\\+u([0-9a-f]{4})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)))
      .replace(/%([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
  const hex = (decoded.match(/[0-9a-f]{16,}/gi) ?? []).map((run) => Buffer.from(run.length % 2 ? run.slice(1) : run, "hex").toString("latin1")).join(" ");
  const base64 = (decoded.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []).map((run) => Buffer.from(run, "base64").toString("latin1")).join(" ");
  return [text, decoded, hex, base64].map((view) => view.toLowerCase());
}

/** A text cut in two halves. */
const half = (s) => [s.slice(0, Math.ceil(s.length / 2)), s.slice(Math.ceil(s.length / 2))];

function springError(status, message) {
  return { status, body: JSON.stringify({ timestamp: new Date().toISOString(), status, error: "Error", message, path: "/rtc/createCall" }) };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
