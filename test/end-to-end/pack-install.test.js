"use strict";
// What a user gets: the npm pack tarball, installed with its production dependencies only into a
// fresh Node-RED user directory (the dev dependency's Node-RED, or NODE_RED_PATH's: CI runs 4.1 and
// 5), loads every node without a warning; every example runs as shipped on the built-in practice
// server (imported as Import → Examples does, deployed, each inject clicked) with its effects in the
// live view's data; every Chat&Messenger example, and so every Chat&Messenger node, works against a
// server of one's own (the standalone practice server, with a token); `npm run practice-server` works
// in the installed package. What an inject must reach is read from the example itself; only what an
// example shows beyond that (and where a switch sends a message) is written here.
const assert = require("node:assert/strict");
const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startPracticeServer, recorded } = require("../support");
const { startNodeRed, deploy, watchComms } = require("../support/node-red-process");
const { canary } = require("../support/cam-support");
const { nodeTypes, typesOf } = require("../support/node-types");
const { CAM_APIS } = require("../../nodes/cam/cam-apis");
const { XASSIST_APIS } = require("../../nodes/xassist/xassist-apis");

const ROOT = path.join(__dirname, "..", "..");
const PACKAGE = require(path.join(ROOT, "package.json"));
const EXAMPLES = path.join(ROOT, "examples");

/** The folders of src/ that tsc compiles into nodes/ (src/editor is bundled into resources/editor.js instead). */
const COMPILED = fs
  .readdirSync(path.join(ROOT, "src"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "editor")
  .map((entry) => entry.name);

/** What a user needs, and nothing else: no sources, tests, scripts or CI files. The practice server ships in nodes/practice-server. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^nodes\/[\w-]+\.(js|html)$/,
  new RegExp(`^nodes/(${COMPILED.join("|")})/([\\w-]+/)*[\\w-]+\\.js$`),
  /^nodes\/locales\/[\w-]+\/[\w-]+\.(json|html)$/,
  /^nodes\/icons\/[\w-]+\.(svg|png)$/,
  /^examples\/[^/]+\.json$/,
  /^resources\/editor\.js$/,
];

/** Warnings Node-RED itself logs at every start of a user directory like this one. */
const CORE_STARTUP_WARNINGS = [/Projects disabled/, /Encrypted credentials not found/];

const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** Node-RED's own word that the flows run, in any of its languages. */
const STARTED_FLOWS = /Started flows|フローを開始しました|Flows sind gestartet|플로우 시작됨|Flux démarrés/;

const exampleFiles = fs
  .readdirSync(EXAMPLES)
  .filter((f) => f.endsWith(".json"))
  .sort();
const readExample = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), "utf8"));

/**
 * An example file as Import → Examples puts it into the editor: its nodes, on its own tab if it
 * has one, else on a tab of the editor (the file's nodes keep their ids and properties).
 */
function imported(file) {
  const flow = readExample(file);
  let tab = flow.find((n) => n.type === "tab");
  const nodes = flow.map((n) => ({ ...n }));
  if (!tab) {
    tab = { id: `tab-${file.replace(/\W+/g, "-")}`, type: "tab", label: file.replace(/\.json$/, ""), disabled: false, info: "" };
    nodes.unshift(tab);
    for (const n of nodes) if (n.z !== undefined) n.z = tab.id;
  }
  return { nodes, byId: new Map(nodes.map((n) => [n.id, n])) };
}

/** The nodes reachable from a node along its wires (only its first output's, and theirs, with `firstOnly`). */
function reachable(start, byId, { firstOnly = false } = {}) {
  const seen = new Set();
  const visit = (id) => {
    if (seen.has(id) || !byId.has(id)) return;
    seen.add(id);
    const outputs = byId.get(id).wires ?? [];
    for (const output of firstOnly ? outputs.slice(0, 1) : outputs) output.forEach(visit);
  };
  visit(start.id);
  seen.delete(start.id);
  return [...seen].map((id) => byId.get(id));
}

