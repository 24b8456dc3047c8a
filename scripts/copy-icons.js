// Node-RED looks for icons only in an icons/ folder beside each node's .js file.
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..");
fs.cpSync(path.join(root, "icons"), path.join(root, "nodes", "icons"), { recursive: true });
