"use strict";
// Shared test plumbing: a real Node-RED runtime (test helper) and the practice server on 127.0.0.1.
const Module = require("node:module");
const path = require("node:path");

// NODE_RED_PATH: the folder of another Node-RED install to test against (CI runs the suite on
// Node-RED 5 too; see .ci/run). Every node-red and @node-red/* the tests require then comes from
// there; load this file first (mocha --require ./test/support/index.js) so that it applies to all.
const NODE_RED_DIR = process.env.NODE_RED_PATH ? path.resolve(process.env.NODE_RED_PATH) : path.dirname(require.resolve("node-red/package.json"));
if (process.env.NODE_RED_PATH) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    if (/^(node-red|@node-red\/[^/]+)(\/|$)/.test(request)) options = { paths: [NODE_RED_DIR] };
    return resolve.call(this, request, parent, isMain, options);
  };
}

const helper = require("node-red-node-test-helper");
const { start } = require("../../nodes/practice-server");

helper.init(require.resolve(NODE_RED_DIR));

/** A fresh practice server on a free loopback port. */
function startPracticeServer(options = {}) {
  return start({ port: 0, quiet: true, ...options });
}

async function control(practiceServer, method, path, body) {
  const res = await fetch(`${practiceServer.url}/_practice/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`practiceServer ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const recorded = async (practiceServer) => (await control(practiceServer, "GET", "requests")).requests;
const injectFault = (practiceServer, fault) => control(practiceServer, "POST", "faults", fault);
const resetPracticeServer = (practiceServer) => control(practiceServer, "POST", "reset");

/**
 * A flow with one node under test wired to an output helper, and a Catch node wired to an error
 * helper; the config node points at the practice server.
 */
function operationFlow(type, props, { url, serverProps = {} } = {}) {
  return [
    { id: "f1", type: "tab" },
    { id: "server", type: "cam-config", serverURL: url, retries: 0, ...serverProps },
    { id: "n1", z: "f1", type, server: "server", wires: [["out"]], ...props },
    { id: "out", z: "f1", type: "helper" },
    { id: "catcher", z: "f1", type: "catch", scope: null, uncaught: false, wires: [["err"]] },
    { id: "err", z: "f1", type: "helper" },
  ];
}

/** Sends msg into node n1 and resolves with {msg} from its output or {error, msg} from the Catch node. */
function outcome(msg) {
  return new Promise((resolve) => {
    const out = helper.getNode("out");
    const err = helper.getNode("err");
    // Removing a listener while Node-RED is still calling the input listeners disturbs them: only
    // remove both once this message's outcome has arrived, after the current dispatch.
    const finish = (result) => {
      setImmediate(() => {
        out.removeListener("input", onOutput);
        err.removeListener("input", onError);
      });
      resolve(result);
    };
    const onOutput = (m) => finish({ msg: m });
    const onError = (m) => finish({ error: m.error, msg: m });
    out.on("input", onOutput);
    err.on("input", onError);
    helper.getNode("n1").receive(msg);
  });
}

const catchNode = require("@node-red/nodes/core/common/25-catch.js");
const completeNode = require("@node-red/nodes/core/common/24-complete.js");

module.exports = { helper, startPracticeServer, control, recorded, injectFault, resetPracticeServer, operationFlow, outcome, catchNode, completeNode };
