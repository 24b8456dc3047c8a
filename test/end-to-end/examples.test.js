"use strict";
// The example files as shipped (what their comments say, their practice server nodes) and npm start
// (Node-RED with the examples on tabs). Every example runs, installed from the packed tarball, in
// pack-install.test.js: the one place that runs the examples.
const assert = require("node:assert");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const EXAMPLES = path.join(__dirname, "..", "..", "examples");

const exampleFiles = fs
  .readdirSync(EXAMPLES)
  .filter((f) => f.endsWith(".json"))
  .sort();
const readExample = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), "utf8"));

describe("examples: what the files say and use", function () {
  it("tells in the broker example how the expert and the glasses join", function () {
    const { info } = readExample("xassist-broker.json").find((n) => n.type === "comment");
    assert.match(info, /\*\*Join\*\* for \*\*expert1\*\*/);
    assert.match(info, /\*\*Join\*\* for \*\*glasses1\*\*/);
    assert.match(info, /\*\*call events\*\*/);
  });
});

describe("npm start: Node-RED with the examples as shipped, again and again", function () {
  this.timeout(90_000);
  const { launch, exampleFlows } = require("../../scripts/start");
  let userDir;

  before(() => (userDir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-start-"))));
  after(() => fs.rmSync(userDir, { recursive: true, force: true }));

  const flowsOf = async (running) => await (await fetch(`${running.editor}/flows`)).json();

  it("puts every example on a tab, with one practice server node per API", function () {
    const { nodes, tabIds, configIds } = exampleFlows();
    assert.strictEqual(tabIds.length, exampleFiles.length);
    assert.deepStrictEqual(Object.keys(configIds).sort(), ["cam-config", "xassist-config"]);
    const servers = nodes.filter((n) => n.type.endsWith("-config"));
    assert.deepStrictEqual(
      servers.map((n) => n.server),
      ["practice", "practice"]
    );
    assert.ok(servers.every((n) => !("serverURL" in n)));
    const ids = new Set(servers.map((n) => n.id));
    for (const node of nodes.filter((n) => "server" in n && !n.type.endsWith("-config"))) assert.ok(ids.has(node.server), `${node.name} uses a server node`);
  });

  it("deploys the examples on the practice server; a second start replaces them and keeps the user's own tab", async function () {
    const first = await launch({ userDir, editorPort: 0 });
    let firstFlows;
    try {
      firstFlows = await flowsOf(first);
      assert.strictEqual(firstFlows.filter((n) => n.type === "tab").length, exampleFiles.length);
    } finally {
      await first.stop();
    }
    const mine = [
      { id: "my-tab", type: "tab", label: "My own flow" },
      { id: "my-inject", type: "inject", z: "my-tab", name: "mine", props: [], x: 100, y: 100, wires: [[]] },
    ];
    fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify([...firstFlows, ...mine]));

    const second = await launch({ userDir, editorPort: 0 });
    try {
      const flows = await flowsOf(second);
      assert.strictEqual(new Set(flows.map((n) => n.id)).size, flows.length, "no node twice");
      assert.deepStrictEqual(flows.map((n) => n.id).sort(), [...firstFlows.map((n) => n.id), "my-tab", "my-inject"].sort());
      const server = flows.find((n) => n.type === "cam-config");
      assert.strictEqual(server.server, "practice", "the examples' server node is the practice server, as shipped");
      assert.ok(!("serverURL" in server), "with no URL");
      // An example sends through the practice server; the live view's data shows the message.
      const inject = readExample("10 - Send a message.json").find((n) => n.type === "inject");
      assert.strictEqual((await fetch(`${second.editor}/inject/${inject.id}`, { method: "POST" })).status, 200);
      let sentTo = [];
      for (let i = 0; i < 200 && sentTo.length < 2; i++) {
        const res = await fetch(`${second.editor}/cam-practice/state`);
        const state = res.status === 200 ? await res.json() : {};
        sentTo = (state.directMessages ?? []).filter((d) => d.messages.some((m) => m.text === "Hello from Node-RED!")).map((d) => d.email);
        if (sentTo.length < 2) await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepStrictEqual(sentTo.sort(), ["user1@xxx.com", "user2@xxx.com"]);
      const { requests } = await (await fetch(`${second.editor}/cam-practice/requests`)).json();
      assert.strictEqual(requests.find((r) => r.apiName === "sendMessage").outcome.status, 200);
    } finally {
      await second.stop();
    }
  });
});
