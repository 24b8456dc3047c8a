"use strict";
// A real Node-RED runtime embedded in this process (no test helper, no spies): this package linked
// into a temp user dir, the bench sink from ./nodes, flows from a file. Drives messages with
// node.receive() and counts what reaches the sink. Modes: send, burst, bulk, startup, hostile, upload.
const fs = require("node:fs");
const http = require("node:http");
const { monitorEventLoopDelay } = require("node:perf_hooks");
const os = require("node:os");
const path = require("node:path");
const { TOKEN, USERS, assertLoopback, bulkItems, median, nowMs, printResult } = require("./common");
const hub = require("./hub");

const ROOT = path.join(__dirname, "..", "..");
const PACKAGE = require(path.join(ROOT, "package.json"));
const arg = JSON.parse(process.argv[2]);
if (arg.url) assertLoopback(arg.url);
const CONCURRENCY = 16;
const WAIT_LIMIT_MS = 120_000;

const loadTimes = arg.mode === "startup" && arg.withPackage ? timeOurModules() : undefined;

/** Wraps module loading to time every top-level require of this package's node files and their registration. */
function timeOurModules() {
  const Module = require("node:module");
  const marker = `${PACKAGE.name.split("/").pop()}${path.sep}nodes${path.sep}`;
  const times = { loadMs: 0, registerMs: 0, files: 0 };
  const realLoad = Module._load;
  let depth = 0;
  Module._load = function (request, ...rest) {
    if (depth > 0 || typeof request !== "string" || !path.isAbsolute(request) || !request.includes(marker)) {
      return realLoad.call(this, request, ...rest);
    }
    depth++;
    const t0 = performance.now();
    try {
      const exported = realLoad.call(this, request, ...rest);
      times.files++;
      if (typeof exported !== "function") return exported;
      return function register(...args) {
        const r0 = performance.now();
        try {
          return exported.apply(this, args);
        } finally {
          times.registerMs += performance.now() - r0;
        }
      };
    } finally {
      depth--;
      times.loadMs += performance.now() - t0;
    }
  };
  return times;
}

function camFlow() {
  return [
    { id: "tab", type: "tab", label: "bench" },
    { id: "cfg", type: "cam-config", name: "bench", serverURL: arg.url, concurrency: CONCURRENCY, timeout: arg.timeout ?? 30, retries: 0 },
    {
      id: "entry",
      type: "cam-send-message",
      z: "tab",
      server: "cfg",
      sendTo: "direct",
      users: USERS,
      usersType: "str",
      recipients: USERS,
      recipientsType: "str",
      message: "payload",
      messageType: "msg",
      sealed: "false",
      sealedType: "bool",
      wires: [["sink"]],
    },
    ...sinks(),
  ];
}

/** The floor: a minimal node calling undici directly. */
function directFlow() {
  return [{ id: "tab", type: "tab", label: "bench" }, { id: "entry", type: "bench-direct", z: "tab", url: arg.url, wires: [["sink"]] }, ...sinks()];
}

function uploadFlow() {
  return [
    { id: "tab", type: "tab", label: "bench" },
    { id: "cfg", type: "cam-config", name: "bench", serverURL: arg.url, timeout: 60, retries: 0 },
    { id: "entry", type: "cam-update-users", z: "tab", server: "cfg", wires: [["sink"]] },
    ...sinks(),
  ];
}

function bulkFlow() {
  return [
    { id: "tab", type: "tab", label: "bench" },
    { id: "cfg", type: "cam-config", name: "bench", serverURL: arg.url, concurrency: CONCURRENCY, timeout: arg.timeout ?? 30, retries: 0 },
    { id: "entry", type: "cam-send-messages", z: "tab", server: "cfg", messages: "payload", messagesType: "msg", batchSize: arg.batchSize, wires: [["sink"]] },
    ...sinks(),
  ];
}

/** What a user builds without this package: a function node for header and form body, then `http request`. */
function coreFlow() {
  const func = `msg.headers = { "x-cam-apiToken": ${JSON.stringify(TOKEN)}, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
msg.payload = "message=" + encodeURIComponent(JSON.stringify({ panelName: "messenger", message: msg.payload, isOpened: false, generalPurposes: { users: ${JSON.stringify(USERS)} } }));
return msg;`;
  return [
    { id: "tab", type: "tab", label: "bench" },
    { id: "entry", type: "function", z: "tab", func, outputs: 1, noerr: 0, wires: [["http"]] },
    {
      id: "http",
      type: "http request",
      z: "tab",
      method: "POST",
      ret: "obj",
      paytoqs: "ignore",
      url: `${arg.url}/sendMessage`,
      persist: true,
      wires: [["sink"]],
    },
    ...sinks(),
  ];
}

