"use strict";
// docs/failure-modes.md says which failures are retried: its table must say what the code does.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { retriedCodes } = require("../../nodes/core/transport/transport");
const { ErrorCode } = require("../../nodes/core/errors");
const { RETRYABLE_API_CODES } = require("../../nodes/cam/cam-errors");

const DOC = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "failure-modes.md"), "utf8");

/** The table's rows: the codes each names (before any "(… when …)" aside) and its Retried? answer. */
function rows() {
  const out = [];
  for (const line of DOC.split("\n")) {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.length !== 4 || !/`/.test(cells[1])) continue;
    // Yes, No, Read-only calls, or a condition of its own (such as the proxy's statuses).
    const retried = /^(Yes|No|Read-only calls)\b/.exec(cells[2])?.[1] ?? "partly";
    const codes = [...cells[1].split("(")[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    out.push({ failure: cells[0], codes, retried });
  }
  return out;
}

describe("docs/failure-modes.md", () => {
  const table = rows();
  const transport = retriedCodes();
  const always = [...transport.always, ...RETRYABLE_API_CODES];
  const readOnly = transport.readOnly;
  const codesSaying = (retried) => new Set(table.filter((row) => row.retried === retried).flatMap((row) => row.codes));

  it("lists every code of this package", () => {
    const listed = new Set(table.flatMap((row) => row.codes));
    for (const code of Object.values(ErrorCode)) {
      if (code !== ErrorCode.internal) assert.ok(listed.has(code), `${code} is not in the table`);
    }
  });

  it("says Yes for exactly the codes the transport always retries", () => {
    assert.deepEqual([...codesSaying("Yes")].sort(), [...always].sort());
  });

  it("says Read-only calls for exactly the codes retried only for calls that only read", () => {
    assert.deepEqual([...codesSaying("Read-only calls")].sort(), [...readOnly].sort());
  });

  it("never says No for a code the transport always retries", () => {
    for (const code of codesSaying("No")) assert.ok(!always.includes(code), `${code} is retried`);
  });
});
