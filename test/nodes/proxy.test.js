"use strict";
// Proxies: the config node's explicit proxy, and HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the
// environment, through a recording proxy on 127.0.0.1.
const assert = require("node:assert/strict");
const { execFile } = require("node:child_process");
const http = require("node:http");
const path = require("node:path");
const { helper, startPracticeServer, recorded, resetPracticeServer, operationFlow, outcome, catchNode } = require("../support");
const { recordingProxy, relay, selfSignedCertificate } = require("../support/reliability-support");
const configNode = require("../../nodes/cam-config.js");
const sendMessageNode = require("../../nodes/cam-send-message.js");

const CLIENT = path.join(__dirname, "..", "..", "nodes", "cam", "cam-client.js");

/**
 * Calls getConferenceMaster from a fresh Node process whose environment holds the proxy settings
 * (the client reads them when it is created, as a config node does at deploy).
 */
function callInChild(env, { serverURL, token, ca }) {
  const script = `
    const { CamClient } = require(${JSON.stringify(CLIENT)});
    const client = new CamClient({ serverURL: process.env.T_URL, token: process.env.T_TOKEN, ca: process.env.T_CA || undefined,
      connections: 2, queueLimit: 10, rejectUnauthorized: true, timeoutMs: 5000, retries: 1, retryBaseMs: 1, maxRetryDelayMs: 5 });
    client.call({ apiName: "getConferenceMaster" })
      .then((res) => ({ ok: true, rooms: res.data.conferenceRooms.length }), (err) => ({ ok: false, code: err.code, message: err.message }))
      .then(async (result) => { await client.close(); process.stdout.write(JSON.stringify(result)); });`;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|no)_proxy$/i.test(k)));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", script], { env: { ...clean, ...env, T_URL: serverURL, T_TOKEN: token, T_CA: ca ?? "" } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))
    );
  });
}