function sinks() {
  return [
    { id: "sink", type: "bench-sink", z: "tab", kind: "ok", wires: [] },
    { id: "catch", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["errors"]] },
    { id: "errors", type: "bench-sink", z: "tab", kind: "error", wires: [] },
  ];
}

/** Nodes on a tab need x and y, or the runtime takes them for config nodes. */
const placed = (flows) => flows.map((n, i) => (n.z ? { x: 100 + 150 * i, y: 100, ...n } : n));

function userDirWith(flows, withPackage) {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-bench-"));
  fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(placed(flows)));
  fs.writeFileSync(path.join(userDir, "flows_cred.json"), JSON.stringify({ cfg: { apiToken: TOKEN } }));
  const dependencies = {};
  if (withPackage && arg.installDir) {
    // The packed package as npm installed it (--omit=dev): what users get.
    fs.symlinkSync(path.join(arg.installDir, "node_modules"), path.join(userDir, "node_modules"), "dir");
    dependencies[PACKAGE.name] = PACKAGE.version;
  } else if (withPackage) {
    const target = path.join(userDir, "node_modules", ...PACKAGE.name.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(ROOT, target, "dir");
    dependencies[PACKAGE.name] = PACKAGE.version;
  }
  fs.writeFileSync(path.join(userDir, "package.json"), JSON.stringify({ name: "bench-user-dir", version: "0.0.0", dependencies }));
  return userDir;
}

async function startRed(flows, withPackage) {
  const userDir = userDirWith(flows, withPackage);
  process.on("exit", () => fs.rmSync(userDir, { recursive: true, force: true }));
  const RED = require("node-red");
  RED.init(http.createServer(), {
    userDir,
    nodesDir: [path.join(__dirname, "nodes")],
    flowFile: "flows.json",
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    editorTheme: { tours: false, palette: { catalogues: [] } },
    logging: { console: { level: "warn", metrics: false, audit: false } },
  });
  const started = new Promise((resolve) => RED.events.once("flows:started", resolve));
  await RED.start();
  await started;
  return RED;
}

