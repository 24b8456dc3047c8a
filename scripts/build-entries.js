"use strict";
// Writes nodes/<type>.js, the file Node-RED loads for each node of package.json (run after tsc): a
// server node's registration from nodes/servers/<type>.js, an operation's from its table entry. No
// node has a file of its own in src/: adding an operation is a table entry (docs/adding-an-api.md).
const fs = require("node:fs");
const path = require("node:path");
const { NODES, nodeTypes, tableEntries } = require("./tables");

const files = require("../package.json")["node-red"].nodes;
const entries = tableEntries();
for (const type of nodeTypes) {
  if (files[type] !== `nodes/${type}.js`) throw new Error(`package.json: ${type} must be "nodes/${type}.js"`);
  let body;
  if (fs.existsSync(path.join(NODES, "servers", `${type}.js`))) {
    body = `module.exports = require("./servers/${type}").register;`;
  } else if (entries[type]) {
    const { file, name } = entries[type];
    body = `const { registerOperation } = require("./core/node/operation-node");\nconst { ${name} } = require("./${file.replace(/\.js$/, "")}");\n\nmodule.exports = (RED) => registerOperation(RED, ${name});`;
  } else {
    throw new Error(`${type}: no table entry in src/<api>/ and no src/servers/${type}.ts (docs/adding-an-api.md)`);
  }
  fs.writeFileSync(path.join(NODES, `${type}.js`), `"use strict";\n// Made by scripts/build-entries.js: do not edit.\n${body}\n`);
}
