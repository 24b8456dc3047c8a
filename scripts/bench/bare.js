"use strict";
// The best a client can do: a bare undici request() loop with exactly C requests in flight, building
// the same form body and header per request as cam-send-message, checking each answer the same way.
const { Agent, request } = require("undici");
const { TOKEN, assertLoopback, bulkItems, median, nowMs, printResult, sendMessageBody } = require("./common");

const arg = JSON.parse(process.argv[2]);
assertLoopback(arg.url);
const dispatcher = new Agent({ connections: arg.connections ?? 16, keepAliveTimeout: 4_000 });
let errors = 0;

async function post(apiName, body) {
  const headers = { "x-cam-apiToken": TOKEN, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  const res = await request(`${arg.url}/${apiName}`, { dispatcher, method: "POST", headers, body });
  const text = await res.body.text();
  const data = JSON.parse(text);
  if (res.statusCode !== 200 || data.status !== 200) errors++;
  return data;
}

/** n requests, c in flight; per-request latency when asked. */
async function loop(n, c, latencies) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = latencies ? nowMs() : 0;
      await post("sendMessage", sendMessageBody(i));
      if (latencies) latencies.push(nowMs() - t0);
    }
  };
  await Promise.all(Array.from({ length: c }, worker));
}

async function bulk(items, size) {
  for (let from = 0; from < items.length; from += size) {
    await post("sendMessages", "messages=" + encodeURIComponent(JSON.stringify(items.slice(from, from + size))));
  }
}

async function main() {
  const result = { mode: arg.mode };
  if (arg.mode === "bulk") {
    await bulk(bulkItems(2_000), arg.batchSize); // warm-up
    const items = bulkItems(arg.n);
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    await bulk(items, arg.batchSize);
    result.elapsedMs = nowMs() - t0;
    const cpu = process.cpuUsage(cpu0);
    result.cpuUs = cpu.user + cpu.system;
  } else {
    await loop(arg.warm, arg.c);
    errors = 0;
    const latencies = arg.c === 1 ? [] : undefined;
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    await loop(arg.n, arg.c, latencies);
    result.elapsedMs = nowMs() - t0;
    const cpu = process.cpuUsage(cpu0);
    result.cpuUs = cpu.user + cpu.system;
    result.sysUs = cpu.system;
    result.rps = arg.n / (result.elapsedMs / 1000);
    result.cpuPerMsgUs = result.cpuUs / arg.n;
    if (latencies) result.medianMs = median(latencies);
  }
  result.errors = errors;
  const life = process.cpuUsage();
  result.lifeCpuSec = (life.user + life.system) / 1e6;
  await dispatcher.close();
  printResult(result);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