function bounded(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not finished after ${WAIT_LIMIT_MS} ms`)), WAIT_LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const succeeded = (msg, ok) => ok && msg.payload?.status === 200;

/** Exactly c messages in flight until n have left the flow; latencies only at c = 1. */
function drive(entry, n, c, latencies) {
  return bounded(
    new Promise((resolve) => {
      let sent = 0;
      let arrived = 0;
      const counts = { ok: 0, failed: 0 };
      const inject = () => {
        const i = sent++;
        entry.receive({ payload: `alert ${i} & more`, _benchT0: latencies ? nowMs() : 0 });
      };
      hub.onMessage = (msg, ok) => {
        if (succeeded(msg, ok)) counts.ok++;
        else counts.failed++;
        if (latencies) latencies.push(nowMs() - msg._benchT0);
        if (++arrived === n) resolve(counts);
        else if (sent < n) inject();
      };
      for (let k = 0; k < Math.min(c, n); k++) inject();
    }),
    "drive"
  );
}

/** Samples RSS and open TCP sockets of this process every few ms. */
function sampler() {
  let peakRss = 0;
  let peakHeap = 0;
  let peakSockets = 0;
  const sample = () => {
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed + memory.external);
    let sockets = 0;
    for (const r of process.getActiveResourcesInfo()) if (r === "TCPSocketWrap") sockets++;
    peakSockets = Math.max(peakSockets, sockets);
  };
  sample();
  const timer = setInterval(sample, 2);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRss, peakHeap, peakSockets };
    },
  };
}

function measure(fn) {
  return async (...args) => {
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    const out = await fn(...args);
    const cpu = process.cpuUsage(cpu0);
    return { ...out, elapsedMs: nowMs() - t0, cpuUs: cpu.user + cpu.system, sysUs: cpu.system };
  };
}

async function responderStats(reset) {
  if (!arg.controlUrl) return undefined;
  assertLoopback(arg.controlUrl);
  const res = await fetch(`${arg.controlUrl}/_bench/${reset ? "reset" : "stats"}`);
  return res.json();
}

async function main() {
  const result = { mode: arg.mode, flow: arg.flow };
  if (arg.mode === "startup") {
    const flows = arg.withFlow ? camFlow() : [{ id: "tab", type: "tab", label: "bench" }];
    await startRed(flows, arg.withPackage);
    result.startedMs = performance.now();
    const cpu = process.cpuUsage();
    result.startedCpuMs = (cpu.user + cpu.system) / 1000;
    if (loadTimes) Object.assign(result, loadTimes);
  } else {
    const flows =
      arg.mode === "bulk"
        ? bulkFlow()
        : arg.mode === "upload"
          ? uploadFlow()
          : arg.flow === "core"
            ? coreFlow()
            : arg.flow === "direct"
              ? directFlow()
              : camFlow();
    const RED = await startRed(flows, arg.flow === "cam");
    const entry = RED.nodes.getNode("entry");
    if (!entry) throw new Error("the entry node did not start");

    if (arg.mode === "send") {
      await drive(entry, arg.warm, arg.c);
      const latencies = arg.c === 1 ? [] : undefined;
      const out = await measure(drive)(entry, arg.n, arg.c, latencies);
      Object.assign(result, out, { rps: arg.n / (out.elapsedMs / 1000), cpuPerMsgUs: out.cpuUs / arg.n });
      if (latencies) result.medianMs = median(latencies);
    } else if (arg.mode === "burst") {
      await drive(entry, arg.warm, CONCURRENCY);
      global.gc();
      const rss0 = process.memoryUsage.rss();
      const heap0 = process.memoryUsage().heapUsed + process.memoryUsage().external;
      await responderStats(true);
      const s = sampler();
      const out = await measure(drive)(entry, arg.n, arg.n);
      const peaks = s.stop();
      const server = await responderStats(false);
      Object.assign(result, out, {
        rssGrowthMB: (peaks.peakRss - rss0) / 2 ** 20,
        heapGrowthMB: (peaks.peakHeap - heap0) / 2 ** 20,
        peakSockets: peaks.peakSockets,
        serverPeakConnections: server?.peak,
      });
    } else if (arg.mode === "hostile") {
      global.gc();
      const rss0 = process.memoryUsage.rss();
      const s = sampler();
      const out = await measure(hostileOnce)(entry);
      const peaks = s.stop();
      Object.assign(result, out, { rssGrowthMB: (peaks.peakRss - rss0) / 2 ** 20 });
    } else if (arg.mode === "upload") {
      const line = "user@example.com,Some User,Department\n";
      const csv = Buffer.from("email,name,department\n" + line.repeat(Math.ceil((arg.megabytes * 2 ** 20) / line.length)));
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const out = await measure(uploadOnce)(entry, csv);
      delay.disable();
      Object.assign(result, out, { maxStallMs: delay.max / 1e6 });
    } else if (arg.mode === "bulk") {
      await bulkOnce(entry, bulkItems(2_000));
      global.gc();
      const rss0 = process.memoryUsage.rss();
      const s = sampler();
      const out = await measure(bulkOnce)(entry, bulkItems(arg.n));
      const peaks = s.stop();
      Object.assign(result, out, { rssGrowthMB: (peaks.peakRss - rss0) / 2 ** 20 });
    }
    await RED.stop();
  }
  const life = process.cpuUsage();
  result.lifeCpuSec = (life.user + life.system) / 1e6;
  printResult(result);
  process.exit(0);
}

/** One message against a server that does not play fair: how it ended. */
function hostileOnce(entry) {
  return bounded(
    new Promise((resolve) => {
      hub.onMessage = (msg, ok) => resolve({ ok: ok ? 1 : 0, code: ok ? undefined : msg.error?.code });
      entry.receive({ payload: "alert" });
    }),
    "hostile"
  );
}

/** One users CSV upload: how it ended. */
function uploadOnce(entry, csv) {
  return bounded(
    new Promise((resolve) => {
      hub.onMessage = (msg, ok) => resolve({ ok: ok ? 1 : 0, code: ok ? undefined : msg.error?.code });
      entry.receive({ payload: csv });
    }),
    "upload"
  );
}

/** One message carrying all items; done when the node has sent every batch. */
function bulkOnce(entry, items) {
  return bounded(
    new Promise((resolve) => {
      hub.onMessage = (msg, ok) =>
        resolve({ ok: ok && msg.payload?.count === items.length ? 1 : 0, count: msg.payload?.count, error: ok ? undefined : String(msg.error?.message) });
      const t0 = nowMs();
      entry.receive({ payload: items, _benchT0: t0 });
    }),
    "bulk"
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
