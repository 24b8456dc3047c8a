"use strict";
// An https server with a self-signed certificate in front of the sandbox: refused by default with
// an error that says how to fix it, accepted with its CA in cam-config.ca, or with "insecure".
const assert = require("node:assert/strict");
const { helper, startSandbox, recorded, resetSandbox, operationFlow, outcome, catchNode } = require("./support");
const { relay, selfSignedCertificate } = require("./reliability-support");
const configNode = require("../nodes/cam-config.js");
const sendMessageNode = require("../nodes/cam-send-message.js");

describe("TLS with a self-signed certificate", function () {
  let sandbox;
  let front;
  let certificate;
  before(async () => {
    sandbox = await startSandbox();
    certificate = selfSignedCertificate();
    front = await relay(sandbox.port, { tls: certificate });
  });
  after(async () => {
    await front.close();
    await sandbox.close();
  });
  afterEach(async () => {
    await helper.unload();
    await resetSandbox(sandbox);
  });

  async function send(serverProps) {
    const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url: front.url, serverProps: { retries: 2, maxRetryDelay: 0.01, ...serverProps } });
    await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: sandbox.tokens.admin } });
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
    assert.deepEqual(await recorded(sandbox), []);
  });

  it("is accepted with the certificate as the trusted CA", async () => {
    const { msg, error } = await send({ ca: certificate.cert });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
    assert.equal((await recorded(sandbox)).length, 1);
  });

  it("is accepted with \"Accept self-signed certificates\"", async () => {
    const { msg, error } = await send({ insecure: true });
    assert.equal(error, undefined);
    assert.deepEqual(msg.payload, { status: 200 });
  });

  it("is still refused with another CA configured", async () => {
    const { error } = await send({ ca: selfSignedCertificate().cert });
    assert.equal(error.code, "TLS");
  });

  it("is refused when the certificate names another host, even with it as the CA", async () => {
    const other = selfSignedCertificate({ name: "chat.example.com", altNames: "DNS:chat.example.com" });
    const otherFront = await relay(sandbox.port, { tls: other });
    try {
      const flow = operationFlow("cam-send-message", { recipients: "user1@xxx.com" }, { url: otherFront.url, serverProps: { ca: other.cert } });
      await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: sandbox.tokens.admin } });
      const { error } = await outcome({ payload: "wrong name" });
      assert.equal(error.code, "TLS");
      assert.match(error.message, /ERR_TLS_CERT_ALTNAME_INVALID/);
    } finally {
      await otherFront.close();
    }
  });
});
