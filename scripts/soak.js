#!/usr/bin/env node
"use strict";
/*
 * Soak: N messages through a real Node-RED runtime (cam-config → cam-send-message, Catch node)
 * into the practice server, which injects faults into a share of all requests (retries included):
 * 491 and 503 error answers, HTTP 503, HTTP 500, connections dropped before or after processing,
 * and stalls longer than the timeout. Every message is then accounted for against the practice server's
 * recorded requests.
 *
 *   npm run build && npm run soak -- [--messages 5000] [--faults 0.2] [--seed 42]
 *
 * test/end-to-end/soak.test.js runs a shorter variant with the same checks.
 */
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
/** Shares of all requests (they add up to 1), and whether the client should retry them. */
const FAULT_MIX = [
  { name: "491", weight: 4, retryable: true, fault: { kind: "error520", code: "491" } },
  { name: "503", weight: 3, retryable: true, fault: { kind: "error520", code: "503" } },
  { name: "HTTP 503", weight: 2, retryable: true, fault: { kind: "http503" } },
  { name: "HTTP 500", weight: 3, retryable: false, fault: { kind: "http500" } },
  { name: "drop", weight: 3, retryable: false, fault: { kind: "drop" } },
  { name: "drop-after", weight: 2, retryable: false, fault: { kind: "drop-after" } },
  { name: "stall", weight: 3, retryable: false, fault: { kind: "delay", delayMs: 4000 } },
];
const RETRYABLE_FAULTS = new Set(["491", "503", "HTTP 503"]);
/** Errors that say the message was certainly not delivered. */
const NOT_DELIVERED_CODES = new Set(["491", "503", "HTTP_503", "HTTP_500", "NETWORK", "QUEUE_FULL", "CLOSED"]);
const MAYBE_CODES = new Set(["MAYBE_DELIVERED", "TIMEOUT"]);

