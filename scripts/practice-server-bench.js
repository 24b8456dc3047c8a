// sendMessage throughput of the practice server, with keep-alive connections from this process to a practice server
// started as a separate process (or --url of a running one, loopback only).
//   node scripts/practice-server-bench.js [--seconds 5] [--connections 32] [--url http://127.0.0.1:8080 --token T]
// Run `npm run build` first. Bounded in time and in count; stops by itself.
const { spawn } = require("node:child_process");
const path = require("node:path");
const { parseArgs } = require("node:util");
const { Pool } = require("undici");

const MAX_SECONDS = 60;
const MAX_REQUESTS = 2_000_000;
const LOOPBACK = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/;

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "32" },
    url: { type: "string" },
    token: { type: "string", default: "bench-token" },
    // like open web pages: an event stream each, refetching /_practice/state on every "changed" event
    watchers: { type: "string", default: "0" },
  },
});
const seconds = Math.min(MAX_SECONDS, Number(values.seconds));
const connections = Number(values.connections);

function startPracticeServer() {
  const cli = spawn(process.execPath, [path.join(__dirname, "..", "nodes", "practice-server", "cli.js"), "--port", "0", "--token", values.token], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    cli.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => new Promise((done) => (cli.on("exit", done), cli.kill("SIGTERM"))) });
    });
    cli.on("exit", (code) => reject(new Error(`practice server exited with ${code}`)));
  });
}

async function main() {
  const practiceServer = values.url ? { url: values.url.replace(/\/$/, ""), stop: async () => {} } : await startPracticeServer();
  if (!LOOPBACK.test(practiceServer.url)) throw new Error(`only a loopback practice server may be benchmarked, not ${practiceServer.url}`);
  const pool = new Pool(practiceServer.url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const headers = { "x-cam-apiToken": values.token, "content-type": "application/x-www-form-urlencoded" };
  const body = (i) =>
    new URLSearchParams({
      message: JSON.stringify({ panelName: "general", message: `bench ${i} & more`, isOpened: false, generalPurposes: { users: "user1@xxx.com" } }),
    }).toString();

  let sent = 0;
  let ok = 0;
  let failed = 0;
  const latencies = [];
  const request = async () => {
    const i = sent++;
    const t0 = process.hrtime.bigint();
    try {
      const res = await pool.request({ path: "/sendMessage", method: "POST", headers, body: body(i) });
      const text = await res.body.text();
      if (res.statusCode === 200 && text === '{"status":200}') ok++;
      else failed++;
    } catch {
      failed++;
    }
    if ((i & 7) === 0) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };

  let refetches = 0;
  const watchers = [];
  for (let w = 0; w < Number(values.watchers); w++) {
    const controller = new AbortController();
    watchers.push(controller);
    fetch(`${practiceServer.url}/_practice/events`, { signal: controller.signal })
      .then(async (res) => {
        const decoder = new TextDecoder();
        for await (const chunk of res.body) {
          if (decoder.decode(chunk).includes("event: changed")) {
            await (await fetch(`${practiceServer.url}/_practice/state`)).json();
            refetches++;
          }
        }
      })
      .catch(() => {});
  }

  // warm-up
  const warmEnd = Date.now() + 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < warmEnd) await request();
    })
  );
  sent = ok = failed = 0;
  latencies.length = 0;

  const start = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end && sent < MAX_REQUESTS) await request();
    })
  );
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;

  for (const controller of watchers) controller.abort();
  const recorded = await (await fetch(`${practiceServer.url}/_practice/requests?limit=1`)).json();
  await pool.close();
  await practiceServer.stop();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]?.toFixed(2);
  console.log(
    JSON.stringify(
      {
        operation: "sendMessage",
        connections,
        seconds: +elapsed.toFixed(2),
        requests: ok + failed,
        ok,
        failed,
        requestsPerSecond: Math.round((ok + failed) / elapsed),
        latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99) },
        recordedTotal: recorded.total,
        watchers: watchers.length,
        stateRefetches: refetches,
      },
      null,
      2
    )
  );
  if (failed > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
