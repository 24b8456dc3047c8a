"use strict";
// The operation tables as the build reads them: every export of the compiled API folders
// (nodes/<api>/*.js) that is a node of package.json, by node type, with the file that exports it.
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const NODES = path.join(ROOT, "nodes");
const nodeTypes = Object.keys(require("../package.json")["node-red"].nodes);
/** An API's folder is its node types' prefix: cam-send-message is in nodes/cam/. */
const apiFolders = [...new Set(nodeTypes.map((type) => type.split("-")[0]))];

function tableEntries() {
  const entries = {};
  for (const dir of apiFolders) {
    for (const file of fs.readdirSync(path.join(NODES, dir)).filter((f) => f.endsWith(".js"))) {
      const exports = require(path.join(NODES, dir, file));
      for (const [name, entry] of Object.entries(exports)) {
        if (entry && nodeTypes.includes(entry.type) && (entry.inputs || entry.settings)) {
          entries[entry.type] = { entry, file: `${dir}/${file}`, name };
        }
      }
    }
  }
  return entries;
}

module.exports = { ROOT, NODES, nodeTypes, tableEntries };
