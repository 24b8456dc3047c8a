"use strict";
// Every example flow, as npm start puts it on tabs, deployed in a real Node-RED against the sandbox:
// each inject runs its flow to its debug nodes, every API call it makes succeeds, nothing logs an error.
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const { startSandbox, recorded } = require("../support");
const { startNodeRed } = require("../support/node-red-process");
const { exampleFlows } = require("../../scripts/start");

const EXAMPLES = path.join(__dirname, "..", "..", "examples");
const WAIT_MS = 15_000;

/** The message argument of the recorded sendMessage call. */
const sent = (calls) => JSON.parse(calls.find((c) => c.apiName === "sendMessage").fields.message);

/**
 * Per file and inject (by name): the API calls it must make (apiName as the sandbox records it), the
 * debug nodes (by name) it must reach, and what the calls must carry. A file without an entry must
 * reach any of its debug nodes.
 */
const EXPECTED = {
  "01 - Business data to a chat room.json": {
    "Sales figures (try me)": {
      apis: ["sendMessage"],
      debug: ["Posted"],
      check: (calls) =>
        assert.deepStrictEqual(
          { ...sent(calls), message: sent(calls).message.split("\n")[0] },
          { panelName: "general", message: "Sales report for today (Kanto)", isOpened: false, generalPurposes: { users: "taro@example.com" } }
        ),
    },
  },
  "02 - Tell the right people when a system fails.json": {
    "Order system is down (try me)": {
      apis: ["sendMessage"],
      debug: ["Alert sent"],
      check: (calls) => {
        const { panelName, isOpened, generalPurposes, message } = sent(calls);
        assert.deepStrictEqual(
          { panelName, isOpened, generalPurposes },
          { panelName: "alerts", isOpened: true, generalPurposes: { users: "operator@example.com,hanako@example.com" } }
        );
        assert.match(message, /^ALERT: Order system is not working\.\nIt answered 503 Service Unavailable\./);
      },
    },
    "Order system is fine": { apis: [], debug: ["System OK"] },
  },
  "03 - Web conference link from groupware.json": {
    "Meeting from groupware (try me)": {
      apis: ["createQuickCall", "sendMessage"],
      debug: ["Invitations sent"],
      check: (calls) => {
        assert.strictEqual(calls.find((c) => c.apiName === "createQuickCall").fields.title, "Weekly design review");
        const { panelName, generalPurposes, message } = sent(calls);
        assert.deepStrictEqual({ panelName, generalPurposes }, { panelName: "messenger", generalPurposes: { users: "taro@example.com,hanako@example.com" } });
        assert.match(message, /Join the web conference here: http:\/\/127\.0\.0\.1:\d+\/share\/\S+$/);
      },
    },
    "Who has joined?": { apis: ["getCallStats"], debug: ["Participants now"] },
  },
  "04 - Meeting room reservations to another system.json": {
    "Reservations (try me)": { apis: ["getConferenceRoomStatus"], debug: ["For the other system"] },
    "The meeting rooms": { apis: ["getConferenceMaster"], debug: ["Room list"] },
  },
  "10 - Send a message.json": {
    "Hello to two people (try me)": { apis: ["sendMessage"], debug: ["Sent directly"] },
    "Sealed message to a room": { apis: ["sendMessage"], debug: ["Sent to the room"] },
  },
  "11 - Send many messages at once.json": { "Reminders (try me)": { apis: ["sendMessages"], debug: ["How many were sent"] } },
  "12 - Export the user list.json": { "Export (try me)": { apis: ["exportUsers"], debug: ["Users"] } },
  "13 - Add or update users from a CSV.json": { "New colleagues (try me)": { apis: ["updateUsersCSV"], debug: ["Updated and created"] } },
  "14 - Create and change a chat room.json": {
    "Create (try me)": { apis: ["updateChatRoom"], debug: ["Created"] },
    "Rename it": { apis: ["updateChatRoom"], debug: ["Changed"] },
  },
  "15 - Call any API.json": {
    "getConferenceRooms (try me)": { apis: ["getConferenceRooms"], debug: ["Answer"] },
    sendMessage: { apis: ["sendMessage"], debug: ["Answer"] },
  },
  "20 - xAssist call and its log.json": {
    "Call the expert (try me)": { apis: ["rtc/createCall"], debug: ["Call created"] },
    "What happened?": { apis: ["rtc/getCallLogById"], debug: ["The call so far"] },
  },
  "xassist-broker.json": { "machine alarm": { apis: ["rtc/createCall"], debug: ["call created", "call events"] } },
};

