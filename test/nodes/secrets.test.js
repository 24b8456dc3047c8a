"use strict";
// Canary secrets: the Chat&Messenger API token, the xAssist password and the xAssist access and
// refresh tokens must never show in logs (every level), node status, outputs, errors, the debug
// sidebar, GET /flows, the credentials endpoint or /cam-config/test answers, in a real Node-RED
// process. And no msg property can send a request (and the token) anywhere but the configured server.
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const http = require("node:http");
const { startNodeRed, watchComms } = require("../support/node-red-process");
const { helper, startPracticeServer, recorded, resetPracticeServer, catchNode } = require("../support");
const { decoy } = require("../support/reliability-support");
const configNode = require("../../nodes/cam-config.js");
const sendMessageNode = require("../../nodes/cam-send-message.js");
const apiNode = require("../../nodes/cam-api.js");

const canary = (what) => `CANARY-${what}-${crypto.randomBytes(6).toString("hex")}`;

/** A server that answers every call with the token it received, in an HTTP 500 and in an error answer. */
async function echoServer() {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    const token = String(req.headers["x-cam-apitoken"] ?? "");
    if (n++ % 2 === 0) res.writeHead(500, { "content-type": "text/plain" }).end(`bad token ${token}`);
    else
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ status: 520, errors: [{ code: "805", message: `token ${token} is invalid` }] }));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))) };
}

