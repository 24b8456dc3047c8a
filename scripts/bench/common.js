"use strict";
// What every bench process shares: the request each side builds, child-process plumbing, figures.
const { spawn } = require("node:child_process");
const fs = require("node:fs");

const TOKEN = "bench-token";
const USERS = "user1@xxx.com";
const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d+(\/[\w-]*)?$/;
/** Every child is killed after this long, whatever it is doing. */
const CHILD_LIMIT_MS = 180_000;

/** The exact form body cam-send-message sends for message text `alert i & more`. */
function sendMessageBody(i) {
  const message = { panelName: "messenger", message: `alert ${i} & more`, isOpened: false, generalPurposes: { users: USERS } };
  return "message=" + encodeURIComponent(JSON.stringify(message));
}

/** The manual's batch items (what cam-send-messages passes through unchanged). */
function bulkItems(n) {
  const items = new Array(n);
  for (let i = 0; i < n; i++) items[i] = { message: `bulk ${i} & more`, property: { users: USERS } };
  return items;
}

function assertLoopback(url) {
  if (!LOOPBACK.test(url)) throw new Error(`only 127.0.0.1 may be a target, not ${url}`);
}

/** Runs `node script` with a JSON argument; resolves with the object it prints as `RESULT {...}`. */
function runChild(script, arg, { nodeArgs = [], env = {}, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, JSON.stringify(arg)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    onSpawn?.(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_LIMIT_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)));
      else reject(new Error(`${script} ${arg.mode ?? ""} failed (${signal ?? code}):\n${(err + out).slice(-3000)}`));
    });
  });
}

function printResult(result) {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/** CPU seconds (user + system) of a process so far, from /proc. */
function processCpuSec(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine so far, from /proc/stat. */
function machineBusySec() {
  const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  return (user + nice + system + irq + softirq + steal) / 100;
}

function median(values) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function busyWait(us) {
  const end = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < end);
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

module.exports = {
  TOKEN,
  USERS,
  assertLoopback,
  sendMessageBody,
  bulkItems,
  runChild,
  printResult,
  processCpuSec,
  machineBusySec,
  median,
  busyWait,
  nowMs,
};
