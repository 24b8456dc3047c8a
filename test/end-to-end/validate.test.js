"use strict";
// Flow Library readiness: `npm run validate` (node-red-dev validate, with the catalogue answered
// offline) passes every check but D03, the accepted one for undici 7 (undici 8 needs Node 22.19).
const assert = require("node:assert");
const { execFile } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.join(__dirname, "..", "..");
const PACKAGE = require("../../package.json");

function validate(scorecardFile) {
  return new Promise((resolve) => {
    execFile("npm", ["run", "--silent", "validate", "--", "-o", scorecardFile], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ err, output: stdout + stderr })
    );
  });
}

describe("Flow Library readiness (node-red-dev validate)", function () {
  this.timeout(150_000);
  let scorecard;
  let output;
  let dir;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-validate-"));
    const file = path.join(dir, "scorecard.json");
    const run = await validate(file);
    output = run.output;
    assert.ok(fs.existsSync(file), `validate wrote no scorecard:\n${output}`);
    scorecard = JSON.parse(fs.readFileSync(file, "utf8"));
  });

  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("passes every package, node and dependency check but D03", function () {
    const checks = Object.keys(scorecard).filter((k) => /^[PND]\d\d$/.test(k));
    for (const check of ["P01", "P03", "P04", "P05", "P06", "P07", "P08", "N01", "N02", "D01", "D02", "D03"]) {
      assert.ok(checks.includes(check), `check ${check} ran:\n${output}`);
    }
    const failed = checks.filter((k) => scorecard[k].test !== true);
    assert.deepStrictEqual(failed, ["D03"], output);
  });

  it("warns only about undici not being at its latest major (D03)", function () {
    assert.deepStrictEqual(scorecard.D03.packages, ["undici"]);
    const warnings = output.split("\n").filter((line) => /Warning:/.test(line));
    assert.deepStrictEqual(
      warnings.map((w) => /Warning: (\S+)/.exec(w)[1]),
      ["D03"],
      output
    );
    assert.doesNotMatch(output, /Unable to parse|Unable to read example|Error:/);
  });

  it("finds an example for every node that is not a config node", function () {
    const types = Object.keys(PACKAGE["node-red"].nodes).filter((t) => !t.endsWith("-config"));
    assert.deepStrictEqual([...scorecard.N02.nodes].sort(), types.sort());
  });
});
