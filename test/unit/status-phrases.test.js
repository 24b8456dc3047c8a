"use strict";
// A node's status is the key of a short phrase, which Node-RED's editor shows in its own language
// (src/core/node/status.ts): every code a node can show has a phrase in every language, with the code,
// short enough for a status; a phrase is looked up in the node's API's catalogue before the shared one.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ErrorCode } = require("../../nodes/core/errors");
const { errorStatus } = require("../../nodes/core/node/status");
const { LANGUAGES, textPx } = require("../support/locale-rules");
const { MODULE, statusKey, phrase } = require("../support/status");

const ROOT = path.join(__dirname, "..", "..");
const catalogue = (lang, name) => JSON.parse(fs.readFileSync(path.join(ROOT, "nodes", "locales", lang, `${name}.json`), "utf8"));
/** How wide the phrase may be without its code (13 px text, as locale-rules measures): a node status is one short line. */
const MAX_PX = 210;

/** Codes made with a literal in an API's source folder: new CodedError("LOGIN_FAILED", …). */
function literalCodes(folder) {
  const dir = path.join(ROOT, "src", folder);
  const codes = new Set();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    for (const m of fs.readFileSync(path.join(dir, file), "utf8").matchAll(/new (?:\w+Error)\("([A-Z0-9_]+)"/g)) codes.add(m[1]);
  }
  return codes;
}

/** The codes README's table "Codes of this package" lists, but HTTP_<status>. */
function readmePackageCodes() {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const table = readme.split("### Codes of this package")[1].split("\n### ")[0];
  return [...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
}

const en = { cam: catalogue("en-US", "cam-config"), xassist: catalogue("en-US", "xassist-config") };
/** Every code a node of each API can show, and where it comes from. */
const CODES = {
  "cam-config": [
    ...Object.keys(en.cam.errors.codes)
      .filter((code) => code !== "unknown")
      .map((code) => [code, "the server's code (cam-config errors.codes)"]),
    ...[...literalCodes("cam")].map((code) => [code, "made in src/cam"]),
    ...Object.values(ErrorCode).map((code) => [code, "ErrorCode"]),
    ...["HTTP_500", "HTTP_502", "HTTP_503", "HTTP_504"].map((code) => [code, "an HTTP status the transport retries or names"]),
  ],
  "xassist-config": [
    ...Object.keys(en.xassist.errors.status)
      .filter((status) => status !== "other")
      .map((status) => [`HTTP_${status}`, "an HTTP status of xAssist (xassist-config errors.status)"]),
    ...[...literalCodes("xassist")].map((code) => [code, "made in src/xassist"]),
    ...Object.values(ErrorCode).map((code) => [code, "ErrorCode"]),
  ],
};

describe("status phrases: every code in every language", () => {
  it("finds the codes to check (the catalogues' errors, ErrorCode, the codes made in src)", () => {
    assert.ok(CODES["cam-config"].some(([code]) => code === "805"));
    assert.ok(CODES["xassist-config"].some(([code]) => code === "HTTP_401"));
    assert.ok(CODES["xassist-config"].some(([code]) => code === "LOGIN_FAILED"));
  });

  it("covers every code README documents as one of this package's", () => {
    const known = new Set(Object.values(CODES).flatMap((list) => list.map(([code]) => code)));
    const documented = readmePackageCodes();
    assert.ok(documented.length >= Object.keys(ErrorCode).length, documented.join(", "));
    assert.deepEqual(
      documented.filter((code) => !known.has(code)),
      []
    );
  });

  for (const [api, codes] of Object.entries(CODES)) {
    it(`${api}: each code's status is the key of a phrase in every language, with the code, short enough`, () => {
      const problems = [];
      for (const [code, source] of codes) {
        const status = errorStatus(code, api);
        if (status.fill !== "red" || status.shape !== "ring") problems.push(`${code}: ${JSON.stringify(status)} is not a red ring`);
        if (!status.text.startsWith(`${MODULE}/`)) {
          problems.push(`${code} (${source}) has no phrase: add "${code}" to "status.codes" of ${api} (or the shared cam-config) in every language`);
          continue;
        }
        for (const lang of LANGUAGES) {
          const text = phrase(status.text, lang);
          if (!text) problems.push(`${lang}: ${status.text} is missing`);
          else if (!text.endsWith(` (${code})`)) problems.push(`${lang}: "${text}" does not end with " (${code})"`);
          else if (textPx(text.slice(0, -code.length - 3)) > MAX_PX) problems.push(`${lang}: "${text}" is too long for a status`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it("looks a code up in the node's API's catalogue first, then in the shared one", () => {
    assert.equal(errorStatus("HTTP_401", "xassist-config").text, statusKey("xassist-config:status.codes.HTTP_401"));
    assert.equal(errorStatus("HTTP_503", "xassist-config").text, statusKey("status.codes.HTTP_503"), "shared");
    assert.equal(errorStatus("NETWORK", "xassist-config").text, statusKey("status.codes.NETWORK"), "shared");
    assert.equal(errorStatus("805", "cam-config").text, statusKey("status.codes.805"));
  });

  it('shows a code without a phrase as "error <code>", a text made on the runtime', () => {
    assert.deepEqual(errorStatus("HTTP_418", "cam-config"), { fill: "red", shape: "ring", text: "error HTTP_418" });
    assert.equal(errorStatus("999", "xassist-config").text, "error 999");
    // a code that is not a key's part never picks another code's phrase
    assert.equal(errorStatus("805:x", "cam-config").text, "error 805:x");
    assert.equal(errorStatus("codes.805", "cam-config").text, "error codes.805");
    assert.equal(errorStatus("805", "no-such-config").text, statusKey("status.codes.805"), "an API without a catalogue: the shared phrase");
  });

  it("has the other statuses in every language, without parameters (the editor gives a status text none)", () => {
    for (const lang of LANGUAGES) {
      const status = catalogue(lang, "cam-config").status;
      for (const key of ["requesting", "retrying", "done", "noServer", "practice"]) {
        assert.ok(status[key] && !/__\w+__/.test(status[key]), `${lang}: status.${key} is "${status[key]}"`);
      }
    }
    assert.equal(phrase(statusKey("status.practice")), "practice server");
  });
});
