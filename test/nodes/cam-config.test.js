"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");
const { camTestBed, helper, canary, closedPort, safeJson } = require("../support/cam-support");
const { startNodeRed, deploy } = require("../support/node-red-process");
const { clientOptions } = require("../../nodes/cam/cam-config-settings.js");

/** A TCP pass-through in front of the practice server that counts the client connections open through it. */
function countingProxy(target) {
  const sockets = new Set();
  let opened = 0;
  const server = net.createServer((client) => {
    opened++;
    sockets.add(client);
    const upstream = net.connect(target.port, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    const end = () => {
      sockets.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    client.on("error", end);
    upstream.on("close", end);
    upstream.on("error", end);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        get open() {
          return sockets.size;
        },
        get opened() {
          return opened;
        },
        /** Resolves when no connection is open, or rejects after `ms` (the sockets were left open). */
        async closed(ms = 5_000) {
          const deadline = Date.now() + ms;
          while (sockets.size > 0) {
            if (Date.now() > deadline) throw new Error(`${sockets.size} connection(s) still open`);
            await new Promise((r) => setTimeout(r, 20));
          }
        },
        close: () =>
          new Promise((r) => {
            server.close(r);
            for (const socket of sockets) socket.destroy();
          }),
      })
    );
  });
}

describe("cam-config", function () {
  const bed = camTestBed("cam-conference-rooms", { label: "cam-config" });

  /** The config node and two operation nodes that share it. */
  function sharedFlow(serverURL) {
    return [
      { id: "f1", type: "tab" },
      { id: "server", type: "cam-config", serverURL, retries: 0 },
      { id: "n1", z: "f1", type: "cam-conference-rooms", server: "server", wires: [["out"]] },
      { id: "n2", z: "f1", type: "cam-room-status", server: "server", wires: [["out"]] },
      { id: "out", z: "f1", type: "helper" },
      { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
      { id: "err", z: "f1", type: "helper" },
    ];
  }

  describe("the API token", function () {
    it("is registered as a password credential", async () => {
      await bed.load();
      assert.deepEqual(helper._redNodes.getCredentialDefinition("cam-config"), {
        apiToken: { type: "password" },
        proxyUsername: { type: "text" },
        proxyPassword: { type: "password" },
      });
      const flows = helper._redNodes.getFlows().flows;
      assert.ok(!safeJson(flows).includes(bed.practiceServer.tokens.admin), "the token is not a property of the flow");
    });

    it("stays out of the deployed flow, the editor's credential answer and the credentials file of a real Node-RED", async function () {
      this.timeout(60_000);
      const token = bed.practiceServer.tokens.admin;
      const nr = await startNodeRed();
      try {
        await deploy(nr.url, [
          { id: "tab1", type: "tab", label: "t" },
          { id: "cfg", type: "cam-config", name: "Practice", serverURL: bed.practiceServer.url, credentials: { apiToken: token } },
          { id: "rooms", z: "tab1", type: "cam-conference-rooms", server: "cfg", x: 100, y: 100, wires: [] },
        ]);
        const flows = await (await fetch(`${nr.url}/flows`, { headers: { "Node-RED-API-Version": "v2" } })).text();
        assert.match(flows, /"type":"cam-config"/);
        assert.ok(!flows.includes(token), "GET /flows has no token");
        const creds = await (await fetch(`${nr.url}/credentials/cam-config/cfg`)).json();
        assert.deepEqual(creds, { has_apiToken: true, has_proxyPassword: false, proxyUsername: "" }, "the editor learns only that a token is set");
        const file = fs.readFileSync(path.join(nr.userDir, "flows_cred.json"), "utf8");
        assert.ok(!file.includes(token), "the credentials file is encrypted");
        assert.ok(!nr.output().includes(token), "the log has no token");
      } finally {
        await nr.stop();
      }
    });
  });

  describe("plain http", function () {
    const configWarnings = () => helper.log().args.filter(([e]) => e.level === helper.log().WARN && e.type === "cam-config");

    it("warns once for a non-loopback host, naming the host", async () => {
      const flow = sharedFlow("http://chat.example.com:8080");
      await bed.load({}, { flow });
      const warnings = bed.visible.warnings();
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0], /unencrypted to chat\.example\.com:8080/);
      assert.equal(configWarnings().length, 1, "one line in the log");
    });

    for (const url of ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "https://chat.example.com"]) {
      it(`does not warn for ${url}`, async () => {
        await bed.load({}, { flow: sharedFlow(url) });
        assert.deepEqual(bed.visible.warnings(), []);
        assert.deepEqual(configWarnings(), []);
      });
    }
  });

  describe("connections", function () {
    let proxy;
    beforeEach(async () => (proxy = await countingProxy(bed.practiceServer)));
    afterEach(() => proxy.close());

    it("keeps connections alive between messages and closes them when the node closes", async () => {
      await bed.load({}, { flow: sharedFlow(proxy.url), url: proxy.url });
      await Promise.all([1, 2, 3, 4].map(() => bed.ok({})));
      await bed.ok({});
      assert.ok(proxy.open > 0, "keep-alive connections are open while the flow runs");
      const used = proxy.opened;
      await bed.ok({});
      assert.equal(proxy.opened, used, "the next message reuses an open connection");
      await helper.unload();
      await proxy.closed();
      assert.equal(proxy.open, 0);
    });

    it("opens no more connections than the configured number of parallel requests", async () => {
      const flow = sharedFlow(proxy.url);
      flow[1].concurrency = 2;
      await bed.load({}, { flow });
      await Promise.all(Array.from({ length: 10 }, () => bed.ok({})));
      assert.ok(proxy.opened <= 2, `${proxy.opened} connections`);
      assert.equal((await bed.recorded()).length, 10);
    });
  });

  describe("POST /cam-config/test", function () {
    const post = (body) => helper.request().post("/cam-config/test").send(body);

    async function expectAnswer(body, expected) {
      const res = await post(body);
      assert.equal(res.status, 200);
      for (const secret of bed.secrets) assert.ok(!res.text.includes(secret), "the answer has no token");
      for (const [key, value] of Object.entries(expected)) {
        if (value instanceof RegExp) assert.match(String(res.body[key]), value);
        else assert.deepEqual(res.body[key], value);
      }
      return res.body;
    }

    it("reports ok and the number of meeting rooms for a typed token", async () => {
      await bed.load();
      await expectAnswer({ serverURL: bed.practiceServer.url, apiToken: bed.practiceServer.tokens.admin }, { ok: true, rooms: 4 });
      const [req] = await bed.recorded();
      assert.equal(req.path, "/getConferenceMaster");
      assert.equal(req.headers["x-cam-apitoken"], bed.practiceServer.tokens.admin);
    });

    it("reports 805 with the documented meaning for a wrong token, without echoing it", async () => {
      await bed.load();
      const wrong = canary("typed");
      bed.secrets.push(wrong);
      await expectAnswer({ serverURL: bed.practiceServer.url, apiToken: wrong }, { ok: false, code: "805", message: /API token is not valid/ });
    });

    it("uses the saved token for the saved server URL", async () => {
      await bed.load();
      await expectAnswer({ id: "server", serverURL: bed.practiceServer.url, apiToken: "__PWRD__" }, { ok: true });
      assert.equal((await bed.recorded())[0].headers["x-cam-apitoken"], bed.practiceServer.tokens.admin);
    });

    it("refuses to send the saved token to a different server URL", async () => {
      const other = await countingProxy(bed.practiceServer);
      try {
        await bed.load();
        await expectAnswer({ id: "server", serverURL: other.url }, { ok: false, code: "NOT_CONFIGURED", message: /^apiToken: / });
        await expectAnswer({ id: "server", serverURL: other.url, apiToken: "__PWRD__" }, { ok: false, code: "NOT_CONFIGURED" });
        assert.equal(other.opened, 0, "nothing was sent to the other server");
        assert.deepEqual(await bed.recorded(), []);
      } finally {
        await other.close();
      }
    });

    it("refuses a saved token of a config node that is not deployed", async () => {
      await bed.load();
      await expectAnswer({ id: "not-deployed", serverURL: bed.practiceServer.url }, { ok: false, code: "NOT_CONFIGURED" });
      assert.deepEqual(await bed.recorded(), []);
    });

    it("names the field of an invalid URL or a missing token", async () => {
      await bed.load();
      await expectAnswer({ serverURL: "chat.example.com", apiToken: "x" }, { ok: false, code: "NOT_CONFIGURED", message: /^serverURL: / });
      await expectAnswer({ serverURL: bed.practiceServer.url }, { ok: false, code: "NOT_CONFIGURED", message: /^apiToken: / });
    });

    it("says that an unreadable CA text cannot be read, naming the field, before anything is sent", async () => {
      await bed.load();
      const ca = "-----BEGIN CERTIFICATE-----\nMIIB broken\n-----END CERTIFICATE-----";
      await expectAnswer(
        { serverURL: bed.practiceServer.url, apiToken: bed.practiceServer.tokens.admin, ca },
        { ok: false, code: "NOT_CONFIGURED", message: /^ca: the CA certificate cannot be read/ }
      );
      assert.deepEqual(await bed.recorded(), []);
    });

    it("refuses a server URL with a login in it, naming the field", async () => {
      await bed.load();
      const serverURL = bed.practiceServer.url.replace("http://", "http://bob:pa55word@");
      const body = await expectAnswer(
        { serverURL, apiToken: bed.practiceServer.tokens.admin },
        { ok: false, code: "NOT_CONFIGURED", message: /^serverURL: remove the user name and password/ }
      );
      assert.ok(!body.message.includes("pa55word"));
      assert.deepEqual(await bed.recorded(), []);
    });

    it("needs the token typed again when the host-name check is to be skipped", async () => {
      await bed.load();
      await expectAnswer(
        { id: "server", serverURL: bed.practiceServer.url, insecure: false, skipHostCheck: true },
        { ok: false, code: "NOT_CONFIGURED", message: /^apiToken: / }
      );
      assert.deepEqual(await bed.recorded(), []);
    });

    it("closes the connection it opened once it has answered", async () => {
      const proxy = await countingProxy(bed.practiceServer);
      try {
        await bed.load();
        await expectAnswer({ serverURL: proxy.url, apiToken: bed.practiceServer.tokens.admin }, { ok: true, rooms: 4 });
        assert.equal(proxy.opened, 1);
        await proxy.closed(2_000);
      } finally {
        await proxy.close();
      }
    });

    it("answers a failure without a code (a server URL that is not text) as ERROR with its message", async () => {
      await bed.load();
      await expectAnswer({ serverURL: 42, apiToken: bed.practiceServer.tokens.admin }, { ok: false, code: "ERROR", message: /\S/ });
      assert.deepEqual(await bed.recorded(), []);
    });

    it("reports an unreachable server as NETWORK", async () => {
      await bed.load();
      const port = await closedPort();
      await expectAnswer({ serverURL: `http://127.0.0.1:${port}`, apiToken: bed.practiceServer.tokens.admin }, { ok: false, code: "NETWORK" });
    });
  });

  describe("Max. response size", function () {
    const options = (maxResponse) => clientOptions({ serverURL: "https://chat.example.com", maxResponse }, { apiToken: "t" });

    it("is left to the transport's defaults when blank", () => {
      for (const blank of [undefined, "", "  "]) assert.equal(options(blank).maxResponseBytes, undefined);
    });

    it("is given in MB, decimals allowed", () => {
      assert.equal(options("2.5").maxResponseBytes, 2.5 * 1024 * 1024);
      assert.equal(options(64).maxResponseBytes, 64 * 1024 * 1024);
      assert.equal(options("0.1").maxResponseBytes, Math.round(0.1 * 1024 * 1024));
      assert.equal(options("1024").maxResponseBytes, 1024 * 1024 * 1024);
    });

    for (const bad of ["0.05", "0", "-1", "1025", "abc", "1e400", "NaN"]) {
      it(`refuses ${JSON.stringify(bad)}, naming the field`, () => {
        assert.throws(
          () => options(bad),
          (err) => err.code === "NOT_CONFIGURED" && err.details.field === "maxResponse" && /^maxResponse: must be a number from 0\.1 to 1024/.test(err.message)
        );
      });
    }
  });
});
