"use strict";
// Plumbing for the xAssist node tests: flows against the practice server, message collectors, leak checks.
const { helper, startPracticeServer, control, recorded, resetPracticeServer } = require(".");
const NodePrototype = require("@node-red/runtime/lib/nodes/Node").prototype;

const { typesOf, loadNode } = require("./node-types");

/** The xAssist node modules of package.json by type, and the Catch node. */
const nodes = Object.fromEntries(typesOf("xassist", { config: true }).map((type) => [type, loadNode(type)]));
nodes.catch = require("@node-red/nodes/core/common/25-catch.js");
const allNodes = Object.values(nodes);

/** The config node pointing at the practice server, node n1 under test, its outputs, and a Catch node. */
function xassistFlow(type, props, { url, serverProps = {}, outputs = 1 } = {}) {
  const outs = outputs === 2 ? ["out", "final"] : ["out"];
  return [
    { id: "server", type: "xassist-config", serverURL: url, domain: "ubimax", ...serverProps },
    { id: "n1", type, server: "server", wires: outs.map((id) => [id]), ...props },
    ...outs.map((id) => ({ id, type: "helper" })),
    { id: "catcher", type: "catch", scope: ["n1"], uncaught: false, wires: [["err"]] },
    { id: "err", type: "helper" },
  ];
}

function demoCredentials(practiceServer, override = {}) {
  return { server: { username: practiceServer.xassist.username, password: practiceServer.xassist.password, ...override } };
}

/** Sends msg into n1 (or another node) and resolves with {msg} from "out" or {error, msg} from the Catch node. */
function outcome(msg, target = "n1") {
  return new Promise((resolve) => {
    const out = helper.getNode("out");
    const err = helper.getNode("err");
    const onOut = (m) => finish({ msg: m });
    const onErr = (m) => finish({ error: m.error, msg: m });
    function finish(result) {
      out.removeListener("input", onOut);
      err.removeListener("input", onErr);
      resolve(result);
    }
    out.on("input", onOut);
    err.on("input", onErr);
    helper.getNode(target).receive(msg);
  });
}

/** Every message a helper node receives, and promises for a state of that list (no timing involved). */
function collect(id) {
  const items = [];
  const waiters = [];
  helper.getNode(id).on("input", (msg) => {
    items.push(msg);
    for (const w of [...waiters]) {
      if (!w.test(items)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(items);
    }
  });
  const until = (test) =>
    new Promise((resolve) => {
      if (test(items)) resolve(items);
      else waiters.push({ test, resolve });
    });
  return { items, until, count: (n) => until((list) => list.length >= n) };
}

/** Counts done() per message of the node under test: Node-RED calls _complete for each done(). */
function trackDone() {
  const original = NodePrototype._complete;
  const calls = [];
  NodePrototype._complete = function (msg, error) {
    calls.push({ node: this.id, msgid: msg && msg._msgid, error });
    return original.call(this, msg, error);
  };
  return { calls, restore: () => (NodePrototype._complete = original) };
}

/** Everything a user could see: logged lines, statuses, warnings and errors of all nodes. */
function trackVisible() {
  const seen = [];
  const methods = ["status", "warn", "error", "log"];
  const originals = methods.map((name) => NodePrototype[name]);
  methods.forEach((name, i) => {
    NodePrototype[name] = function (...args) {
      seen.push({ node: this.id, kind: name, args: safeJson(args) });
      return originals[i].apply(this, args);
    };
  });
  return {
    seen,
    logs: () => (helper.log() ? helper.log().args.map((a) => safeJson(a)) : []),
    restore: () => methods.forEach((name, i) => (NodePrototype[name] = originals[i])),
  };
}

function safeJson(value) {
  const seen = new WeakSet();
  return JSON.stringify(value, (key, v) => {
    if (v instanceof Error) return { message: v.message, stack: v.stack, ...v, cause: v.cause };
    if (v && typeof v === "object") {
      if (seen.has(v)) return "[circular]";
      seen.add(v);
    }
    return v;
  });
}

/** The access and refresh tokens the practice server saw, from the recorded Authorization headers and refresh bodies. */
async function tokensOnTheWire(practiceServer) {
  const tokens = new Set();
  for (const req of await recorded(practiceServer)) {
    const auth = req.headers.authorization;
    if (auth) tokens.add(String(auth).replace(/^Bearer\s+/i, ""));
    if (req.path === "/auth/refresh") tokens.add(JSON.parse(req.body).refreshToken);
  }
  return [...tokens];
}

const paths = async (practiceServer) => (await recorded(practiceServer)).map((r) => `${r.method} ${r.path} ${r.outcome.httpStatus}`);

module.exports = {
  helper,
  startPracticeServer,
  control,
  recorded,
  resetPracticeServer,
  nodes,
  allNodes,
  xassistFlow,
  demoCredentials,
  outcome,
  collect,
  trackDone,
  trackVisible,
  safeJson,
  tokensOnTheWire,
  paths,
};

/** Creates a call as another demo user straight on the API, then forgets those requests. */
async function createCallDirectly(practiceServer, { username = practiceServer.xassist.expertUsername } = {}) {
  const post = (path, body, token) =>
    fetch(practiceServer.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then((res) => res.json());
  const { token } = await post("/login", { username, password: practiceServer.xassist.password, domain: practiceServer.xassist.domain, agreedToTos: "true" });
  const callLog = await post("/rtc/createCall", { callType: "MESH", invitedContacts: [{ userDbId: practiceServer.xassist.userDbId }] }, token);
  await control(practiceServer, "DELETE", "requests");
  return callLog;
}

/** Logs in as the given user elsewhere, as a browser would; force ends the user's other sessions. */
async function loginElsewhere(practiceServer, { force = false, username = practiceServer.xassist.username } = {}) {
  const res = await fetch(practiceServer.url + (force ? "/auth/forceLogin" : "/login"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: practiceServer.xassist.password, domain: practiceServer.xassist.domain, agreedToTos: "true" }),
  });
  return (await res.json()).token;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

Object.assign(module.exports, { createCallDirectly, loginElsewhere, sleep });