/** A node of this package that calls its API (not a server node). */
const isOperation = (node) => nodeTypes.includes(node.type) && !node.type.endsWith("-config");

/**
 * Where an inject's message goes, read from the example: along every wire of each node's first
 * output (an operation's only output, a switch's first rule, the call watch's events), unless ROUTED
 * names the debug nodes. Returns those debug nodes and the operation nodes on the way to them.
 */
function wayOf(file, inject, byId) {
  const all = reachable(inject, byId);
  const routed = ROUTED[file]?.[inject.name];
  const debugs = routed
    ? routed.map((name) => all.find((n) => n.type === "debug" && n.name === name))
    : reachable(inject, byId, { firstOnly: true }).filter((n) => n.type === "debug");
  assert.ok(debugs.length > 0 && debugs.every(Boolean), `${file}, "${inject.name}": reaches a debug node (${routed ?? "along first outputs"})`);
  const onTheWay = all.filter((n) => debugs.includes(n) || reachable(n, byId).some((d) => debugs.includes(d)));
  return { debugs, operations: onTheWay.filter(isOperation) };
}

/** An API call the practice server recorded is one of a wire contract: a Chat&Messenger name or an xAssist path. */
const XASSIST_PATHS = new Set(Object.values(XASSIST_APIS).map((api) => api.path));
const isContractApi = (apiName) => Object.hasOwn(CAM_APIS, apiName) || XASSIST_PATHS.has(`/${apiName}`);

/** The message argument of the recorded sendMessage call. */
const sent = (calls) => JSON.parse(calls.find((c) => c.apiName === "sendMessage").fields.message);
const room = (state, name) => state.rooms.find((r) => r.name === name);
const directTo = (state, email) => state.directMessages.find((d) => d.email === email)?.messages ?? [];
const lastCall = (state, title) => state.xassist.calls.findLast((c) => c.callTitle === title);
const callId = (call) => call.callId ?? call.id;

/**
 * A switch sends a message where its rules and the message say, which the wiring alone does not
 * tell: per example file and inject (by name), the debug nodes (by name) its message reaches instead.
 */
const ROUTED = {
  "02 - Tell the right people when a system fails.json": { "Order system is fine": ["System OK"] },
};

/**
 * What an example shows beyond "its injects reach their debug nodes, and every API call succeeds",
 * per example file and inject (by name): what the live view must then show (check, given {calls,
 * state, shown(debug name), practice, act}), and what the other side does first in the live view
 * (before, given {practice, act}). The example's meaning, so written by hand; a new example needs none.
 */
