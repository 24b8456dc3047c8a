"use strict";
// What a user gets: the npm pack tarball, installed into a fresh Node-RED 4.1 user directory, loads
// every node without a warning, and a flow with every Chat&Messenger node works against the sandbox.
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startSandbox, recorded } = require("../support");
const { startNodeRed, deploy } = require("../support/node-red-process");
const { canary } = require("../support/cam-support");
const { nodeTypes, typesOf } = require("../support/node-types");
const { CAM_APIS } = require("../../nodes/cam/cam-apis");

const ROOT = path.join(__dirname, "..", "..");
const PACKAGE = require(path.join(ROOT, "package.json"));

/** What a user needs, and nothing else: no sources, tests, scripts, CI files or the dev sandbox. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^nodes\/[\w-]+\.(js|html)$/,
  /^nodes\/(core|cam|xassist)\/[\w-]+\.js$/,
  /^nodes\/locales\/[\w-]+\/[\w-]+\.(json|html)$/,
  /^nodes\/icons\/[\w-]+\.(svg|png)$/,
  /^examples\/[^/]+\.json$/,
  /^resources\/editor\.js$/,
];

/** Warnings Node-RED itself logs at every start of a user directory like this one. */
const CORE_STARTUP_WARNINGS = [/Projects disabled/, /Encrypted credentials not found/];

const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

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
  });

  it("installs with its runtime dependencies only", () => {
    const installed = path.join(userDir, "node_modules", ...PACKAGE.name.split("/"));
    assert.equal(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).version, PACKAGE.version);
    const modules = fs.readdirSync(path.join(userDir, "node_modules")).filter((m) => !m.startsWith("."));
    assert.deepEqual(modules.sort(), [PACKAGE.name.split("/")[0], ...Object.keys(PACKAGE.dependencies)].sort());
  });

  describe("in a real Node-RED", function () {
    let sandbox;
    let nr;
    before(async function () {
      sandbox = await startSandbox({ token: canary("pack") });
      nr = await startNodeRed({ install: false, userDir });
    });
    after(async () => {
      await nr?.stop();
      await sandbox?.close();
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

    it("runs a flow with every Chat&Messenger node against the sandbox", async function () {
      const token = sandbox.tokens.admin;
      const { nodes, injects, expected } = everyNodeFlow(sandbox.url, token);
      await deploy(nr.url, nodes);
      await until(() => nr.output().lastIndexOf("Started flows") > nr.output().lastIndexOf("Updated flows"));
      for (const id of injects) {
        const res = await fetch(`${nr.url}/inject/${id}`, { method: "POST" });
        assert.equal(res.status, 200, `inject ${id}`);
      }
      const requests = await until(async () => {
        const all = await recorded(sandbox);
        const done = new Set(all.filter((r) => r.outcome.httpStatus !== null).map((r) => r.apiName));
        const shown = typesOf("cam").every((type) => nr.output().includes(`[debug:out ${type}]`));
        return expected.every((api) => done.has(api)) && shown ? all : undefined;
      });
      for (const req of requests) {
        assert.equal(req.headers["x-cam-apitoken"], token);
        assert.deepEqual(
          { api: req.apiName, processed: req.outcome.processed, httpStatus: req.outcome.httpStatus, code: req.outcome.code },
          { api: req.apiName, processed: true, httpStatus: 200, code: null }
        );
      }
      assert.deepEqual([...new Set(requests.map((r) => r.apiName))].sort(), [...expected].sort());
      const log = nr.output();
      assert.ok(!log.includes("[debug:caught]"), "no error reached the Catch node");
      const problems = logLines().filter((line) => /\[(warn|error)\]/.test(line) && !CORE_STARTUP_WARNINGS.some((re) => re.test(line)));
      assert.deepEqual(problems, []);
      assert.match(log, /\[debug:out cam-update-users\] \n\{ status: 200, updated: 9, created: 0 \}/, "the exported CSV went back in");
      assert.match(log, /\[debug:out cam-call-stats\] \n\{\n {2}roomName: '\w+',\n {2}title: 'Pack test',/, "the stats of the new quick call");
      assert.ok(!log.includes(token), "the token is not in the log");
      const flows = await (await fetch(`${nr.url}/flows`, { headers: { "Node-RED-API-Version": "v2" } })).text();
      assert.ok(!flows.includes(token), "the token is not in the deployed flow");
    });
  });
});

/** Polls until check() gives a value (a state of the sandbox, not a time, is what is awaited). */
async function until(check, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("the flow did not finish");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** inject → node → debug (console) for every Chat&Messenger node; quick call → stats and export → update chained. */
function everyNodeFlow(serverURL, apiToken) {
  const z = "pack-tab";
  const nodes = [
    { id: z, type: "tab", label: "every node" },
    { id: "cfg", type: "cam-config", name: "sandbox", serverURL, retries: 0, credentials: { apiToken } },
    { id: "catch", z, type: "catch", scope: null, uncaught: false, x: 100, y: 500, wires: [["caught"]] },
    debug("caught"),
  ];
  const injects = [];
  let y = 40;
  function add(type, props, payload, next = []) {
    const id = `node-${type}`;
    nodes.push({ id, z, type, server: "cfg", x: 300, y, wires: [[`out-${type}`, ...next]], ...props });
    nodes.push(debug(`out ${type}`, `out-${type}`, y));
    if (payload !== undefined) {
      const inject = `inject-${type}`;
      injects.push(inject);
      nodes.push({
        id: inject,
        z,
        type: "inject",
        props: [{ p: "payload" }],
        payload: payload[0],
        payloadType: payload[1],
        repeat: "",
        crontab: "",
        once: false,
        topic: "",
        x: 100,
        y,
        wires: [[id]],
      });
    }
    y += 40;
  }
  // Nodes on a tab need x and y: without them Node-RED takes them for config nodes.
  function debug(name, id = name, atY = 500) {
    return {
      id,
      z,
      type: "debug",
      name,
      active: true,
      tosidebar: false,
      console: true,
      tostatus: false,
      complete: "payload",
      targetType: "msg",
      x: 500,
      y: atY,
      wires: [],
    };
  }
  add("cam-send-message", { recipients: "user1@xxx.com", recipientsType: "str" }, ["Hello from the packed package", "str"]);
  add("cam-send-messages", { batchSize: 1 }, [
    JSON.stringify([
      { message: "one", users: "user1@xxx.com" },
      { send: "general", message: "two" },
    ]),
    "json",
  ]);
  add("cam-create-quick-call", { expires: "1h", title: "Pack test" }, ["", "str"], ["node-cam-call-stats"]);
  add("cam-call-stats", {});
  add("cam-export-users", {}, ["", "str"], ["node-cam-update-users"]);
  add("cam-update-users", {});
  add("cam-update-chat-room", {}, [JSON.stringify({ name: "Pack test room", memberUids: ["1lmn7hoh3s1ja26fsazw"] }), "json"]);
  add("cam-conference-rooms", {}, ["", "str"]);
  add("cam-room-status", { period: "today" }, ["", "str"]);
  add("cam-api", { apiName: "getConferenceRooms" }, ["", "str"]);
  const missing = typesOf("cam").filter((type) => !nodes.some((n) => n.type === type));
  assert.deepEqual(missing, [], "add these nodes to everyNodeFlow");
  // The flow calls every Chat&Messenger API of the facts table (src/cam/cam-apis.ts).
  const expected = Object.keys(CAM_APIS);
  return { nodes, injects, expected };
}
