"use strict";
// npm run bench [-- --server responder|practice-server] [--quick] [--no-install] [--out FILE]
// Everything side by side in one run on 127.0.0.1: the server, the bare undici loop and Node-RED each
// in its own process. Prints one table of figures with targets and PASS/FAIL. Bounded: every child
// is killed after 3 minutes, every loop has a fixed count. CAM_BENCH_SLOWDOWN_US=200 makes the
// bench sink (inside Node-RED, never the product) busy-wait per message, to show the figures react.
const { execFileSync, spawn } = require("node:child_process");
const http = require("node:http");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { parseArgs } = require("node:util");
const { TOKEN, assertLoopback, machineBusySec, median, processCpuSec, runChild } = require("./common");

const ROOT = path.join(__dirname, "..", "..");
const PACKAGE = require(path.join(ROOT, "package.json"));
const { values: opts } = parseArgs({
  options: {
    server: { type: "string", default: "responder" },
    quick: { type: "boolean", default: false },
    "no-install": { type: "boolean", default: false },
    /** Only the footprint and start-up rows: the noisiest figures, worth repeating on their own. */
    "startup-only": { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const N = opts.quick ? 5_000 : 20_000;
const N_CORE = opts.quick ? 2_000 : 5_000;
const WARM = 2_000;
const BURST = 5_000;
const BULK = 100_000;
const BATCH = 100;
// Start-up CPU swings by ±100 ms from one process to the next: many alternating starts, paired.
const STARTS = opts.quick ? 5 : 15;
const CONCURRENCY_LIMIT = 16; // the config node's concurrency in the bench flows
/** Other processes using more than this many cores during a run make it "busy": it is repeated. */
const BUSY_CORES = 0.3;
const ATTEMPTS = 3;
const SLOWDOWN_US = Number(process.env.CAM_BENCH_SLOWDOWN_US || 0);
/** The config node's timeout against the dripping server, and the default limit of a JSON answer. */
const DEADLINE_S = 2;
/** A users CSV near the 64 MB file limit. */
const UPLOAD_MB = 60;
const JSON_LIMIT_MB = 4;

const script = (name) => path.join(__dirname, name);
const rows = [];
const warnings = [];

function startServer(kind) {
  const args =
    kind === "practice-server"
      ? [path.join(ROOT, "nodes", "practice-server", "cli.js"), "--port", "0", "--token", TOKEN]
      : [script("responder.js"), JSON.stringify({ token: TOKEN })];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${kind} did not start`)), 30_000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening on (\S+)(?: control (\S+))?/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      assertLoopback(m[1]);
      resolve({
        kind,
        url: m[1],
        controlUrl: m[2],
        pid: child.pid,
        stop: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once("exit", done), child.kill("SIGTERM")))),
      });
    });
    child.once("exit", (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

/**
 * Runs one bench child and measures what else the machine did meanwhile: busy CPU of the whole
 * machine minus the child's, the server's and this process's own.
 */
async function measured(server, file, arg, nodeArgs = []) {
  const busy0 = machineBusySec();
  const srv0 = processCpuSec(server.pid);
  const self0 = process.cpuUsage();
  const t0 = Date.now();
  const result = await runChild(script(file), { url: server.url, controlUrl: server.controlUrl, ...arg }, { nodeArgs });
  const wall = (Date.now() - t0) / 1000;
  const self = process.cpuUsage(self0);
  const serverCpu = processCpuSec(server.pid) - srv0;
  const ours = result.lifeCpuSec + serverCpu + (self.user + self.system) / 1e6;
  result.foreignCores = Math.max(0, (machineBusySec() - busy0 - ours) / wall);
  const requests = (arg.n ?? 0) + (arg.warm ?? 0);
  if (requests > 0) result.serverCpuPerReqUs = (serverCpu * 1e6) / requests;
  return result;
}

/** Runs a set of measurements back to back; repeats the set when the machine was busy, keeps the quietest. */
async function backToBack(label, runSet) {
  let best;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const results = await runSet();
    const foreign = Math.max(...results.map((r) => r.foreignCores));
    if (!best || foreign < best.foreign) best = { results, foreign, attempt };
    if (foreign <= BUSY_CORES) break;
    console.error(`  ${label}: other processes used ${foreign.toFixed(2)} cores meanwhile; repeating (${attempt}/${ATTEMPTS})`);
  }
  if (best.foreign > BUSY_CORES)
    warnings.push(`${label}: the machine stayed busy (${best.foreign.toFixed(2)} foreign cores in the quietest of ${ATTEMPTS} runs)`);
  return best;
}

function row(figure, measuredValue, target, pass, note = "") {
  rows.push({ figure, measured: measuredValue, target, verdict: pass === undefined ? "info" : pass ? "PASS" : "FAIL", note });
}

const f0 = (x) => Math.round(x).toLocaleString("en-US");
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const f3 = (x) => x.toFixed(3);

function loadAverage() {
  return os.loadavg().map(f2).join(" ");
}

async function capacity(server) {
  const r = await measured(server, "bare.js", { mode: "send", n: N, c: 32, warm: WARM, connections: 32 });
  const perCore = 1e6 / r.serverCpuPerReqUs;
  row(
    `${server.kind}: capacity (bare undici, 32 in flight)`,
    `${f0(r.rps)} req/s; server CPU ${f1(r.serverCpuPerReqUs)} µs/req (≈ ${f0(perCore)} req/s per core)`,
    "reported",
    undefined
  );
  return { rps: r.rps, serverCpuPerReqUs: r.serverCpuPerReqUs };
}

async function throughput(server, c) {
  const arg = { mode: "send", n: N, c, warm: WARM };
  const {
    results: [bare, cam, floor],
    foreign,
  } = await backToBack(`C=${c}`, async () => [
    await measured(server, "bare.js", arg),
    await measured(server, "red.js", { ...arg, flow: "cam" }, ["--expose-gc"]),
    await measured(server, "red.js", { ...arg, flow: "direct" }, ["--expose-gc"]),
  ]);
  failuresOf(`cam-send-message C=${c}`, cam.failed, bare.errors);
  const ratio = cam.rps / bare.rps;
  const bound = (bare.rps * bare.serverCpuPerReqUs) / 1e6;
  const note = `bare ${f0(bare.rps)}/s, node ${f0(cam.rps)}/s; server busy ${Math.round(bound * 100)}% of a core; others ${f2(foreign)} cores`;
  if (bound > 0.85)
    warnings.push(
      `C=${c}: the server was ${Math.round(bound * 100)}% busy in the bare loop, so the throughput ratio is limited by the server; CPU per message is the figure that does not depend on it`
    );
  row(`Throughput C=${c}: cam-send-message / bare undici`, f3(ratio), "≥ 0.85", ratio >= 0.85, note);
  const cpuRatio = cam.cpuPerMsgUs / bare.cpuPerMsgUs;
  row(`CPU per message C=${c}: Node-RED process / bare client`, f3(cpuRatio), "≤ 1.3", cpuRatio <= 1.3, `${f1(cam.cpuPerMsgUs)} vs ${f1(bare.cpuPerMsgUs)} µs`);
  const floorNote = c === 1 ? `; median added ${f3(floor.medianMs - bare.medianMs)} ms` : "";
  row(
    `Node-RED's own floor C=${c}: a minimal node calling undici directly`,
    `${f3(floor.rps / bare.rps)} throughput, ${f3(floor.cpuPerMsgUs / bare.cpuPerMsgUs)} CPU`,
    "reported",
    undefined,
    `${f0(floor.rps)}/s, ${f1(floor.cpuPerMsgUs)} µs CPU/msg${floorNote}`
  );
  if (c === 1) {
    const added = cam.medianMs - bare.medianMs;
    row("Latency C=1: median added per message", `${f3(added)} ms`, "≤ 0.1 ms", added <= 0.1, `median ${f3(cam.medianMs)} vs ${f3(bare.medianMs)} ms`);
  }
  return cam;
}

async function versusCore(server, c, cam) {
  const {
    results: [core],
  } = await backToBack(`core C=${c}`, async () => [
    await measured(server, "red.js", { mode: "send", n: N_CORE, c, warm: Math.min(WARM, N_CORE), flow: "core" }, ["--expose-gc"]),
  ]);
  failuresOf(`http request C=${c}`, core.failed, 0);
  const ratio = cam.rps / core.rps;
  row(
    `Throughput C=${c}: cam-send-message / core http request`,
    f2(ratio),
    "≥ 4",
    ratio >= 4,
    `core ${f0(core.rps)}/s (N = ${f0(N_CORE)}), ${f1(core.cpuPerMsgUs)} µs CPU/msg`
  );
}

async function burst(server) {
  const {
    results: [cam],
  } = await backToBack("burst", async () => [await measured(server, "red.js", { mode: "burst", n: BURST, warm: WARM, flow: "cam" }, ["--expose-gc"])]);
  const sockets = Math.max(cam.peakSockets, cam.serverPeakConnections ?? 0);
  const serverSide = cam.serverPeakConnections === undefined ? "" : `, server saw ${cam.serverPeakConnections}`;
  row(
    `Burst ${f0(BURST)}: peak open sockets`,
    String(sockets),
    `≤ ${CONCURRENCY_LIMIT}`,
    sockets <= CONCURRENCY_LIMIT,
    `sampled in the Node-RED process every 2 ms: ${cam.peakSockets}${serverSide}`
  );
  row(`Burst ${f0(BURST)}: RSS growth`, `${f1(cam.rssGrowthMB)} MB`, "≤ 40 MB", cam.rssGrowthMB <= 40, `all done in ${f0(cam.elapsedMs)} ms`);
  const accounted = cam.ok + cam.failed;
  row(
    `Burst ${f0(BURST)}: messages accounted for`,
    `${f0(accounted)} (${f0(cam.ok)} sent, ${f0(cam.failed)} errors)`,
    `= ${f0(BURST)}`,
    accounted === BURST && cam.ok === BURST
  );
  const core = await measured(server, "red.js", { mode: "burst", n: BURST, warm: WARM, flow: "core" }, ["--expose-gc"]).catch((err) => ({
    error: err.message,
  }));
  if (core.error) row("Burst, core http request (for comparison)", "failed", "-", undefined, core.error.split("\n")[0]);
  else
    row(
      "Burst, core http request (for comparison)",
      `${core.peakSockets} sockets, RSS +${f1(core.rssGrowthMB)} MB`,
      "-",
      undefined,
      `${f0(core.ok)} sent, ${f0(core.failed)} errors`
    );
}

async function bulk(server) {
  const arg = { mode: "bulk", n: BULK, batchSize: BATCH };
  const {
    results: [bare, cam],
    foreign,
  } = await backToBack("bulk", async () => [
    await measured(server, "bare.js", arg),
    await measured(server, "red.js", { ...arg, flow: "cam" }, ["--expose-gc"]),
  ]);
  if (!cam.ok) warnings.push(`bulk: cam-send-messages did not report ${BULK} sent (${cam.count}; ${cam.error ?? ""})`);
  failuresOf("bulk, bare", bare.errors, 0);
  const ratio = cam.elapsedMs / bare.elapsedMs;
  row(
    `Bulk ${f0(BULK)} in batches of ${BATCH}: time cam-send-messages / bare`,
    f3(ratio),
    "≤ 1.2",
    ratio <= 1.2 && cam.ok === 1,
    `${f0(cam.elapsedMs)} vs ${f0(bare.elapsedMs)} ms; others ${f2(foreign)} cores`
  );
  row(`Bulk ${f0(BULK)}: peak RSS growth`, `${f1(cam.rssGrowthMB)} MB`, "≤ 150 MB", cam.rssGrowthMB <= 150, "from before the input array was built");
}

/**
 * A server that does not play fair, in this process: /drip answers one byte every 100 ms forever,
 * /flood sends 64 KB chunks of JSON as fast as the client reads them, forever.
 */
async function hostileServer() {
  const chunk = Buffer.alloc(65_536, " ");
  const server = http.createServer((req, res) => {
    if (req.url.endsWith("/updateUsersCSV")) {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"status":200,"updated":0,"created":0}'));
      return;
    }
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    if (req.url.startsWith("/drip")) {
      const timer = setInterval(() => res.write(" "), 100);
      res.on("close", () => clearInterval(timer));
      return;
    }
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once("drain", pump);
    };
    pump();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, stop: () => (server.closeAllConnections(), new Promise((resolve) => server.close(resolve))) };
}

/** The timeout is a deadline, and an answer over the size limit costs no more memory than the limit. */
async function hostile() {
  const server = await hostileServer();
  try {
    const run = (path) =>
      runChild(script("red.js"), { mode: "hostile", url: `${server.url}${path}`, timeout: DEADLINE_S, flow: "cam" }, { nodeArgs: ["--expose-gc"] });
    const drip = await run("/drip");
    const seconds = drip.elapsedMs / 1000;
    row(
      `Deadline: a body dripping a byte every 100 ms, timeout ${DEADLINE_S} s`,
      `${f2(seconds)} s, ${drip.code}`,
      `≤ ${DEADLINE_S + 1} s, TIMEOUT`,
      drip.code === "TIMEOUT" && seconds <= DEADLINE_S + 1,
      "send message, in the Node-RED process"
    );
    const flood = await run("/flood");
    const bound = JSON_LIMIT_MB + 8;
    row(
      "Size limit: an endless JSON answer, RSS growth",
      `${f1(flood.rssGrowthMB)} MB, ${flood.code}`,
      `≤ ${bound} MB (the ${JSON_LIMIT_MB} MB limit + 8), RESPONSE_TOO_LARGE`,
      flood.code === "RESPONSE_TOO_LARGE" && flood.rssGrowthMB <= bound,
      "peak over the value before, sampled every 2 ms"
    );
    const upload = await runChild(script("red.js"), { mode: "upload", url: server.url, megabytes: UPLOAD_MB, flow: "cam" });
    row(
      `Upload: a ${UPLOAD_MB} MB users CSV (Buffer), longest event-loop stall`,
      `${f1(upload.maxStallMs)} ms, ${upload.ok ? "sent" : upload.code}`,
      "≤ 100 ms, sent",
      upload.ok === 1 && upload.maxStallMs <= 100,
      `update users, in the Node-RED process; whole upload ${f0(upload.elapsedMs)} ms`
    );
  } finally {
    await server.stop();
  }
}

/** Fresh processes, alternating: no package; the package installed, flows empty; the package with a flow using it. */
async function startup(server, installDir) {
  // CPU time from process start to flows started: on a shared machine wall time mostly measures the neighbours.
  const times = { without: [], installed: [], used: [] };
  const walls = { without: [], installed: [], used: [] };
  const loads = [];
  const expected = Object.keys(PACKAGE["node-red"].nodes).length;
  for (let i = 0; i < STARTS; i++) {
    const start = (extra) => runChild(script("red.js"), { mode: "startup", url: server.url, installDir, ...extra });
    for (const [kind, extra] of [
      ["without", { withPackage: false }],
      ["installed", { withPackage: true }],
      ["used", { withPackage: true, withFlow: true }],
    ]) {
      const r = await start(extra);
      times[kind].push(r.startedCpuMs);
      walls[kind].push(r.startedMs);
      if (kind === "used") {
        loads.push(r.loadMs + r.registerMs);
        if (r.files !== expected) warnings.push(`start-up: ${r.files} node files loaded, not ${expected}`);
      }
    }
  }
  const how = installDir ? "the packed package installed with --omit=dev" : `this checkout linked (${opts["no-install"] ? "--no-install" : "npm pack failed"})`;
  const load = median(loads);
  row(
    "Start-up: loading + registering all node modules",
    `${f1(load)} ms`,
    "≤ 30 ms",
    load <= 30,
    `median of ${STARTS} fresh processes, timed inside the embedded runtime; ${how}`
  );
  const base = median(times.without);
  // each start with the package against the start without it just before: slow drifts cancel out
  const paired = (kind) => times[kind].map((ms, i) => ms - times.without[i]);
  const spread = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${f0(sorted[Math.floor(sorted.length / 4)])}…${f0(sorted[Math.floor((sorted.length * 3) / 4)])}`;
  };
  const delta = median(paired("installed"));
  const wall = (kind) => f0(median(walls[kind]));
  row(
    "Start-up: Node-RED start, package installed − not installed",
    `${f1(delta)} ms CPU`,
    "≤ 100 ms",
    delta <= 100,
    `median of ${STARTS} paired starts (middle half ${spread(paired("installed"))} ms); median CPU ${f0(median(times.installed))} vs ${f0(base)} ms from process start to flows started (wall ${wall("installed")} vs ${wall("without")} ms)`
  );
  const usedDelta = median(paired("used"));
  row(
    "Start-up: the same with a flow using the package",
    `${f1(usedDelta)} ms CPU`,
    "reported",
    undefined,
    `includes loading undici for the config node's client (wall ${wall("used")} ms)`
  );
}

/** Dependencies, tarball, and the tarball installed into a temp dir; returns that dir (for start-up) or undefined. */
function footprint(dir) {
  const deps = Object.keys(PACKAGE.dependencies ?? {});
  row("Runtime dependencies", `${deps.length} (${deps.join(", ")})`, "≤ 3", deps.length <= 3);
  const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  row(
    "Packed tarball",
    `${f1(pack.size / 1024)} KB`,
    "≤ 250 KB",
    pack.size <= 250 * 1024,
    `${pack.entryCount} files, ${f1(pack.unpackedSize / 1024)} KB unpacked`
  );
  if (opts["no-install"]) return undefined;
  try {
    const tarball = execFileSync("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split("\n")
      .pop();
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-install", version: "0.0.0", private: true }));
    execFileSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts", path.join(dir, tarball)], {
      cwd: dir,
      stdio: "ignore",
      timeout: 120_000,
    });
    const kb = Number(execFileSync("du", ["-sk", path.join(dir, "node_modules")], { encoding: "utf8" }).split("\t")[0]);
    const own = Number(execFileSync("du", ["-sk", path.join(dir, "node_modules", ...PACKAGE.name.split("/"))], { encoding: "utf8" }).split("\t")[0]);
    row("Installed size (npm install --omit=dev)", `${f1(kb / 1024)} MB`, "reported", undefined, `this package ${f0(own)} KB, the rest its dependencies`);
    return dir;
  } catch (err) {
    row("Installed size (npm install --omit=dev)", "not measured", "reported", undefined, err.message.split("\n")[0]);
    return undefined;
  }
}

