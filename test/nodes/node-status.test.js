"use strict";
// The status an operation node shows in the editor, in the real Node-RED runtime (test helper): the
// key of a short phrase with the code ("wrong API token (805)"), which the editor shows in its own
// language, looked up in the node's API's catalogue before the shared one; after a (re)deploy the
// node's fresh state at once, whatever it showed before. The ring of the practice server is checked in
// practice.test.js, every phrase in every language in test/unit/status-phrases.test.js.
const assert = require("node:assert/strict");
const { helper, startPracticeServer, resetPracticeServer, operationFlow, outcome } = require("../support");
const x = require("../support/xassist-support");
const { statusKey, errorRing, phrase, shownBy, lastShown } = require("../support/status");
const camConfig = require("../../nodes/cam-config.js");
const sendMessage = require("../../nodes/cam-send-message.js");
const { closedPort } = require("../support/cam-support");

const NODES = [camConfig, sendMessage, ...x.allNodes];

/**
 * Deploys a changed flow as the editor's "modified nodes" deploy does: Node-RED restarts the nodes
 * that changed and those that use a changed config node. The test helper's own setFlows gives the
 * start 300 ms, too little on a busy machine: this waits for it as long as the test may take.
 */
async function redeploy(flow) {
  const started = new Promise((resolve) => helper._events.once("flows:started", resolve));
  await helper._redNodes.setFlows(flow, null, "nodes");
  await started;
}

/** The node's last status, once it is red (an error's status follows at most 200 ms after the one before it). */
const redShown = (id) => lastShown(helper.getNode(id), (s) => s.fill === "red", `${id} shows an error`);

