"use strict";
// What a node's status says: the full key of a phrase, which Node-RED's editor shows in its own
// language (src/core/node/status.ts), and the statuses a node of the test helper's flow showed.
const fs = require("node:fs");
const path = require("node:path");

const MODULE = require("../../package.json").name;
const LOCALES = path.join(__dirname, "..", "..", "nodes", "locales");
/** Shared runtime texts live in cam-config's catalogue (src/core/i18n.ts). */
const SHARED = "cam-config";

/** The full key the runtime sets as a status text: statusKey("status.done"), statusKey("xassist-config:status.codes.HTTP_404"). */
function statusKey(key) {
  const [catalogue, local] = key.includes(":") ? key.split(":") : [SHARED, key];
  return `${MODULE}/${catalogue}:${local}`;
}

/** The red ring of an error whose phrase is the given key. */
const errorRing = (key) => ({ fill: "red", shape: "ring", text: statusKey(key) });

/** The text a full key stands for in a language, as the editor looks it up; undefined if there is none. */
function phrase(fullKey, lang = "en-US") {
  const [namespace, key] = fullKey.split(":");
  const catalogue = namespace.slice(MODULE.length + 1);
  let node = JSON.parse(fs.readFileSync(path.join(LOCALES, lang, `${catalogue}.json`), "utf8"));
  for (const part of key.split(".")) node = node?.[part];
  return typeof node === "string" ? node : undefined;
}

/** Every status the node showed so far (the test helper spies on Node.status for all nodes), oldest first. */
function shownBy(node) {
  return node.status
    .getCalls()
    .filter((call) => call.thisValue === node)
    .map((call) => call.args[0]);
}

/** Waits until the node's last status passes the check (statuses are coalesced: the last one may come 200 ms late). */
async function lastShown(node, check, what, limitMs = 3000) {
  const until = Date.now() + limitMs;
  for (;;) {
    const last = shownBy(node).at(-1);
    if (last && check(last)) return last;
    if (Date.now() > until) throw new Error(`${what}: the last status is ${JSON.stringify(last)}; all: ${JSON.stringify(shownBy(node))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

module.exports = { MODULE, statusKey, errorRing, phrase, shownBy, lastShown };