function failuresOf(label, nodeFailed, bareErrors) {
  if (nodeFailed || bareErrors) warnings.push(`${label}: ${nodeFailed} node errors, ${bareErrors} bare errors`);
}

function table() {
  const header = ["Figure", "Measured", "Target", "Result", "Notes"];
  const lines = [header, header.map(() => "---"), ...rows.map((r) => [r.figure, r.measured, r.target, r.verdict, r.note])];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  const nodeRed = require("node-red/package.json").version;
  const undici = require("undici/package.json").version;
  return `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${os.cpus().length} cores (nproc ${execFileSync("nproc", { encoding: "utf8" }).trim()}), ${cpu} · Node ${process.version} · Node-RED ${nodeRed} · undici ${undici}`;
}

async function main() {
  const started = Date.now();
  const header = machine();
  const loadStart = loadAverage();
  console.error(
    `bench: ${header}\nbench: load average at start ${loadStart}${SLOWDOWN_US ? `\nbench: CAM_BENCH_SLOWDOWN_US=${SLOWDOWN_US} (deliberate slowdown in the bench sink)` : ""}`
  );
  const primaryKind = opts.server === "practice-server" ? "practice-server" : "responder";
  const otherKind = primaryKind === "practice-server" ? "responder" : "practice-server";
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cam-bench-install-"));
  const primary = await startServer(primaryKind);
  const other = await startServer(otherKind);
  try {
    const step = (name) => console.error(`bench: ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
    if (!opts["startup-only"]) {
      step("server capacities");
      await capacity(primary);
      await capacity(other);
      await other.stop();
      for (const c of [1, 16]) {
        step(`throughput C=${c}`);
        const cam = await throughput(primary, c);
        step(`core http request C=${c}`);
        await versusCore(primary, c, cam);
      }
      step("burst");
      await burst(primary);
      step("bulk");
      await bulk(primary);
      step("hostile servers");
      await hostile();
    }
    step("footprint");
    const installDir = footprint(tmp);
    step("start-up");
    await startup(primary, installDir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    await other.stop();
    await primary.stop();
  }
  const failed = rows.filter((r) => r.verdict === "FAIL").length;
  const out = [
    `Benchmark ${header}`,
    `Server: ${primaryKind} (own process, 127.0.0.1). N = ${f0(N)} per throughput run (core http request: ${f0(N_CORE)}), ${f0(WARM)} warm-up messages first.${SLOWDOWN_US ? ` DELIBERATE SLOWDOWN: ${SLOWDOWN_US} µs per message in the bench sink.` : ""}`,
    `Load average at start ${loadStart}, at end ${loadAverage()}; took ${Math.round((Date.now() - started) / 1000)} s.`,
    "",
    table(),
    "",
    ...warnings.map((w) => `Warning: ${w}`),
    `${rows.filter((r) => r.verdict === "PASS").length} passed, ${failed} failed.`,
  ].join("\n");
  console.log(out);
  if (opts.out) fs.writeFileSync(opts.out, out + "\n");
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err.stack ?? err);
  process.exit(2);
});