describe("node status: phrases in the editor's language, and never stale", function () {
  this.timeout(20_000);
  let practiceServer;
  before(async () => (practiceServer = await startPracticeServer()));
  after(() => practiceServer.close());
  afterEach(async () => {
    await helper.unload();
    await resetPracticeServer(practiceServer);
  });

  describe("Chat&Messenger", () => {
    const direct = { sendTo: "direct", recipients: "user1@xxx.com", recipientsType: "str" };
    const flow = (props = direct, serverProps = {}) => operationFlow("cam-send-message", props, { url: practiceServer.url, serverProps });
    const load = (props, { token = practiceServer.tokens.admin, serverProps } = {}) =>
      helper.load(NODES, flow(props, serverProps), { server: { apiToken: token } });

    it('shows a wrong API token as "wrong API token (805)"', async () => {
      await load(direct, { token: "not-the-token" });
      assert.equal((await outcome({ payload: "hello" })).error.code, "805");
      const shown = await redShown("n1");
      assert.deepEqual(shown, errorRing("status.codes.805"));
      assert.equal(phrase(shown.text), "wrong API token (805)");
      assert.equal(phrase(shown.text, "ja"), "APIトークンが不正 (805)");
    });

    it('shows an unknown user as "unknown user (452)"', async () => {
      await load({ ...direct, recipients: "nobody@unknown-domain.test" });
      assert.equal((await outcome({ payload: "hello" })).error.code, "452");
      const shown = await redShown("n1");
      assert.deepEqual(shown, errorRing("status.codes.452"));
      assert.equal(phrase(shown.text), "unknown user (452)");
    });

    it('shows an unreachable server as "server unreachable (NETWORK)"', async () => {
      const port = await closedPort();
      await load(direct, { serverProps: { serverURL: `http://127.0.0.1:${port}` } });
      assert.equal((await outcome({ payload: "hello" })).error.code, "NETWORK");
      const shown = await redShown("n1");
      assert.deepEqual(shown, errorRing("status.codes.NETWORK"));
      assert.equal(phrase(shown.text), "server unreachable (NETWORK)");
    });

    it("clears its status when deployed ready on one's own server", async () => {
      await load();
      assert.deepEqual(shownBy(helper.getNode("n1")), [{}]);
    });

    it("shows the fresh state at once after a redeploy that fixed the token: no status, not the old error", async () => {
      await load(direct, { token: "not-the-token" });
      await outcome({ payload: "hello" });
      await redShown("n1");
      const before = helper.getNode("n1");
      // As the editor deploys "modified nodes": the server node with its new token. Node-RED restarts
      // the nodes that use it; nothing is sent to them.
      const fixed = flow().map((n) => (n.id === "server" ? { ...n, credentials: { apiToken: practiceServer.tokens.admin } } : n));
      await redeploy(fixed);
      const after = helper.getNode("n1");
      assert.notEqual(after, before, "Node-RED restarted the node");
      assert.deepEqual(shownBy(after), [{}], "its status is cleared as it starts");
      const { error } = await outcome({ payload: "now with the right token" });
      assert.equal(error, undefined);
    });

    it("shows a redeploy onto the practice server as a grey ring at once, and a switch back to My server as no status", async () => {
      await load(direct, { token: "not-the-token" });
      await outcome({ payload: "hello" });
      await redShown("n1");
      const practice = flow().map((n) => (n.id === "server" ? { id: "server", type: "cam-config", server: "practice" } : n));
      await redeploy(practice);
      assert.deepEqual(shownBy(helper.getNode("n1")), [{ fill: "grey", shape: "ring", text: statusKey("status.practice") }]);
      assert.equal(phrase(statusKey("status.practice")), "practice server");
      const own = flow().map((n) => (n.id === "server" ? { ...n, server: "own", credentials: { apiToken: practiceServer.tokens.admin } } : n));
      await redeploy(own);
      assert.deepEqual(shownBy(helper.getNode("n1")), [{}]);
    });

    it("shows a server that cannot work in red at once after a redeploy (no URL: NOT_CONFIGURED)", async () => {
      await load();
      const broken = flow().map((n) => (n.id === "server" ? { ...n, serverURL: "" } : n));
      await redeploy(broken);
      assert.deepEqual(shownBy(helper.getNode("n1")), [errorRing("status.codes.NOT_CONFIGURED")]);
    });
  });

  describe("xAssist: its own phrases first, then the shared ones", () => {
    const load = (type, { credentials = x.demoCredentials(practiceServer), url = practiceServer.url } = {}) =>
      helper.load(NODES, x.xassistFlow(type, {}, { url, serverProps: { retries: 0 } }), credentials);

    it('shows a wrong password as "login refused (LOGIN_FAILED)", from the xAssist catalogue', async () => {
      await load("xassist-call-log", { credentials: x.demoCredentials(practiceServer, { password: "wrong" }) });
      assert.equal((await x.outcome({ payload: "00000000-0000-0000-0000-000000000000" })).error.code, "LOGIN_FAILED");
      const shown = await redShown("n1");
      assert.deepEqual(shown, errorRing("xassist-config:status.codes.LOGIN_FAILED"));
      assert.equal(phrase(shown.text), "login refused (LOGIN_FAILED)");
    });

    it('shows an unknown call as "not found (HTTP_404)", from the xAssist catalogue', async () => {
      await load("xassist-call-log");
      assert.equal((await x.outcome({ payload: "00000000-0000-0000-0000-000000000000" })).error.code, "HTTP_404");
      const shown = await redShown("n1");
      assert.deepEqual(shown, errorRing("xassist-config:status.codes.HTTP_404"));
      assert.equal(phrase(shown.text), "not found (HTTP_404)");
    });

    it('shows an unreachable server as "server unreachable (NETWORK)", the shared phrase', async () => {
      const port = await closedPort();
      await load("xassist-call-log", { url: `http://127.0.0.1:${port}` });
      assert.equal((await x.outcome({ payload: "00000000-0000-0000-0000-000000000000" })).error.code, "NETWORK");
      assert.deepEqual(await redShown("n1"), errorRing("status.codes.NETWORK"));
    });

    it("call watch keeps its own idle status on one's own server: not cleared", async () => {
      await load("xassist-call-watch");
      const shown = shownBy(helper.getNode("n1"));
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.equal(shown[0].fill, "grey");
      assert.equal(shown[0].shape, "ring");
      assert.equal(shown[0].text, "not watching");
    });
  });
});
