"use strict";
// Removes what the build makes in nodes/ (compiled folders, node entry files, icons), so that a
// source file moved or deleted leaves no stale copy for Node-RED, the tests or the package to find.
const fs = require("node:fs");
const path = require("node:path");

const NODES = path.join(__dirname, "..", "nodes");
/** Written by hand: the panels (nodes/*.html) and their catalogues. */
const KEPT = new Set(["locales"]);

for (const entry of fs.readdirSync(NODES, { withFileTypes: true })) {
  const made = entry.isDirectory() ? !KEPT.has(entry.name) : entry.name.endsWith(".js");
  if (made) fs.rmSync(path.join(NODES, entry.name), { recursive: true, force: true });
}
