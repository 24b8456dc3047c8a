#!/usr/bin/env node
"use strict";
// npm start: a real Node-RED (the dev dependency) with this package and the example flows on tabs,
// as shipped (their server nodes are the built-in practice server), in the git-ignored folder .user/.
// Ctrl-C stops it. The example tabs and their server nodes are replaced on every start; the user's
// own tabs stay. The standalone practice server (for curl and other tools) is `npm run practice-server`.
const { spawn } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const USER_DIR = path.join(ROOT, ".user");
const EXAMPLES = path.join(ROOT, "examples");
const PACKAGE = require(path.join(ROOT, "package.json"));
const CONFIG_TYPES = ["cam-config", "xassist-config"];
const EDITOR_PORT = 1880;
/** what the last start put into the flows, so that this start can replace it */
const MANAGED_FILE = "npm-start-managed.json";

const hashId = (text) => crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);

/**
 * The example files as tabs: one tab per file (its own tab node if it has one), every server node
 * of the examples replaced by the first one of its type, as shipped (the practice server).
 * Returns {nodes, tabIds, configIds: {"cam-config": id, "xassist-config": id}}.
 */
function exampleFlows() {
  const files = fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".json"))
    .sort();
  const owner = new Map();
  const configs = {};
  const replaced = new Map();
  const tabs = [];
  const nodes = [];
  for (const file of files) {
    const flow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), "utf8"));
    if (!Array.isArray(flow)) throw new Error(`examples/${file} is not a flow (an array of nodes)`);
    let tab = flow.find((n) => n.type === "tab");
    if (!tab) tab = { id: hashId(`examples/${file}`), type: "tab", label: exampleTitle(file), disabled: false, info: "" };
    tabs.push(tab);
    for (const node of flow) {
      if (CONFIG_TYPES.includes(node.type)) {
        configs[node.type] ??= { ...node };
        replaced.set(node.id, configs[node.type].id);
        continue;
      }
      if (node.type === "tab") continue;
      if (owner.has(node.id)) throw new Error(`node id ${node.id} is in both examples/${owner.get(node.id)} and examples/${file}`);
      owner.set(node.id, file);
      nodes.push(node.z === undefined ? { ...node } : { ...node, z: tab.id });
    }
  }
  for (const node of nodes) {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === "string" && replaced.has(value)) node[key] = replaced.get(value);
    }
  }
  const configNodes = Object.values(configs);
  const configIds = Object.fromEntries(configNodes.map((c) => [c.type, c.id]));
  return { nodes: [...tabs, ...configNodes, ...nodes], tabIds: tabs.map((t) => t.id), configIds };
}

/** "03 - Web conference link from groupware.json" → "Web conference link from groupware" */
function exampleTitle(file) {
  return file.replace(/\.json$/, "").replace(/^\d+\s*-\s*/, "");
}

/** The user's flows without what the last start added, then this start's examples. */
function mergeFlows(current, examples, previous) {
  const ours = new Set([...(previous.tabIds ?? []), ...Object.values(previous.configIds ?? {})]);
  for (const n of examples.nodes) ours.add(n.id);
  const tabIds = new Set([...(previous.tabIds ?? []), ...examples.tabIds]);
  const kept = current.filter((n) => !ours.has(n.id) && !tabIds.has(n.z));
  return [...examples.nodes, ...kept];
}

function readJson(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return fallback;
  }
}

/** A secret kept in the user directory, made on first use. */
function storedSecret(userDir, name, bytes) {
  const file = path.join(userDir, name);
  if (fs.existsSync(file)) return { value: fs.readFileSync(file, "utf8").trim(), fresh: false };
  const value = crypto.randomBytes(bytes).toString("base64url");
  fs.writeFileSync(file, value + "\n", { mode: 0o600 });
  return { value, fresh: true };
}

function linkPackage(userDir) {
  const target = path.join(userDir, "node_modules", ...PACKAGE.name.split("/"));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  let current;
  try {
    current = fs.readlinkSync(target);
  } catch {
    current = undefined;
  }
  if (current !== ROOT) {
    fs.rmSync(target, { recursive: true, force: true });
    fs.symlinkSync(ROOT, target, "dir");
  }
  fs.writeFileSync(
    path.join(userDir, "package.json"),
    JSON.stringify({ name: "node-red-project", private: true, dependencies: { [PACKAGE.name]: "*" } }, null, 2) + "\n"
  );
}

function writeSettings(userDir, port, credentialSecret) {
  const settings = {
    uiHost: "127.0.0.1",
    uiPort: port,
    flowFile: "flows.json",
    credentialSecret,
    telemetry: { enabled: false },
    editorTheme: { tours: false, palette: { catalogues: [] } },
    logging: { console: { level: "info", metrics: false, audit: false } },
  };
  const text = `// Written by npm start (scripts/start.js) on every start: changes here are overwritten.\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`;
  fs.writeFileSync(path.join(userDir, "settings.js"), text, { mode: 0o600 });
}

/** The first port from `port` on that is free on 127.0.0.1 (0: let the system choose later). */
function freePort(port, tries = 20) {
  if (port === 0) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (err) => {
      if (err.code === "EADDRINUSE" && tries > 1) resolve(freePort(port + 1, tries - 1));
      else reject(err);
    });
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(port)));
  });
}

/** Node-RED in its own process; its log is kept until it is ready, then passed to onLog. */
function startNodeRed(userDir, port) {
  const child = spawn(process.execPath, [require.resolve("node-red/red.js"), "-u", userDir, "-p", String(port)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let startup = "";
  let onLog;
  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      if (onLog) return onLog(chunk);
      startup += chunk;
      const match = /Server now running at (http:\/\/\S+?)\/?\s/.exec(startup);
      if (match) resolve(match[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`Node-RED stopped (exit code ${code}). Its log:\n${startup}`)));
  });
  return { child, ready, log: () => startup, passLog: (fn) => (onLog = fn) };
}

