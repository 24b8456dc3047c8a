"use strict";
// The node lists of the tests, derived from package.json and the operation tables: a new node
// appears in every test that iterates them without a test being edited.
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..", "..");
const NODE_FILES = require(path.join(ROOT, "package.json"))["node-red"].nodes;

/** Every node type of package.json `node-red.nodes`, in its order. */
const nodeTypes = Object.keys(NODE_FILES);
const isConfigType = (type) => type.endsWith("-config");

/** The node types of one API ("cam", "xassist"); without their config node unless asked. */
const typesOf = (api, { config = false } = {}) => nodeTypes.filter((type) => type.startsWith(`${api}-`) && (config || !isConfigType(type)));

/** The compiled node module of a type, as Node-RED loads it. */
const loadNode = (type) => require(path.join(ROOT, NODE_FILES[type]));

/**
 * Every operation table entry (an export with a type and its inputs, run by the node path) of the
 * compiled API folders nodes/<api>/, by node type, with the file that exports it.
 */
function operationTables() {
  const tables = new Map();
  const compiled = path.join(ROOT, "nodes");
  for (const dir of fs.readdirSync(compiled, { withFileTypes: true })) {
    if (!dir.isDirectory() || ["core", "sandbox", "icons", "locales"].includes(dir.name)) continue;
    for (const name of fs.readdirSync(path.join(compiled, dir.name)).filter((f) => f.endsWith(".js"))) {
      const file = path.join(compiled, dir.name, name);
      for (const entry of Object.values(require(file))) {
        if (entry && typeof entry.type === "string" && entry.inputs && typeof entry.inputs === "object") {
          tables.set(entry.type, { entry, file: path.relative(ROOT, file) });
        }
      }
    }
  }
  return tables;
}

module.exports = { ROOT, NODE_FILES, nodeTypes, isConfigType, typesOf, loadNode, operationTables };
