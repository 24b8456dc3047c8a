"use strict";
// Every node of package.json has every step of docs/adding-an-api.md; a missing step fails with the
// step's name and a pointer to the doc.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, NODE_FILES, nodeTypes, operationTables } = require("../support/node-types");
const { CAM_APIS } = require("../../nodes/cam/cam-apis");

const DOC = "docs/adding-an-api.md";
const at = (...parts) => path.join(ROOT, ...parts);
const read = (...parts) => (fs.existsSync(at(...parts)) ? fs.readFileSync(at(...parts), "utf8") : undefined);
const apiOf = (type) => type.split("-")[0];
const tables = operationTables();
const examples = fs
  .readdirSync(at("examples"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => read("examples", f));

/** A server (config) node registers its type itself in src/servers/; every other node is an operation. */
const isOperationNode = (type) => !read("src", "servers", `${type}.ts`);

/** The steps: what the doc calls each (`doc` must appear in it), and what is wrong when it is missing. */
const STEPS = [
  {
    step: "(a) the operation table entry",
    doc: "src/cam/cam-operations.ts",
    missing: (type) =>
      isOperationNode(type) &&
      !tables.has(type) &&
      `no entry with type "${type}" in src/${apiOf(type)}/ (such as src/${apiOf(type)}/${apiOf(type)}-operations.ts)`,
  },
  {
    step: "(b) the entry in package.json node-red.nodes",
    doc: "`node-red.nodes`",
    missing: (type) => NODE_FILES[type] !== `nodes/${type}.js` && `package.json node-red.nodes should map "${type}" to "nodes/${type}.js"`,
  },
  {
    step: "(b) the node file the build makes",
    doc: "npm run build",
    missing: (type) => !read("nodes", `${type}.js`) && `nodes/${type}.js is missing: run npm run build`,
  },
  {
    step: "(c) the panel",
    doc: "nodes/<type>.html",
    missing: (type) => !read("nodes", `${type}.html`)?.includes(`"${type}"`) && `nodes/${type}.html is missing or does not register "${type}"`,
  },
  {
    step: "(d) the en-US catalogue",
    doc: "nodes/locales/en-US/<type>.json",
    missing: (type) => {
      const text = read("nodes", "locales", "en-US", `${type}.json`);
      return !(text && JSON.parse(text)[type]) && `nodes/locales/en-US/${type}.json is missing or has no "${type}" object`;
    },
  },
  {
    step: "(d) the en-US help",
    doc: "nodes/locales/en-US/<type>.html",
    missing: (type) =>
      !read("nodes", "locales", "en-US", `${type}.html`)?.includes(`data-help-name="${type}"`) &&
      `nodes/locales/en-US/${type}.html is missing or has no data-help-name="${type}"`,
  },
  {
    step: "(e) an example",
    doc: "examples/",
    missing: (type) => !examples.some((flow) => JSON.parse(flow).some((node) => node.type === type)) && `no flow in examples/ has a ${type} node`,
  },
  {
    step: "(f) a test",
    doc: "test/nodes/<type>.test.js",
    missing: (type) => !read("test", "nodes", `${type}.test.js`)?.includes(`"${type}"`) && `test/nodes/${type}.test.js is missing or does not name "${type}"`,
  },
  {
    step: "(h) a row in README's node table",
    doc: "README.md",
    missing: (type) => !read("README.md").includes(`\`${type}\``) && `README.md's table "The nodes" has no row for \`${type}\``,
  },
];

const missingSteps = (type) => STEPS.map(({ step, missing }) => missing(type) && `${step}: ${missing(type)}`).filter(Boolean);

/** The Chat&Messenger API names an operation table names in text, without facts in cam-apis.ts. */
function apisWithoutFacts(source, facts = CAM_APIS) {
  // apiName: "name", or apiName = <literals and conditions>; a value built by a call is the user's (cam-api).
  const values = [...source.matchAll(/\bapiName(?::|\s*=)([^,;}]*)/g)].map((m) => m[1]).filter((v) => !v.includes("("));
  const named = values.flatMap((value) => [...value.matchAll(/"(\w+)"/g)].map((m) => m[1]));
  return [...new Set(named)].filter((name) => !Object.hasOwn(facts, name));
}

describe(`adding an API (${DOC})`, () => {
  for (const type of nodeTypes) {
    it(`${type} has every step`, () => {
      const missing = missingSteps(type);
      assert.deepEqual(missing, [], `${type} lacks ${missing.length} step(s) of ${DOC}:\n  ${missing.join("\n  ")}`);
    });
  }

  it("every operation table entry is a node of package.json", () => {
    const orphans = [...tables].filter(([type]) => !NODE_FILES[type]).map(([type, { file }]) => `${type} (${file})`);
    assert.deepEqual(orphans, [], `step (b) of ${DOC}: add a node file and its entry in package.json node-red.nodes`);
  });

  it("every Chat&Messenger API the operation table calls has its facts in src/cam/cam-apis.ts", () => {
    const without = apisWithoutFacts(read("src", "cam", "cam-operations.ts"));
    assert.deepEqual(without, [], `step (a) of ${DOC}: say in CAM_APIS whether it only reads and what its success answer is`);
  });

  it("the doc names every step this test checks", () => {
    const doc = read(DOC);
    assert.ok(doc, `${DOC} is missing`);
    assert.deepEqual(
      STEPS.filter((s) => !doc.includes(s.doc)).map((s) => `${s.step}: ${s.doc}`),
      []
    );
  });

  it("each check fails when its step is missing", () => {
    const missing = missingSteps("cam-no-such-node");
    assert.deepEqual(
      missing.map((m) => m.split(":")[0]),
      STEPS.map((s) => s.step)
    );
    assert.deepEqual(apisWithoutFacts('call({ apiName: "getNothing" }); const apiName = x ? "sendMessage" : "getMore"; const apiName = text("apiName");'), [
      "getNothing",
      "getMore",
    ]);
  });
});
