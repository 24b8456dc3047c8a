"use strict";
// An https server with a self-signed certificate in front of the practice server: refused by default with
// an error that says how to fix it, accepted with its CA in cam-config.ca, or with "insecure", which
// still checks the host name (directly and through a proxy's tunnel) unless "skipHostCheck" is ticked.
const assert = require("node:assert/strict");
const { helper, startPracticeServer, recorded, resetPracticeServer, operationFlow, outcome, catchNode } = require("../support");
const { recordingProxy, relay, selfSignedCertificate } = require("../support/reliability-support");
const configNode = require("../../nodes/cam-config.js");
const sendMessageNode = require("../../nodes/cam-send-message.js");

describe("TLS with a self-signed certificate", function () {
  let practiceServer;
  let front;
  let certificate;
  before(async () => {
    practiceServer = await startPracticeServer();
    certificate = selfSignedCertificate();
    front = await relay(practiceServer.port, { tls: certificate });
  });
  after(async () => {
    await front.close();
    await practiceServer.close();
  });
  afterEach(async () => {
    await helper.unload();
    await resetPracticeServer(practiceServer);
  });

  async function send(serverProps, url = front.url) {
    const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url, serverProps: { retries: 2, maxRetryDelay: 0.01, ...serverProps } });
    await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
    return outcome({ payload: "over https" });
  }

  it("is refused by default with code TLS and a message that says how to fix it, without retrying", async () => {
    const before = front.stats.total;
    const { error } = await send({});
    assert.equal(error.code, "TLS");
    assert.match(error.message, /certificate was refused \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    assert.match(error.message, /Add its CA certificate/);
    assert.match(error.message, /Accept self-signed certificates/);
    assert.equal(error.cause.attempts, 1);
    assert.equal(front.stats.total - before, 1);
    assert.deepEqual(await recorded(practiceServer), []);
  });

  it("is accepted with the certificate as the trusted CA", async () => {
    const { msg, error } = await send({ ca: certificate.cert });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
    assert.equal((await recorded(practiceServer)).length, 1);
  });

  it('is accepted with "Accept self-signed certificates"', async () => {
    const { msg, error } = await send({ insecure: true });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
  });

  it("is still refused with another CA configured", async () => {
    const { error } = await send({ ca: selfSignedCertificate().cert });
    assert.equal(error.code, "TLS");
  });

  it("is refused when the certificate names another host, even with it as the CA, saying so", async () => {
    const { error } = await send({ ca: otherName.certificate.cert }, otherName.front.url);
    assertHostNameRefused(error);
  });

  it("refuses an unreadable CA text, naming the field, before anything is sent", async () => {
    const before = front.stats.total;
    const { error } = await send({ ca: "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----" });
    assert.equal(error.code, "NOT_CONFIGURED");
    assert.match(error.message, /^ca: the CA certificate cannot be read/);
    assert.equal(front.stats.total - before, 0);
    await helper.unload();
    const { error: plain } = await send({ ca: "my company CA" });
    assert.equal(plain.code, "NOT_CONFIGURED");
    assert.equal(plain.cause.field, "ca");
  });

  /** A second front whose certificate is issued for chat.example.com only. */
  const otherName = {};
  before(async () => {
    otherName.certificate = selfSignedCertificate({ name: "chat.example.com", altNames: "DNS:chat.example.com" });
    otherName.front = await relay(practiceServer.port, { tls: otherName.certificate });
  });
  after(() => otherName.front.close());

  function assertHostNameRefused(error) {
    assert.equal(error.code, "TLS");
    assert.match(error.message, /certificate is for another host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    assert.doesNotMatch(error.message, /self-signed/, "accepting any certificate would not fix the name");
    assert.equal(error.cause.retryable, false);
    assert.equal(error.cause.attempts, 1);
  }

  describe('"Accept self-signed certificates" still checks the host name', function () {
    let proxy;
    beforeEach(async () => (proxy = await recordingProxy()));
    afterEach(() => proxy.close());

    it("refuses a self-signed certificate for another host name, saying so", async () => {
      const { error } = await send({ insecure: true }, otherName.front.url);
      assertHostNameRefused(error);
      assert.deepEqual(await recorded(practiceServer), []);
    });

    it("refuses it through a proxy's tunnel too", async () => {
      const { error } = await send({ insecure: true, proxy: proxy.url }, otherName.front.url);
      assertHostNameRefused(error);
      assert.deepEqual(
        proxy.seen.map((s) => s.method),
        ["CONNECT"],
        "the tunnel was opened, then the certificate refused"
      );
      assert.deepEqual(await recorded(practiceServer), []);
    });

    it("accepts a self-signed certificate for the right host name through a proxy's tunnel", async () => {
      const { msg, error } = await send({ insecure: true, proxy: proxy.url });
      assert.equal(error, undefined, error && error.message);
      assert.deepEqual(msg.payload, { status: 200 });
    });

    it('accepts any host name only when "skipHostCheck" is ticked too, directly and through a proxy', async () => {
      for (const proxyURL of ["", proxy.url]) {
        const { msg, error } = await send({ insecure: true, skipHostCheck: true, proxy: proxyURL }, otherName.front.url);
        assert.equal(error, undefined, error && error.message);
        assert.deepEqual(msg.payload, { status: 200 });
        await helper.unload();
      }
      assert.equal((await recorded(practiceServer)).length, 2);
    });

    it('ignores "skipHostCheck" while certificates are checked', async () => {
      const { error } = await send({ skipHostCheck: true, ca: otherName.certificate.cert }, otherName.front.url);
      assertHostNameRefused(error);
    });
  });

  describe("the warning at deploy", function () {
    const configWarnings = () =>
      helper
        .log()
        .args.filter(([e]) => e.level === helper.log().WARN && e.type === "cam-config")
        .map(([e]) => e.msg);

    async function deployed(serverProps) {
      const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url: front.url, serverProps });
      flow.push({ id: "n2", z: "f1", type: "cam-send-message", server: "server", recipients: "user2@xxx.com", wires: [] });
      await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
    }

    it("comes once per server node when certificate checks are relaxed, naming the host", async () => {
      await deployed({ insecure: true });
      const warnings = configWarnings();
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0], new RegExp(`Certificate checks for 127\\.0\\.0\\.1:${front.port} are relaxed`));
      assert.doesNotMatch(warnings[0], new RegExp(practiceServer.tokens.admin.replace(/[^\w]/g, ".")));
    });

    it("says that checks are off when any host name is accepted", async () => {
      await deployed({ insecure: true, skipHostCheck: true });
      const warnings = configWarnings();
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0], /are off/);
    });

    it("does not come with checks on", async () => {
      await deployed({ ca: certificate.cert, skipHostCheck: true });
      assert.deepEqual(configWarnings(), []);
    });
  });
});