async function runSoak({ messages = 5000, faults = 0.2, seed = 42, concurrency = 32, progress } = {}) {
  const { helper, catchNode, control } = require(path.join(ROOT, "test", "support"));
  const practiceServerModule = require(path.join(ROOT, "nodes", "practice-server"));
  const configNode = require(path.join(ROOT, "nodes", "cam-config.js"));
  const sendMessageNode = require(path.join(ROOT, "nodes", "cam-send-message.js"));

  const practiceServer = await practiceServerModule.start({ port: 0, quiet: true, maxRecorded: messages * 4 + 1000 });
  const started = Date.now();
  try {
    const flow = [
      { id: "f1", type: "tab" },
      // The 2 s timeout leaves room for a busy event loop (the practice server runs in this process) and is
      // well below the 4 s stall. A short back-off keeps the run quick; with 5 retries a message fails
      // on retryable faults alone only if six tries in a row meet one (about 1 in 10^6 at 20%).
      { id: "server", type: "cam-config", serverURL: practiceServer.url, concurrency, queueLimit: messages, retries: 5, maxRetryDelay: 0.05, timeout: 2 },
      { id: "n1", z: "f1", type: "cam-send-message", server: "server", recipients: "user1@xxx.com", wires: [["out"]] },
      { id: "out", z: "f1", type: "helper" },
      { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
      { id: "err", z: "f1", type: "helper" },
    ];
    await helper.load([configNode, sendMessageNode, catchNode], flow, { server: { apiToken: practiceServer.tokens.admin } });
    await addFaults(control, practiceServer, faults, seed);

    const ends = new Map();
    let endCount = 0;
    let duplicateEnds = 0;
    const record = (id, end) => {
      endCount++;
      if (ends.has(id)) duplicateEnds++;
      else ends.set(id, end);
    };
    let resolveAll;
    const allEnded = new Promise((resolve) => (resolveAll = resolve));
    const check = () => endCount >= messages && resolveAll();
    helper.getNode("out").on("input", (msg) => (record(msg.soakId, { ok: true }), check()));
    helper.getNode("err").on("input", (msg) => (record(msg.soakId, { code: msg.error.code }), check()));

    const node = helper.getNode("n1");
    for (let i = 0; i < messages; i++) node.receive({ soakId: i, payload: `soak ${i}` });
    const hang = setTimeout(() => resolveAll(), Math.max(60_000, messages * 40));
    await allEnded;
    clearTimeout(hang);
    const seconds = (Date.now() - started) / 1000;
    progress?.(`all ${endCount} messages ended after ${seconds.toFixed(1)} s; reading the practice server's records`);

    await control(practiceServer, "DELETE", "faults");
    const { requests } = await control(practiceServer, "GET", `requests?limit=${messages * 4 + 1000}`);
    await helper.unload();
    return account({ messages, ends, endCount, duplicateEnds, requests, seconds });
  } finally {
    await practiceServer.close();
  }
}

/** Probability faults are tried in order, so each one's probability is its share of what is left. */
async function addFaults(control, practiceServer, share, seed) {
  const total = FAULT_MIX.reduce((sum, f) => sum + f.weight, 0);
  let left = 1;
  for (const [i, f] of FAULT_MIX.entries()) {
    const p = (share * f.weight) / total;
    await control(practiceServer, "POST", "faults", { ...f.fault, probability: Math.min(1, p / left), ...(i === 0 ? { seed } : {}) });
    left -= p;
  }
}

function faultName(request) {
  const o = request.outcome;
  if (!o.fault) return null;
  if (o.fault === "error520") return o.code;
  if (o.fault === "http503") return "HTTP 503";
  if (o.fault === "http500") return "HTTP 500";
  if (o.fault === "delay") return "stall";
  return o.fault;
}

function account({ messages, ends, endCount, duplicateEnds, requests, seconds }) {
  const attempts = new Map();
  for (const request of requests) {
    const id = Number(/^soak (\d+)$/.exec(messageText(request))?.[1]);
    if (!Number.isInteger(id)) continue;
    if (!attempts.has(id)) attempts.set(id, []);
    attempts.get(id).push(request);
  }
  const figures = {
    sent: messages,
    seconds,
    requests: requests.length,
    faultsInjected: requests.filter((r) => r.outcome.fault).length,
    faultsByKind: {},
    outputs: 0,
    errors: 0,
    errorsByCode: {},
    lost: 0,
    duplicateEnds,
    processedTwice: 0,
    outputNotProcessedOnce: 0,
    errorButProcessed: 0,
    maybeActuallyDelivered: 0,
    maybeNotDelivered: 0,
    errorsWithoutFault: 0,
    retryableOnly: 0,
    retryableOnlyDelivered: 0,
    firstRetryable: 0,
    firstRetryableDelivered: 0,
  };
  for (const r of requests) {
    const name = faultName(r);
    if (name) figures.faultsByKind[name] = (figures.faultsByKind[name] ?? 0) + 1;
  }
  for (let id = 0; id < messages; id++) {
    const end = ends.get(id);
    const tries = attempts.get(id) ?? [];
    const processed = tries.filter((r) => r.outcome.processed).length;
    if (processed > 1) figures.processedTwice++;
    if (!end) {
      figures.lost++;
      continue;
    }
    if (end.ok) {
      figures.outputs++;
      if (processed !== 1) figures.outputNotProcessedOnce++;
    } else {
      figures.errors++;
      figures.errorsByCode[end.code] = (figures.errorsByCode[end.code] ?? 0) + 1;
      if (NOT_DELIVERED_CODES.has(end.code) && processed > 0) figures.errorButProcessed++;
      if (MAYBE_CODES.has(end.code)) processed ? figures.maybeActuallyDelivered++ : figures.maybeNotDelivered++;
      if (!tries.length || !tries.at(-1).outcome.fault) figures.errorsWithoutFault++;
    }
    const faulted = tries.map(faultName).filter(Boolean);
    if (faulted.length > 0 && faulted.every((f) => RETRYABLE_FAULTS.has(f))) {
      figures.retryableOnly++;
      if (end.ok) figures.retryableOnlyDelivered++;
    }
    if (RETRYABLE_FAULTS.has(faultName(tries[0] ?? { outcome: {} }))) {
      figures.firstRetryable++;
      if (end.ok) figures.firstRetryableDelivered++;
    }
  }
  figures.ended = endCount;
  figures.retryableOnlyDeliveredShare = figures.retryableOnly ? figures.retryableOnlyDelivered / figures.retryableOnly : 1;
  return figures;
}

function messageText(request) {
  try {
    return JSON.parse(new URLSearchParams(request.body).get("message") ?? "null")?.message;
  } catch {
    return undefined;
  }
}

/** The soak's promises; an empty list means they all held. */
function violations(f) {
  const out = [];
  if (f.lost) out.push(`${f.lost} messages lost (no output, no error)`);
  if (f.outputs + f.errors !== f.sent) out.push(`outputs ${f.outputs} + errors ${f.errors} ≠ sent ${f.sent}`);
  if (f.ended !== f.sent || f.duplicateEnds) out.push(`${f.duplicateEnds} messages ended more than once`);
  if (f.processedTwice) out.push(`${f.processedTwice} messages processed twice by the server`);
  if (f.outputNotProcessedOnce) out.push(`${f.outputNotProcessedOnce} outputs whose message the server did not process exactly once`);
  if (f.errorButProcessed) out.push(`${f.errorButProcessed} errors saying "not delivered" for a delivered message`);
  if (f.retryableOnlyDeliveredShare < 0.99)
    out.push(`only ${(f.retryableOnlyDeliveredShare * 100).toFixed(2)}% delivered of messages that met only retryable faults`);
  if (f.faultsInjected < f.requests * 0.1) out.push(`too few faults injected (${f.faultsInjected} of ${f.requests})`);
  return out;
}

function report(f) {
  const pct = (a, b) => (b ? `${((a / b) * 100).toFixed(2)}%` : "n/a");
  return [
    `messages sent            ${f.sent} in ${f.seconds.toFixed(1)} s`,
    `requests at the server   ${f.requests}, faults injected ${f.faultsInjected} (${pct(f.faultsInjected, f.requests)})`,
    `  by kind                ${JSON.stringify(f.faultsByKind)}`,
    `outputs (delivered)      ${f.outputs}`,
    `errors (reported)        ${f.errors} ${JSON.stringify(f.errorsByCode)}`,
    `accounted for            ${f.outputs + f.errors} of ${f.sent}; lost ${f.lost}; ended twice ${f.duplicateEnds}`,
    `processed twice          ${f.processedTwice} (duplicates at the server)`,
    `output but not processed exactly once ${f.outputNotProcessedOnce}; "not delivered" error but processed ${f.errorButProcessed}`,
    `may-have-been-delivered  ${f.maybeActuallyDelivered} were delivered, ${f.maybeNotDelivered} were not`,
    `errors not caused by an injected fault ${f.errorsWithoutFault} (e.g. a timeout on a busy machine)`,
    `only retryable faults    ${f.retryableOnlyDelivered} of ${f.retryableOnly} delivered (${pct(f.retryableOnlyDelivered, f.retryableOnly)})`,
    `first try retryable      ${f.firstRetryableDelivered} of ${f.firstRetryable} delivered (${pct(f.firstRetryableDelivered, f.firstRetryable)}; later tries may meet non-retryable faults)`,
  ].join("\n");
}

module.exports = { runSoak, violations, report, FAULT_MIX };

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const messages = option("messages", 5000);
  runSoak({ messages, faults: option("faults", 0.2), seed: option("seed", 42), progress: (line) => console.log(line) })
    .then((figures) => {
      console.log(report(figures));
      const broken = violations(figures);
      console.log(broken.length ? `FAILED:\n- ${broken.join("\n- ")}` : "OK: every message accounted for, no duplicates");
      process.exit(broken.length ? 1 : 0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(2);
    });
}
