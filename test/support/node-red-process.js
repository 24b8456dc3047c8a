"use strict";
// A real Node-RED (the dev dependency's bin) in its own process, with this package installed
// into a temporary user directory, listening on 127.0.0.1.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.join(__dirname, "..", "..");
const PACKAGE = require(path.join(ROOT, "package.json"));
// NODE_RED_PATH: another Node-RED install's folder (see support/index.js); default the dev dependency.
const NODE_RED_BIN = process.env.NODE_RED_PATH ? path.resolve(process.env.NODE_RED_PATH, "red.js") : require.resolve("node-red/red.js");

/**
 * Starts Node-RED. Options: flows (array), credentials ({nodeId: {...}}), install ("link": symlink
 * this checkout, or a path to an installed package dir, or false), userDir (an existing user
 * directory, e.g. one the package was npm-installed into; default a new temporary one), settings
 * (extra settings), lang, env. Resolves with {url, userDir, output(), stop()}.
 */
async function startNodeRed({ flows = [], credentials, install = "link", userDir: existingDir, settings = {}, env = {}, nodeBinary } = {}) {
  const userDir = existingDir || fs.mkdtempSync(path.join(os.tmpdir(), "cam-nr-"));
  if (install === "link") linkPackage(userDir, ROOT);
  else if (install) linkPackage(userDir, install);
  fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(flows));
  const credentialSecret = "test-secret";
  if (credentials) fs.writeFileSync(path.join(userDir, "flows_cred.json"), JSON.stringify(credentials));
  const allSettings = {
    uiHost: "127.0.0.1",
    uiPort: 0,
    flowFile: "flows.json",
    credentialSecret: credentials ? false : credentialSecret,
    telemetry: { enabled: false },
    editorTheme: { tours: false, palette: { catalogues: [] } },
    logging: { console: { level: "info", metrics: false, audit: false } },
    ...settings,
  };
  fs.writeFileSync(path.join(userDir, "settings.js"), `module.exports = ${JSON.stringify(allSettings, null, 2)};\n`);

  const child = spawn(nodeBinary || process.execPath, [NODE_RED_BIN, "-u", userDir, "-p", "0", "-s", path.join(userDir, "settings.js")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk) => (output += chunk);
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Node-RED did not start:\n${output}`)), 60_000);
    const check = () => {
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(output); // "Server now running at ..." in any language
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Node-RED exited with ${code}:\n${output}`));
    });
  });
  await waitForFlows(url);
  // The admin API answers before the flows have started: wait for the runtime's own word (any language).
  if (flows.length > 0) await waitForOutput(() => output, STARTED_FLOWS, 60_000);

  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGINT");
      setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
    }).then(() => fs.rmSync(userDir, { recursive: true, force: true }));

  return { url, userDir, output: () => output, stop };
}

/** Installs a package directory into userDir/node_modules by symlink, as npm link would. */
function linkPackage(userDir, packageDir) {
  const target = path.join(userDir, "node_modules", ...PACKAGE.name.split("/"));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(packageDir, target, "dir");
  fs.writeFileSync(path.join(userDir, "package.json"), JSON.stringify({ name: "node-red-project", private: true, dependencies: { [PACKAGE.name]: "*" } }));
}

const STARTED_FLOWS = /Started flows|フローを開始しました|Flows sind gestartet|플로우 시작됨|Flux démarrés/;

async function waitForOutput(output, pattern, limitMs) {
  const until = Date.now() + limitMs;
  while (!pattern.test(output())) {
    if (Date.now() > until) throw new Error(`Node-RED did not log ${pattern}:\n${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForFlows(url) {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${url}/flows`, { headers: { "Node-RED-API-Version": "v2" } });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("Node-RED admin API did not answer");
}

/** Deploys flows through the admin API (full deploy) and resolves when accepted. */
async function deploy(url, flows) {
  const res = await fetch(`${url}/flows`, {
    method: "POST",
    headers: { "content-type": "application/json", "Node-RED-API-Version": "v2", "Node-RED-Deployment-Type": "full" },
    body: JSON.stringify({ flows }),
  });
  if (!res.ok) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * adminAuth settings: "admin" may do everything, "viewer" only read, and so may anonymous visitors;
 * both users log in with `password` (hashed with Node-RED's own bcrypt).
 */
function adminAuth(password) {
  const bcrypt = require(require.resolve("bcryptjs", { paths: [path.dirname(require.resolve("node-red/package.json"))] }));
  const hash = bcrypt.hashSync(password, 4);
  return {
    type: "credentials",
    users: [
      { username: "admin", password: hash, permissions: "*" },
      { username: "viewer", password: hash, permissions: "read" },
    ],
    default: { permissions: "read" },
  };
}

/** Every frame the editor's /comms websocket pushes (debug sidebar, node status, notifications); `token` logs in first. */
async function watchComms(url, token) {
  const WebSocket = require("ws");
  const frames = [];
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/comms`);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.on("message", (data) => frames.push(String(data)));
  if (token) ws.send(JSON.stringify({ auth: token }));
  for (const topic of ["debug", "status/#", "notification/#", "#"]) ws.send(JSON.stringify({ subscribe: topic }));
  return { frames, close: () => ws.close() };
}

module.exports = { startNodeRed, deploy, linkPackage, adminAuth, watchComms };