const CHECKS = {
  "01 - Business data to a chat room.json": {
    "Sales figures (try me)": {
      check: ({ calls, state }) => {
        assert.deepEqual(
          { ...sent(calls), message: sent(calls).message.split("\n")[0] },
          { panelName: "general", message: "Sales report for today (Kanto)", isOpened: false, generalPurposes: { users: "taro@example.com" } }
        );
        const message = room(state, "general").messages.findLast((m) => m.text.startsWith("Sales report for today (Kanto)\nOrders: 42"));
        assert.ok(message, "the report is in the room general");
        assert.deepEqual(message.users, ["taro@example.com"]);
      },
    },
  },
  "02 - Tell the right people when a system fails.json": {
    "Order system is down (try me)": {
      check: ({ calls, state }) => {
        const { panelName, isOpened, generalPurposes, message } = sent(calls);
        assert.deepEqual(
          { panelName, isOpened, generalPurposes },
          { panelName: "alerts", isOpened: true, generalPurposes: { users: "operator@example.com,hanako@example.com" } }
        );
        assert.match(message, /^ALERT: Order system is not working\.\nIt answered 503 Service Unavailable\./);
        const alert = room(state, "alerts").messages.findLast((m) => m.text.startsWith("ALERT: Order system is not working."));
        assert.ok(alert, "the alert is in the room alerts");
        assert.equal(alert.sealed, true);
        assert.deepEqual(alert.users, ["operator@example.com", "hanako@example.com"]);
      },
    },
  },
  "03 - Web conference link from groupware.json": {
    "Meeting from groupware (try me)": {
      check: ({ calls, state }) => {
        assert.equal(calls.find((c) => c.apiName === "createQuickCall").fields.title, "Weekly design review");
        const { panelName, generalPurposes, message } = sent(calls);
        assert.deepEqual({ panelName, generalPurposes }, { panelName: "messenger", generalPurposes: { users: "taro@example.com,hanako@example.com" } });
        const link = /Join the web conference here: (http:\/\/127\.0\.0\.1:\d+\/share\/\S+)$/.exec(message);
        assert.ok(link, message);
        const call = state.quickCalls.findLast((c) => c.title === "Weekly design review");
        assert.ok(call, "the quick call is in the live view");
        assert.equal(call.url, link[1]);
        for (const email of ["taro@example.com", "hanako@example.com"]) {
          assert.ok(
            directTo(state, email).some((m) => m.text.includes(link[1])),
            `${email} got the link`
          );
        }
      },
    },
    "Who has joined?": {
      before: async ({ practice, act }) => {
        const call = (await practice("state")).quickCalls.findLast((c) => c.title === "Weekly design review");
        await act(`quickcalls/${encodeURIComponent(call.sid)}/join`, { name: "Hanako" });
      },
      check: ({ shown, state }) => {
        assert.equal(shown("Participants now").participants, 1, "call stats count the one who joined in the live view");
        assert.deepEqual(state.quickCalls.findLast((c) => c.title === "Weekly design review").participantNames, ["Hanako"]);
      },
    },
  },
  "04 - Meeting room reservations to another system.json": {
    "The meeting rooms": {
      check: ({ shown, state }) => assert.ok(state.conferenceRooms.length > 0 && JSON.stringify(shown("Room list")).includes(state.conferenceRooms[0].name)),
    },
  },
  "10 - Send a message.json": {
    "Hello to two people (try me)": {
      check: ({ state }) => {
        for (const email of ["user1@xxx.com", "user2@xxx.com"]) {
          assert.ok(
            directTo(state, email).some((m) => m.text === "Hello from Node-RED!"),
            `${email} got the message`
          );
        }
      },
    },
    "Sealed message to a room": {
      check: ({ state }) => {
        const message = room(state, "test").messages.at(-1);
        assert.equal(message.sealed, true);
        assert.deepEqual(message.users, ["user1@test.com"]);
      },
    },
  },
  "11 - Send many messages at once.json": {
    "Reminders (try me)": {
      check: ({ state }) => {
        assert.ok(directTo(state, "hanako@example.com").some((m) => m.text === "Friendly reminder: your room booking for the offsite is due on Friday."));
        assert.equal(room(state, "general").messages.at(-1).text, "Reminders sent to 3 people.");
      },
    },
  },
  "12 - Export the user list.json": {
    "Export (try me)": {
      check: ({ shown, state }) => {
        const exported = shown("Users").map((u) => u.email);
        assert.ok(exported.includes("taro@example.com"));
        assert.ok(exported.every((email) => state.users.some((u) => u.email === email)));
      },
    },
  },
  "13 - Add or update users from a CSV.json": {
    "New colleagues (try me)": {
      check: ({ state }) => {
        const user = state.users.find((u) => u.email === "new.colleague@example.com");
        assert.deepEqual({ name: user?.name, department: user?.department }, { name: "New Colleague", department: "Sales" });
      },
    },
  },
  "14 - Create and change a chat room.json": {
    "Create (try me)": {
      check: ({ state }) => {
        const created = state.rooms.findLast((r) => /^Project room \d\d:\d\d:\d\d$/.test(r.name));
        assert.ok(created, "the new room is in the live view");
        assert.deepEqual([...created.members].sort(), ["admin@example.com", "taro@example.com"]);
      },
    },
    "Rename it": {
      check: ({ state }) => {
        const renamed = state.rooms.findLast((r) => /^Project room \d\d:\d\d:\d\d \(renamed\)$/.test(r.name));
        assert.ok(renamed, "the renamed room is in the live view");
        assert.ok(renamed.members.includes("hanako@example.com"), "with one more member");
      },
    },
  },
  "15 - Call any API.json": {
    sendMessage: {
      check: ({ state }) => assert.equal(directTo(state, "user1@xxx.com").at(-1).text, "Hello from the API node"),
    },
  },
  "20 - xAssist call and its log.json": {
    "Call the expert (try me)": {
      check: ({ state }) => {
        const call = lastCall(state, "Help: Pump 3 is leaking");
        assert.ok(call, "the call is in the live view");
        assert.deepEqual(
          call.invitedContacts.map((c) => c.userId),
          ["expert1"]
        );
      },
    },
    "What happened?": {
      before: async ({ practice, act }) => {
        const call = lastCall(await practice("state"), "Help: Pump 3 is leaking");
        await act(`xassist/calls/${callId(call)}/join`, { userId: "expert1" });
      },
      check: ({ shown }) =>
        assert.ok(
          shown("The call so far").callEvents.some((e) => e.type === "Join" && e.contact.userId === "expert1"),
          "the log has the expert's join from the live view"
        ),
    },
  },
  "xassist-broker.json": {
    "machine alarm (try me)": {
      check: async ({ state, act, debugMessages }) => {
        const call = lastCall(state, "Machine 7: spindle overheating");
        assert.ok(call, "the call is in the live view");
        assert.equal(call.creatorContact.userId, "glasses1");
        const seen = debugMessages().length;
        await act(`xassist/calls/${callId(call)}/join`, { userId: "expert1" });
        await act(`xassist/calls/${callId(call)}/join`, { userId: "glasses1" });
        const lines = ["Erika Expert: Join", "Smart Glasses (Line 3): Join"];
        await until(() => {
          const events = debugMessages()
            .slice(seen)
            .map((m) => m.msg);
          return lines.every((line) => events.includes(line));
        });
        await act(`xassist/calls/${callId(call)}/end`);
      },
    },
  },
};