async function adminApi(url, method, body) {
  const res = await fetch(`${url}/flows`, {
    method,
    headers: { "content-type": "application/json", "Node-RED-API-Version": "v2", "Node-RED-Deployment-Type": "full" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Node-RED admin API ${method} /flows: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The deployed flows and their revision, once Node-RED has loaded them (before, it answers null). */
async function waitForFlows(url) {
  for (let i = 0; i < 300; i++) {
    try {
      const current = await adminApi(url, "GET");
      if (Array.isArray(current?.flows)) return current;
    } catch {
      // not answering yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the Node-RED admin API did not answer");
}

/** Waits (at most 10 s) until Node-RED's log, from `mark` on, shows `pattern`. */
async function waitForLog(nodeRed, mark, pattern) {
  for (let i = 0; i < 100 && !pattern.test(nodeRed.log().slice(mark)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Refuses a second start on the same user directory while the first one runs. */
function takeLock(userDir) {
  const file = path.join(userDir, "npm-start.pid");
  const pid = Number(readJson(file, 0));
  if (pid && pid !== process.pid) {
    try {
      process.kill(pid, 0);
      throw new Error(
        `npm start is already running (process ${pid}). Stop it with Ctrl-C in its window first (or, if it is not running, delete ${path.relative(ROOT, file)}).`
      );
    } catch (err) {
      if (err.code !== "ESRCH") throw err;
    }
  }
  fs.writeFileSync(file, String(process.pid));
  return () => fs.rmSync(file, { force: true });
}

/**
 * Starts Node-RED on the user directory, with the examples deployed as shipped (practice servers).
 * Resolves {editor, tabCount, startupLog(), passLog(fn), exited (a promise), stop()}; stop() ends
 * Node-RED and resolves when it is down.
 */
async function launch({ userDir = USER_DIR, editorPort = EDITOR_PORT } = {}) {
  if (!fs.existsSync(path.join(ROOT, "nodes", "cam-config.js")) || !fs.existsSync(path.join(ROOT, "resources", "editor.js"))) {
    throw new Error("the package is not built yet: run `npm install` (or `npm run build`) first");
  }
  fs.mkdirSync(userDir, { recursive: true });
  const releaseLock = takeLock(userDir);
  const credentialSecret = storedSecret(userDir, "credential-secret", 24);
  // Credentials saved under another secret cannot be read; they are written again below.
  if (credentialSecret.fresh) fs.rmSync(path.join(userDir, "flows_cred.json"), { force: true });
  linkPackage(userDir);

  let nodeRed;
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      const child = nodeRed?.child;
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      releaseLock();
    })());

  try {
    const port = await freePort(editorPort);
    writeSettings(userDir, port, credentialSecret.value);
    nodeRed = startNodeRed(userDir, port);
    const editor = await nodeRed.ready;
    await waitForLog(nodeRed, 0, /Started flows/);
    const current = await waitForFlows(editor);
    const managedFile = path.join(userDir, MANAGED_FILE);
    const examples = exampleFlows();
    const flows = mergeFlows(current.flows, examples, readJson(managedFile, {}));
    // The practice server needs no login: empty credentials drop what an earlier start (or the
    // user) saved for these server nodes.
    const noCredentials = { "cam-config": { apiToken: "" }, "xassist-config": { username: "", password: "" } };
    for (const node of flows) {
      if (node.id === examples.configIds[node.type]) node.credentials = noCredentials[node.type];
    }
    const logMark = nodeRed.log().length;
    await adminApi(editor, "POST", { flows, rev: current.rev });
    await waitForLog(nodeRed, logMark, /Updated flows[\s\S]*Started flows/);
    fs.writeFileSync(managedFile, JSON.stringify({ tabIds: examples.tabIds, configIds: examples.configIds }, null, 2) + "\n");
    const exited = new Promise((r) => nodeRed.child.once("exit", r));
    return { editor, tabCount: examples.tabIds.length, startupLog: nodeRed.log, passLog: nodeRed.passLog, exited, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main() {
  const running = await launch();
  printWelcome(running.editor, running.tabCount);
  // The start-up log stays quiet, but not its errors (a flow of one's own that fails to start).
  for (const line of running.startupLog().split("\n")) if (/\[error\]/.test(line)) console.log(line);
  running.passLog((chunk) => process.stdout.write(chunk));
  let shuttingDown = false;
  const shutdown = (code) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log("\nStopping Node-RED...");
    running.stop().finally(() => process.exit(code));
  };
  process.on("SIGINT", () => shutdown(0));
  process.on("SIGTERM", () => shutdown(0));
  running.exited.then(() => {
    if (shuttingDown) return;
    console.log("Node-RED stopped by itself; see its log above.");
    shutdown(1);
  });
}

function printWelcome(editor, tabCount) {
  console.log(`
Ready. Open the Node-RED editor in your browser:

  ${editor}/

It has ${tabCount} example tabs, connected to the practice server built into this package (a
Chat&Messenger and xAssist server inside this Node-RED: nothing is sent anywhere else). On a tab,
click the square button on the left of an inject node that says "(try me)": the result appears in
the Debug sidebar, and what the flow did (messages, rooms, calls, users) in the "Practice" tab of
the sidebar, the live view of the practice server.

For curl and other tools, run the standalone practice server instead: npm run practice-server

Press Ctrl-C to stop.
`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`npm start: ${err.message}`);
    process.exit(1);
  });
}

module.exports = { exampleFlows, exampleTitle, mergeFlows, launch };