describe("secrets (canary tokens)", function () {
  describe("in a real Node-RED process", function () {
    this.timeout(90_000);
    const apiToken = canary("token");
    const typedToken = canary("typed");
    const xaPassword = canary("xapass");
    let practiceServer;
    let echo;
    let red;
    let comms;
    const answers = [];

    before(async () => {
      practiceServer = await startPracticeServer({ token: apiToken });
      echo = await echoServer();
      const route = (id, path, target) => [{ id: `in-${id}`, z: "f1", type: "http in", url: `/go/${path}`, method: "post", wires: [[target]] }];
      // No node id may equal a property value of another node (such as a type): Node-RED would take it for a config reference.
      const flows = [
        { id: "f1", type: "tab", label: "canary" },
        { id: "cam", type: "cam-config", serverURL: practiceServer.url, retries: 1, maxRetryDelay: 0.01 },
        { id: "cam-echo", type: "cam-config", serverURL: echo.url, retries: 0 },
        { id: "xa", type: "xassist-config", serverURL: practiceServer.url, domain: "ubimax" },
        { id: "xa-bad", type: "xassist-config", serverURL: practiceServer.url, domain: "ubimax" },
        ...route("send", "send", "n-send"),
        { id: "n-send", z: "f1", type: "cam-send-message", server: "cam", recipients: "user1@xxx.com", wires: [["n-debug", "n-reply"]] },
        ...route("room", "room", "n-room"),
        { id: "n-room", z: "f1", type: "cam-send-message", server: "cam", sendTo: "room", room: "no such room", wires: [["n-debug", "n-reply"]] },
        ...route("echo", "echo", "n-echo"),
        { id: "n-echo", z: "f1", type: "cam-send-message", server: "cam-echo", recipients: "user1@xxx.com", wires: [["n-debug", "n-reply"]] },
        ...route("api", "api", "n-api"),
        {
          id: "n-api",
          z: "f1",
          type: "cam-api",
          server: "cam",
          apiName: "payload.apiName",
          apiNameType: "msg",
          fields: "payload.fields",
          fieldsType: "msg",
          wires: [["n-debug", "n-reply"]],
        },
        ...route("xa", "xa", "xa-call"),
        {
          id: "xa-call",
          z: "f1",
          type: "xassist-create-call",
          server: "xa",
          title: "canary",
          contacts: "expert1",
          contactsType: "str",
          wires: [["n-debug", "n-reply"]],
        },
        ...route("xa-bad", "xa-bad", "xa-bad-call"),
        {
          id: "xa-bad-call",
          z: "f1",
          type: "xassist-create-call",
          server: "xa-bad",
          title: "canary",
          contacts: "expert1",
          contactsType: "str",
          wires: [["n-debug", "n-reply"]],
        },
        { id: "n-catch", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["n-debug", "n-reply"]] },
        { id: "n-debug", z: "f1", type: "debug", active: true, tosidebar: true, console: true, tostatus: true, complete: "true", targetType: "full" },
        {
          id: "n-reply",
          z: "f1",
          type: "function",
          func: "msg.payload = JSON.stringify({ payload: msg.payload, error: msg.error, rest: Object.keys(msg) }); return msg;",
          outputs: 1,
          wires: [["n-response"]],
        },
        { id: "n-response", z: "f1", type: "http response", statusCode: "200" },
      ];
      const credentials = {
        cam: { apiToken },
        "cam-echo": { apiToken },
        xa: { username: practiceServer.xassist.username, password: practiceServer.xassist.password },
        "xa-bad": { username: practiceServer.xassist.username, password: xaPassword },
      };
      red = await startNodeRed({ flows, credentials, settings: { logging: { console: { level: "trace", metrics: true, audit: true } } } });
      comms = await watchComms(red.url);
    });

    after(async () => {
      comms?.close();
      await red?.stop();
      await echo?.close();
      await practiceServer?.close();
    });

    async function go(path, body) {
      const res = await fetch(`${red.url}/go/${path}`, {
        method: "POST",
        headers: { "content-type": typeof body === "string" ? "text/plain" : "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      }).catch((err) => {
        throw new Error(`/go/${path}: ${err.message}\n${red.output().slice(-3000)}`);
      });
      const text = await res.text();
      answers.push(text);
      return JSON.parse(text);
    }

    it("runs the flows: deliveries, server errors, an echoing server, a refused login", async () => {
      assert.deepEqual((await go("send", "hello")).payload, { status: 200 });
      assert.equal((await go("room", "hello")).error.code, "405");
      const echoed = [(await go("echo", "a")).error, (await go("echo", "b")).error];
      assert.deepEqual(
        echoed.map((e) => e.code),
        ["HTTP_500", "805"]
      );
      assert.equal((await go("api", { apiName: "getConferenceMaster" })).error, undefined);
      assert.equal((await go("api", { apiName: "../getConferenceMaster" })).error.cause.field, "apiName");
      assert.equal((await go("xa", "call")).error, undefined);
      assert.equal((await go("xa-bad", "call")).error.code, "LOGIN_FAILED");
      // The canaries really travelled where they belong.
      const requests = await recorded(practiceServer);
      assert.ok(requests.some((r) => r.headers["x-cam-apitoken"] === apiToken));
      assert.ok(requests.some((r) => r.path === "/login" && r.body.includes(xaPassword)));
    });

    it("no secret in the answers, the log (every level), the debug sidebar or the node status", async () => {
      const requests = await recorded(practiceServer);
      const xaTokens = new Set();
      for (const r of requests) {
        const bearer = /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ""))?.[1];
        if (bearer) xaTokens.add(bearer);
        if (r.path === "/auth/refresh") xaTokens.add(JSON.parse(r.body).refreshToken);
      }
      assert.ok(xaTokens.size > 0, "the xAssist calls used an access token");
      const secrets = [
        apiToken,
        xaPassword,
        practiceServer.xassist.password === "practice-server" ? undefined : practiceServer.xassist.password,
        ...xaTokens,
      ].filter(Boolean);
      await new Promise((r) => setTimeout(r, 300)); // status updates are coalesced over 200 ms
      const places = { answers: answers.join("\n"), log: red.output(), comms: comms.frames.join("\n") };
      assert.match(places.log, /hello/, "the debug node printed complete messages to the log");
      assert.ok(
        comms.frames.some((f) => f.includes('"debug"')),
        "debug messages reached the sidebar"
      );
      assert.ok(
        comms.frames.some((f) => f.includes("status/")),
        "status updates reached the editor"
      );
      for (const [place, text] of Object.entries(places)) {
        for (const secret of secrets) assert.ok(!text.includes(secret), `a secret shows in ${place}`);
      }
    });

    it("no secret in GET /flows or the credentials endpoint", async () => {
      const flows = await (await fetch(`${red.url}/flows`, { headers: { "Node-RED-API-Version": "v2" } })).text();
      assert.match(flows, /cam-config/);
      for (const id of ["cam", "xa-bad"]) {
        const type = id === "cam" ? "cam-config" : "xassist-config";
        const creds = await (await fetch(`${red.url}/credentials/${type}/${id}`)).text();
        assert.ok(!creds.includes(apiToken) && !creds.includes(xaPassword), creds);
      }
      assert.ok(!flows.includes(apiToken) && !flows.includes(xaPassword));
    });

    it("no secret in /cam-config/test answers, and the saved token never goes to another server", async () => {
      const test = async (body) => {
        const res = await fetch(`${red.url}/cam-config/test`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        return res.text();
      };
      const saved = await test({ id: "cam", serverURL: practiceServer.url });
      assert.match(saved, /"ok":true/);
      const elsewhere = await test({ id: "cam", serverURL: echo.url });
      assert.match(elsewhere, /"ok":false/);
      const typed = [await test({ serverURL: echo.url, apiToken: typedToken }), await test({ serverURL: echo.url, apiToken: typedToken })];
      assert.deepEqual(typed.map((t) => JSON.parse(t).code).sort(), ["805", "HTTP_500"]);
      for (const text of [saved, elsewhere, ...typed]) {
        assert.ok(!text.includes(apiToken) && !text.includes(typedToken), text);
      }
    });
  });

  describe("a msg cannot redirect a request", function () {
    let practiceServer;
    let elsewhere;
    before(async () => {
      practiceServer = await startPracticeServer();
      elsewhere = await decoy();
    });
    after(async () => {
      await elsewhere.close();
      await practiceServer.close();
    });
    afterEach(async () => {
      await helper.unload();
      await resetPracticeServer(practiceServer);
    });

    async function load() {
      const flow = [
        { id: "f1", type: "tab" },
        { id: "server", type: "cam-config", serverURL: practiceServer.url, retries: 0 },
        { id: "send", z: "f1", type: "cam-send-message", server: "server", recipients: "user1@xxx.com", wires: [["out"]] },
        { id: "api", z: "f1", type: "cam-api", server: "server", apiName: "apiName", apiNameType: "msg", wires: [["out"]] },
        { id: "out", z: "f1", type: "helper" },
        { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
        { id: "err", z: "f1", type: "helper" },
      ];
      await helper.load([configNode, sendMessageNode, apiNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
    }

    const run = (id, msg) =>
      new Promise((resolve) => {
        helper.getNode("out").once("input", (m) => resolve({ msg: m }));
        helper.getNode("err").once("input", (m) => resolve({ error: m.error }));
        helper.getNode(id).receive(msg);
      });

    it("msg.url, msg.serverURL, msg.headers and friends are ignored: the configured server gets the message", async () => {
      await load();
      const { msg, error } = await run("send", {
        payload: "stay home",
        url: elsewhere.url,
        serverURL: elsewhere.url,
        baseURL: elsewhere.url,
        proxy: elsewhere.url,
        headers: { "x-cam-apiToken": "other", host: "evil.example" },
        requestTimeout: 1,
      });
      assert.equal(error, undefined);
      assert.deepEqual(msg.payload, { status: 200 });
      const [req] = await recorded(practiceServer);
      assert.equal(req.headers["x-cam-apitoken"], practiceServer.tokens.admin);
      assert.deepEqual(elsewhere.seen, []);
    });

    for (const [label, apiName] of [
      ["a URL", () => `${elsewhere.url}/sendMessage`],
      ["a scheme-relative URL", () => `//127.0.0.1:${elsewhere.port}/sendMessage`],
      ["a user-info trick", () => `@127.0.0.1:${elsewhere.port}/sendMessage`],
      ["../", () => "../sendMessage"],
      ["an encoded ../", () => "%2e%2e/sendMessage"],
      ["a path", () => "sendMessage/../../x"],
      ["a query", () => "sendMessage?x=1"],
      ["a fragment", () => "sendMessage#frag"],
      ["a leading space", () => " sendMessage"],
      ["a header injection", () => "send\r\nHost: evil"],
    ]) {
      it(`msg.apiName with ${label} in cam-api fails naming apiName, nothing is sent`, async () => {
        await load();
        const { error } = await run("api", { apiName: apiName(), payload: {} });
        assert.equal(error.code, "INVALID_INPUT");
        assert.equal(error.cause.field, "apiName");
        assert.deepEqual(await recorded(practiceServer), []);
        assert.deepEqual(elsewhere.seen, []);
      });
    }
  });
});