describe("npm pack installed into a fresh Node-RED", function () {
  this.timeout(240_000);
  let work;
  let packed;
  let userDir;

  before(function () {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "cam-pack-"));
    [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", work], ROOT));
    userDir = path.join(work, "user");
    fs.mkdirSync(userDir);
    fs.writeFileSync(path.join(userDir, "package.json"), JSON.stringify({ name: "node-red-project", private: true }));
    npm(["install", path.join(work, packed.filename), "--no-audit", "--no-fund", "--omit=dev"], userDir);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("packs only what users need", () => {
    const files = packed.files.map((f) => f.path);
    const extra = files.filter((file) => !ALLOWED.some((re) => re.test(file)));
    assert.deepEqual(extra, [], "files a user does not need");
    for (const file of Object.values(PACKAGE["node-red"].nodes)) {
      assert.ok(files.includes(file), `${file} is packed`);
      assert.ok(files.includes(file.replace(/\.js$/, ".html")), `the panel of ${file} is packed`);
    }
    assert.ok(
      files.some((f) => f.startsWith("nodes/locales/en-US/")),
      "the catalogues are packed"
    );
    assert.ok(
      files.some((f) => f.startsWith("nodes/icons/")),
      "the icons are packed"
    );
    for (const file of ["nodes/core/node/practice.js", "nodes/servers/practice-routes.js", "nodes/practice-server/index.js", "nodes/practice-server/cli.js"]) {
      assert.ok(files.includes(file), `${file} (the practice server) is packed`);
    }
  });

  it("installs with its runtime dependencies only", () => {
    const installed = path.join(userDir, "node_modules", ...PACKAGE.name.split("/"));
    assert.equal(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).version, PACKAGE.version);
    const modules = fs.readdirSync(path.join(userDir, "node_modules")).filter((m) => !m.startsWith("."));
    assert.deepEqual(modules.sort(), [PACKAGE.name.split("/")[0], ...Object.keys(PACKAGE.dependencies)].sort());
  });

  describe("npm run practice-server in the installed package (no TypeScript there)", function () {
    const installed = () => path.join(userDir, "node_modules", ...PACKAGE.name.split("/"));

    it("starts the standalone practice server, which answers an API call", async () => {
      // Its own process group, so that npm, the shell and node stop together.
      const child = spawn("npm", ["run", "practice-server", "--", "--port", "0"], { cwd: installed(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        const started = await until(() => {
          if (child.exitCode !== null) throw new Error(`npm run practice-server stopped (${child.exitCode}):\n${output}`);
          return /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*admin API token\s+(\S+)/.exec(output);
        });
        assert.doesNotMatch(output, /not found/);
        const res = await fetch(`${started[1]}/getConferenceRooms`, { headers: { "x-cam-apiToken": started[2] } });
        assert.equal(res.status, 200);
        assert.ok((await res.json()).conferenceRooms.length > 0, "the demo meeting rooms");
      } finally {
        process.kill(-child.pid, "SIGTERM");
        await exited;
      }
    });

    it("fails with its own exit code and message on a bad option", () => {
      let failure;
      try {
        npm(["run", "practice-server", "--", "--port", "nope"], installed());
      } catch (err) {
        failure = err;
      }
      assert.ok(failure, "npm run practice-server -- --port nope exits with an error");
      assert.notEqual(failure.status, 0);
      assert.match(failure.stderr, /practice server: --port must be 0\.\.65535, not nope/);
      assert.doesNotMatch(failure.stderr + failure.stdout, /tsc|not found/);
    });
  });

  describe("in a real Node-RED", function () {
    let practiceServer;
    let nr;
    before(async function () {
      practiceServer = await startPracticeServer({ token: canary("pack") });
      nr = await startNodeRed({ install: false, userDir });
    });
    after(async () => {
      await nr?.stop();
      await practiceServer?.close();
    });

    const logLines = () => nr.output().split("\n");

    it("loads every node type of package.json without a warning or an error", async () => {
      const res = await fetch(`${nr.url}/nodes`, { headers: { accept: "application/json" } });
      const sets = (await res.json()).filter((set) => set.module === PACKAGE.name);
      const loaded = sets.filter((set) => set.enabled && !set.err).flatMap((set) => set.types);
      assert.deepEqual(loaded.sort(), [...nodeTypes].sort());
      const problems = logLines().filter((line) => /\[(warn|error)\]/.test(line) && !CORE_STARTUP_WARNINGS.some((re) => re.test(line)));
      assert.deepEqual(problems, []);
    });

    it("serves the panels' shared editor script from resources/", async () => {
      const res = await fetch(`${nr.url}/resources/${PACKAGE.name}/editor.js`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /CamEditor/);
    });

    it("runs every Chat&Messenger example, so every Chat&Messenger node, against a server of one's own", async function () {
      const token = practiceServer.tokens.admin;
      const { nodes, injects, caught } = ownServerFlow(practiceServer.url, token);
      const missing = typesOf("cam").filter((type) => !nodes.some((n) => n.type === type));
      assert.deepEqual(missing, [], "no Chat&Messenger example uses these nodes (docs/adding-an-api.md, step e)");
      await deploy(nr.url, nodes);
      await until(() => nr.output().lastIndexOf("Started flows") > nr.output().lastIndexOf("Updated flows"));
      // One inject after the other: a later one may use what an earlier one made (a quick call, a room).
      for (const { file, inject, debugs } of injects) {
        const mark = nr.output().length;
        const res = await fetch(`${nr.url}/inject/${inject.id}`, { method: "POST" });
        assert.equal(res.status, 200, `${file}, "${inject.name}": POST /inject/${inject.id}`);
        await until(() => {
          const since = nr.output().slice(mark);
          assert.doesNotMatch(since, /\[(error|warn)\] \[/, `${file}, "${inject.name}": logged`);
          return debugs.every((d) => since.includes(`[debug:${d.name}]`));
        });
      }
      const requests = await recorded(practiceServer);
      for (const req of requests) {
        assert.equal(req.headers["x-cam-apitoken"], token);
        assert.deepEqual(
          { api: req.apiName, processed: req.outcome.processed, httpStatus: req.outcome.httpStatus, code: req.outcome.code },
          { api: req.apiName, processed: true, httpStatus: 200, code: null }
        );
      }
      assert.deepEqual(
        [...new Set(requests.map((r) => r.apiName))].sort(),
        Object.keys(CAM_APIS).sort(),
        "the examples call every API of the wire contract (src/cam/cam-apis.ts)"
      );
      const log = nr.output();
      assert.deepEqual(
        caught.filter((d) => log.includes(`[debug:${d.name}]`)).map((d) => d.name),
        [],
        "no error reached a Catch node"
      );
      const problems = logLines().filter((line) => /\[(warn|error)\]/.test(line) && !CORE_STARTUP_WARNINGS.some((re) => re.test(line)));
      assert.deepEqual(problems, []);
      assert.ok(!log.includes(token), "the token is not in the log");
      const flows = await (await fetch(`${nr.url}/flows`, { headers: { "Node-RED-API-Version": "v2" } })).text();
      assert.ok(!flows.includes(token), "the token is not in the deployed flow");
    });

    describe("every example as shipped, on the practice server", function () {
      let comms;
      let logStart;
      before(async () => {
        logStart = nr.output().length;
        comms = await watchComms(nr.url);
      });
      after(() => comms?.close());

      /** What the debug nodes sent to the editor's Debug sidebar: [{id, name, msg}], in order. */
      const debugMessages = () =>
        comms.frames
          .flatMap((frame) => [].concat(JSON.parse(frame)))
          .filter((m) => m.topic === "debug")
          .map((m) => m.data);
      const practice = async (what) => {
        const res = await fetch(`${nr.url}/cam-practice/${what}`);
        assert.equal(res.status, 200, `GET cam-practice/${what}`);
        return res.json();
      };
      const act = async (what, body = {}) => {
        const res = await fetch(`${nr.url}/cam-practice/${what}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 200, `POST cam-practice/${what}: ${await res.clone().text()}`);
        return res.json();
      };
      const ctx = { practice, act, debugMessages };

      it("checks and routes only injects that the examples have", () => {
        const injectsOf = (file) => (exampleFiles.includes(file) ? readExample(file) : []).filter((n) => n.type === "inject").map((n) => n.name);
        const stale = [CHECKS, ROUTED].flatMap((table) =>
          Object.entries(table).flatMap(([file, byInject]) =>
            Object.keys(byInject)
              .filter((name) => !injectsOf(file).includes(name))
              .map((name) => `${file}: ${name}`)
          )
        );
        assert.deepEqual(stale, []);
      });

      for (const file of exampleFiles) {
        it(`${file}: deployed as imported, every inject runs with its effects in the live view`, async function () {
          const { nodes, byId } = imported(file);
          const deployedAt = nr.output().length;
          await deploy(nr.url, nodes);
          await until(() => STARTED_FLOWS.test(nr.output().slice(deployedAt)));
          for (const inject of readExample(file).filter((n) => n.type === "inject")) {
            const expected = CHECKS[file]?.[inject.name] ?? {};
            const what = `${file}, "${inject.name}"`;
            const { debugs, operations } = wayOf(file, inject, byId);
            await expected.before?.(ctx);
            const seen = debugMessages().length;
            const { total } = await practice("requests");
            const logMark = nr.output().length;

            const res = await fetch(`${nr.url}/inject/${inject.id}`, { method: "POST" });
            assert.equal(res.status, 200, `${what}: POST /inject/${inject.id}`);

            const shown = await until(() => {
              const problems = nr
                .output()
                .slice(logMark)
                .split("\n")
                .filter((line) => /\[(error|warn)\] \[/.test(line));
              assert.deepEqual(problems, [], `${what}: logged`);
              const fresh = debugMessages().slice(seen);
              return debugs.every((d) => fresh.some((m) => m.id === d.id)) && fresh;
            });
            const errors = shown.filter((m) => byId.get(m.id)?.complete === "error");
            assert.deepEqual(errors, [], `${what}: a catch node reported an error`);
            const calls = (await practice(`requests?since=${total}`)).requests;
            for (const call of calls) {
              const { processed, httpStatus, code } = call.outcome;
              assert.ok(processed && httpStatus === 200 && !code, `${what}: ${call.apiName} failed: ${JSON.stringify(call.outcome)}`);
            }
            const names = calls.map((c) => c.apiName);
            assert.deepEqual(
              names.filter((name) => !isContractApi(name)),
              [],
              `${what}: calls only APIs of the wire contracts`
            );
            // Each operation node on the way calls its API at least once (an xAssist one may log in first).
            if (operations.length === 0) assert.deepEqual(names, [], `${what} calls no API`);
            else assert.ok(names.length >= operations.length, `${what}: ${operations.map((n) => n.name).join(", ")} called ${names.join(", ") || "nothing"}`);
            const messageOf = (name) => {
              const m = shown.find((d) => d.id === debugs.find((n) => n.name === name).id);
              return /^string/.test(m.format) ? m.msg : JSON.parse(m.msg);
            };
            await expected.check?.({ ...ctx, calls, state: await practice("state"), shown: messageOf });
          }
          // Exported flows carry no practice data: they are the example as imported, nothing added.
          const exported = await (await fetch(`${nr.url}/flows`, { headers: { "Node-RED-API-Version": "v2" } })).json();
          const sorted = (list) => [...list].sort((a, b) => a.id.localeCompare(b.id));
          assert.deepEqual(sorted(exported.flows), sorted(nodes), "GET /flows gives the example as imported");
          const port = new URL((await practice("state")).url).port;
          assert.doesNotMatch(JSON.stringify(exported), new RegExp(`127\\.0\\.0\\.1|localhost|:${port}\\b|apiToken|"credentials"`));
        });
      }

      // Mocha runs a suite's own tests in order: this one comes after all the examples.
      it("logged no error or warning while the examples ran", async () => {
        assert.equal((await practice("state")).running, true);
        const problems = nr
          .output()
          .slice(logStart)
          .split("\n")
          .filter((line) => /\[(error|warn)\]/.test(line));
        assert.deepEqual(problems, []);
      });
    });
  });
});

/** Polls until check() gives a value (a state of the practice server, not a time, is what is awaited). */
async function until(check, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("the flow did not finish");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Every Chat&Messenger example as imported, on one deployment against a server of one's own: the
 * server nodes point at serverURL with the token, and each debug node also writes to the log under
 * its id. Returns the nodes, every inject in the examples' order with the debug nodes its message
 * must reach (wayOf), and the debug nodes of the Catch nodes.
 */
function ownServerFlow(serverURL, apiToken) {
  const files = exampleFiles.filter((file) => readExample(file).some((n) => n.type === "cam-config"));
  const nodes = new Map();
  const injects = [];
  const caught = [];
  const logged = (debug) => ({ ...debug, name: `out ${debug.id}`, console: true, tosidebar: false });
  for (const file of files) {
    const { nodes: flow, byId } = imported(file);
    for (const node of flow) {
      if (node.type === "cam-config") {
        nodes.set(node.id, { id: node.id, type: "cam-config", name: "own server", serverURL, retries: 0, credentials: { apiToken } });
        continue;
      }
      assert.ok(!nodes.has(node.id), `${file}: the node id ${node.id} is in another example too`);
      nodes.set(node.id, node.type === "debug" ? logged(node) : node);
    }
    for (const inject of flow.filter((n) => n.type === "inject")) {
      injects.push({ file, inject, debugs: wayOf(file, inject, byId).debugs.map(logged) });
    }
    for (const node of flow.filter((n) => n.type === "catch"))
      caught.push(
        ...reachable(node, byId)
          .filter((n) => n.type === "debug")
          .map(logged)
      );
  }
  return { nodes: [...nodes.values()], injects, caught };
}
