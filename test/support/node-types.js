"use strict";
// The node lists of the tests, derived from package.json and the operation tables: a new node
// appears in every test that iterates them without a test being edited.
const path = require("node:path");
const { tableEntries } = require("../../scripts/tables");

const ROOT = path.join(__dirname, "..", "..");
const NODE_FILES = require(path.join(ROOT, "package.json"))["node-red"].nodes;

/** Every node type of package.json `node-red.nodes`, in its order. */
const nodeTypes = Object.keys(NODE_FILES);
const isConfigType = (type) => type.endsWith("-config");

/** The node types of one API ("cam", "xassist"); without their config node unless asked. */
const typesOf = (api, { config = false } = {}) => nodeTypes.filter((type) => type.startsWith(`${api}-`) && (config || !isConfigType(type)));

/** The compiled node module of a type, as Node-RED loads it. */
const loadNode = (type) => require(path.join(ROOT, NODE_FILES[type]));

/** Every operation table entry by node type, as the build reads them (scripts/tables.js). */
const operationTables = () => new Map(Object.entries(tableEntries()));

module.exports = { ROOT, NODE_FILES, nodeTypes, isConfigType, typesOf, loadNode, operationTables };