const exampleFiles = fs
  .readdirSync(EXAMPLES)
  .filter((f) => f.endsWith(".json"))
  .sort();
const readExample = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), "utf8"));

/** Debug nodes reachable from a node along its wires. */
function reachableDebugs(start, byId) {
  const seen = new Set();
  const found = [];
  const visit = (id) => {
    if (seen.has(id) || !byId.has(id)) return;
    seen.add(id);
    const node = byId.get(id);
    if (node.type === "debug") found.push(node);
    for (const output of node.wires ?? []) output.forEach(visit);
  };
  visit(start.id);
  return found;
}

describe("examples: every flow runs against the sandbox in a real Node-RED", function () {
  this.timeout(60_000);
  let sb;
  let red;
  let byId;

  before(async function () {
    sb = await startSandbox();
    const examples = exampleFlows({ camServerURL: sb.url, xassistServerURL: sb.url });
    byId = new Map(examples.nodes.map((n) => [n.id, n]));
    // Debug nodes also write to the log, which is how the test sees them; their names go so that
    // the log line names the node by its id.
    const flows = examples.nodes.map((n) => (n.type === "debug" ? { ...n, console: true, name: "" } : n));
    const credentials = {
      [examples.configIds["cam-config"]]: { apiToken: sb.tokens.admin },
      [examples.configIds["xassist-config"]]: { username: sb.xassist.username, password: sb.xassist.password },
    };
    red = await startNodeRed({ flows, credentials });
    // The admin API answers before the flows have started; an inject before that finds no node.
    while (!/Started flows/.test(red.output())) await new Promise((r) => setTimeout(r, 50));
  });

  after(async function () {
    await red?.stop();
    await sb?.close();
  });

  const logCount = (id) => red.output().split(`[debug:${id}]`).length - 1;

  /** Waits until check() holds; fails at once on a node's error in the log, or after WAIT_MS. */
  async function waitFor(check, what) {
    const deadline = Date.now() + WAIT_MS;
    const logStart = red.output().length;
    while (!(await check())) {
      const errors = red
        .output()
        .slice(logStart)
        .split("\n")
        .filter((line) => /\[error\] \[/.test(line));
      if (errors.length) assert.fail(`${what}:\n${errors.join("\n")}`);
      if (Date.now() > deadline) assert.fail(`${what}; Node-RED log:\n${red.output().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("has an example for every node of the package, each with a comment that explains it and a server node", function () {
    const types = Object.keys(require("../../package.json")["node-red"].nodes).filter((t) => !t.endsWith("-config"));
    const used = new Set(exampleFiles.flatMap((f) => readExample(f).map((n) => n.type)));
    assert.deepStrictEqual(
      types.filter((t) => !used.has(t)),
      []
    );
    for (const file of exampleFiles) {
      const flow = readExample(file);
      const comment = flow.find((n) => n.type === "comment");
      assert.ok(comment && (comment.info ?? "").length > 100, `${file}: a comment node with an explanation`);
      assert.ok(
        flow.some((n) => n.type.endsWith("-config")),
        `${file}: includes its server node`
      );
      assert.ok(
        flow.some((n) => n.type === "inject"),
        `${file}: an inject node to try it`
      );
    }
  });

  it("keeps the API token and passwords out of the example files", function () {
    for (const file of exampleFiles) {
      const text = fs.readFileSync(path.join(EXAMPLES, file), "utf8");
      assert.doesNotMatch(text, /"credentials"|apiToken|"password"\s*:\s*"[^"]/, file);
    }
  });

  for (const file of exampleFiles) {
    describe(file, function () {
      const injects = readExample(file).filter((n) => n.type === "inject");
      for (const inject of injects) {
        it(`"${inject.name}" runs without an error`, async function () {
          const expected = EXPECTED[file]?.[inject.name];
          if (EXPECTED[file]) assert.ok(expected, `no expectation for the inject "${inject.name}" of ${file}`);
          const reachable = reachableDebugs(byId.get(inject.id), byId);
          const debugs = expected ? reachable.filter((d) => expected.debug.includes(d.name)) : reachable;
          for (const name of expected?.debug ?? []) {
            assert.ok(
              debugs.some((d) => d.name === name),
              `debug node "${name}" is reachable from "${inject.name}"`
            );
          }
          const before = new Map(debugs.map((d) => [d.id, logCount(d.id)]));
          const seqBefore = Math.max(0, ...(await recorded(sb)).map((r) => r.seq));

          const res = await fetch(`${red.url}/inject/${inject.id}`, { method: "POST" });
          assert.strictEqual(res.status, 200, `POST /inject/${inject.id}`);

          if (expected) {
            await waitFor(() => debugs.every((d) => logCount(d.id) > before.get(d.id)), `"${inject.name}" did not reach ${expected.debug.join(", ")}`);
          } else {
            await waitFor(() => debugs.some((d) => logCount(d.id) > before.get(d.id)), `"${inject.name}" reached none of its debug nodes`);
          }
          const calls = (await recorded(sb)).filter((r) => r.seq > seqBefore);
          for (const call of calls) {
            const { processed, httpStatus, code } = call.outcome;
            assert.ok(processed && httpStatus === 200 && !code, `${call.apiName} failed: ${JSON.stringify(call.outcome)}`);
          }
          for (const api of expected?.apis ?? []) {
            assert.ok(
              calls.some((c) => c.apiName === api),
              `"${inject.name}" called ${api} (calls: ${calls.map((c) => c.apiName).join(", ") || "none"})`
            );
          }
          if (expected?.apis.length === 0)
            assert.deepStrictEqual(
              calls.filter((c) => c.api === "cam"),
              []
            );
          expected?.check?.(calls);
        });
      }
    });
  }

  // Mocha runs a suite's own tests before its inner suites: this one comes after all the flows.
  describe("after all the flows ran", function () {
    it("logged no error or warning from any node", function () {
      assert.ok(exampleFiles.length > 0 && /\[debug:/.test(red.output()), "the flows ran");
      const problems = red
        .output()
        .split("\n")
        .filter((line) => /\[(error|warn)\] \[/.test(line));
      assert.deepStrictEqual(problems, []);
    });
  });
});

describe("npm start: the sandbox and Node-RED with the examples, again and again", function () {
  this.timeout(90_000);
  const { launch } = require("../../scripts/start");
  const os = require("node:os");
  let userDir;

  before(() => (userDir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-start-"))));
  after(() => fs.rmSync(userDir, { recursive: true, force: true }));

  const flowsOf = async (running) => await (await fetch(`${running.editor}/flows`)).json();

  it("deploys the examples with working credentials; a second start replaces them and keeps the user's own tab", async function () {
    const first = await launch({ userDir, sandboxPort: 0, editorPort: 0 });
    let firstFlows;
    let token;
    try {
      firstFlows = await flowsOf(first);
      token = first.sandbox.tokens.admin;
      assert.strictEqual(firstFlows.filter((n) => n.type === "tab").length, exampleFiles.length);
    } finally {
      await first.stop();
    }
    assert.doesNotMatch(fs.readFileSync(path.join(userDir, "flows_cred.json"), "utf8"), new RegExp(token), "credentials are encrypted");
    const mine = [
      { id: "my-tab", type: "tab", label: "My own flow" },
      { id: "my-inject", type: "inject", z: "my-tab", name: "mine", props: [], x: 100, y: 100, wires: [[]] },
    ];
    fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify([...firstFlows, ...mine]));

    const second = await launch({ userDir, sandboxPort: 0, editorPort: 0 });
    try {
      assert.strictEqual(second.sandbox.tokens.admin, token, "the sandbox keeps its admin token");
      const flows = await flowsOf(second);
      assert.strictEqual(new Set(flows.map((n) => n.id)).size, flows.length, "no node twice");
      assert.deepStrictEqual(flows.map((n) => n.id).sort(), [...firstFlows.map((n) => n.id), "my-tab", "my-inject"].sort());
      const server = flows.find((n) => n.type === "cam-config");
      assert.strictEqual(server.serverURL, second.sandbox.url, "the server node follows the sandbox's port");
      // The saved token still works: an example sends through the sandbox.
      const inject = readExample("10 - Send a message.json").find((n) => n.type === "inject");
      assert.strictEqual((await fetch(`${second.editor}/inject/${inject.id}`, { method: "POST" })).status, 200);
      let requests = [];
      for (let i = 0; i < 200 && !requests.length; i++) {
        requests = (await recorded(second.sandbox)).filter((r) => r.apiName === "sendMessage");
        if (!requests.length) await new Promise((r) => setTimeout(r, 50));
      }
      assert.strictEqual(requests.length, 1);
      assert.strictEqual(requests[0].outcome.status, 200);
    } finally {
      await second.stop();
    }
  });
});