/** A proxy that answers every CONNECT with `status`, and counts them. */
async function refusingProxy(status) {
  let connects = 0;
  const server = http.createServer((req, res) => res.writeHead(400).end());
  server.on("connect", (req, socket) => {
    connects++;
    const challenge = status === 407 ? 'Proxy-Authenticate: Basic realm="corp"\r\n' : "";
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${challenge}Content-Length: 0\r\n\r\n`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get connects() {
      return connects;
    },
    close: () => new Promise((resolve) => server.closeAllConnections() || server.close(resolve)),
  };
}

describe("proxy", function () {
  let practiceServer;
  let proxy;
  before(async () => (practiceServer = await startPracticeServer()));
  after(() => practiceServer.close());
  beforeEach(async () => (proxy = await recordingProxy()));
  afterEach(async () => {
    await helper.unload();
    await proxy.close();
    await resetPracticeServer(practiceServer);
  });

  const practiceHost = () => new URL(practiceServer.url).host;

  it("sends through the proxy configured in cam-config", async () => {
    const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url: practiceServer.url, serverProps: { proxy: proxy.url } });
    await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
    const { msg, error } = await outcome({ payload: "via the proxy" });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
    assert.deepEqual(
      proxy.seen.map((s) => [s.method, s.target]),
      [["CONNECT", practiceHost()]]
    );
    assert.equal((await recorded(practiceServer)).length, 1);
  });

  it("passes the proxy login from the credentials as Proxy-Authorization, to the proxy only", async () => {
    const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url: practiceServer.url, serverProps: { proxy: proxy.url } });
    const credentials = { server: { apiToken: practiceServer.tokens.admin, proxyUsername: "alice", proxyPassword: "s3cret:ä" } };
    await helper.load([configNode, sendMessageNode, catchNode], flow, credentials);
    const { error } = await outcome({ payload: "authenticated proxy" });
    assert.equal(error, undefined);
    assert.equal(proxy.seen[0].headers["proxy-authorization"], `Basic ${Buffer.from("alice:s3cret:ä").toString("base64")}`);
    const [req] = await recorded(practiceServer);
    assert.equal(req.headers["proxy-authorization"], undefined);
  });

  it("refuses a proxy URL with a login in it (the URL is saved in the flow), naming the field", async () => {
    const withLogin = proxy.url.replace("http://", "http://alice:s3cret@");
    const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url: practiceServer.url, serverProps: { proxy: withLogin } });
    await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
    const { error } = await outcome({ payload: "never sent" });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.match(error.message, /^proxy: /);
    assert.ok(!error.message.includes("s3cret"));
    assert.equal(proxy.seen.length, 0);
  });

  it("refuses a server URL with a login in it like the proxy field, naming the field", async () => {
    const withLogin = practiceServer.url.replace("http://", "http://alice:s3cret@");
    const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url: withLogin });
    await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
    const { error } = await outcome({ payload: "never sent" });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.equal(error.cause.field, "serverURL");
    assert.match(error.message, /^serverURL: remove the user name and password from the URL: the URL is saved in the flow unencrypted/);
    assert.ok(!error.message.includes("s3cret"));
    assert.deepEqual(await recorded(practiceServer), []);
  });

  describe("a proxy that refuses the tunnel", function () {
    let refusing;
    afterEach(() => refusing.close());

    async function sendThrough(status, credentials = {}) {
      refusing = await refusingProxy(status);
      const serverProps = { proxy: refusing.url, retries: 2, maxRetryDelay: 0.01 };
      const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url: practiceServer.url, serverProps });
      await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin, ...credentials } });
      const { error } = await outcome({ payload: "through a refusing proxy" });
      assert.deepEqual(await recorded(practiceServer), [], "nothing reached the server");
      return error;
    }

    it("407: PROXY, pointing at the proxy login, not retried (it will not fix itself)", async () => {
      const error = await sendThrough(407, { proxyUsername: "alice", proxyPassword: "wr0ng-Secret" });
      assert.equal(error.code, "PROXY");
      assert.match(error.message, /proxy refused the login \(HTTP 407\)\. Check the proxy user and proxy password/);
      assert.ok(!JSON.stringify([error.message, error.cause]).includes("wr0ng-Secret"));
      assert.equal(error.cause.proxyStatus, 407);
      assert.equal(error.cause.retryable, false);
      assert.equal(error.cause.attempts, 1);
      assert.equal(refusing.connects, 1);
    });

    it("403: PROXY, pointing at the proxy URL and the proxy's own error, not retried", async () => {
      const error = await sendThrough(403);
      assert.equal(error.code, "PROXY");
      assert.match(error.message, /proxy refused the connection to the server \(HTTP 403\)\. Check the proxy URL/);
      assert.equal(error.cause.attempts, 1);
      assert.equal(refusing.connects, 1);
    });

    for (const status of [502, 503, 504]) {
      it(`${status}: PROXY, retried (nothing was sent, and a gateway may recover)`, async () => {
        const error = await sendThrough(status);
        assert.equal(error.code, "PROXY");
        assert.match(error.message, new RegExp(`proxy could not reach the server \\(HTTP ${status}\\)`));
        assert.equal(error.cause.attempts, 3);
        assert.equal(refusing.connects, 3);
      });
    }

    it("is reported as PROXY by the connection test too", async () => {
      refusing = await refusingProxy(407);
      await helper.load([configNode], [{ id: "server", type: "cam-config", serverURL: practiceServer.url }], {
        server: { apiToken: practiceServer.tokens.admin },
      });
      const res = await helper
        .request()
        .post("/cam-config/test")
        .send({ serverURL: practiceServer.url, apiToken: practiceServer.tokens.admin, proxy: refusing.url });
      assert.equal(res.body.ok, false);
      assert.equal(res.body.code, "PROXY");
      assert.ok(!res.text.includes(practiceServer.tokens.admin));
      assert.equal(refusing.connects, 1);
    });
  });

  it("reports an unreachable proxy as NETWORK (nothing was sent)", async () => {
    const down = proxy.url;
    await proxy.close();
    proxy = await recordingProxy();
    const flow = operationFlow(
      "cam-send-message",
      { recipients: "user1@xxx.com" },
      { url: practiceServer.url, serverProps: { proxy: down, retries: 1, maxRetryDelay: 0.01 } }
    );
    await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
    const { error } = await outcome({ payload: "no proxy there" });
    assert.equal(error.code, "NETWORK");
    assert.match(error.message, /^Could not connect to the proxy \(ECONNREFUSED\)\. Check the proxy URL/);
    assert.equal(error.cause.attempts, 2);
    assert.equal((await recorded(practiceServer)).length, 0);
  });

  describe("from the environment", function () {
    it("HTTP_PROXY carries http requests", async () => {
      const result = await callInChild({ HTTP_PROXY: proxy.url }, { serverURL: practiceServer.url, token: practiceServer.tokens.admin });
      assert.equal(result.ok, true, result.message);
      assert.deepEqual(
        proxy.seen.map((s) => [s.method, s.target]),
        [["CONNECT", practiceHost()]]
      );
    });

    it("HTTPS_PROXY carries https requests, with the TLS handshake inside the tunnel", async () => {
      const certificate = selfSignedCertificate();
      const front = await relay(practiceServer.port, { tls: certificate });
      try {
        const result = await callInChild({ HTTPS_PROXY: proxy.url }, { serverURL: front.url, token: practiceServer.tokens.admin, ca: certificate.cert });
        assert.equal(result.ok, true, result.message);
        assert.deepEqual(
          proxy.seen.map((s) => [s.method, s.target]),
          [["CONNECT", `127.0.0.1:${front.port}`]]
        );
      } finally {
        await front.close();
      }
    });

    it("NO_PROXY sends matching hosts directly", async () => {
      const result = await callInChild({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }, { serverURL: practiceServer.url, token: practiceServer.tokens.admin });
      assert.equal(result.ok, true, result.message);
      assert.deepEqual(proxy.seen, []);
      assert.equal((await recorded(practiceServer)).length, 1);
    });

    it("NO_PROXY for another host does not bypass the proxy", async () => {
      const result = await callInChild(
        { HTTP_PROXY: proxy.url, NO_PROXY: "chat.example.com,10.0.0.0" },
        { serverURL: practiceServer.url, token: practiceServer.tokens.admin }
      );
      assert.equal(result.ok, true, result.message);
      assert.equal(proxy.seen.length, 1);
    });

    it("no proxy variables: direct", async () => {
      const result = await callInChild({}, { serverURL: practiceServer.url, token: practiceServer.tokens.admin });
      assert.equal(result.ok, true, result.message);
      assert.deepEqual(proxy.seen, []);
    });
  });
});
