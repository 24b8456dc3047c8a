"use strict";
// The CI-sized soak: messages through a real Node-RED runtime while the practice server injects faults
// into 20% of all requests. `npm run soak` runs the full size (5,000) and prints the figures.
const assert = require("node:assert/strict");
const { runSoak, violations, report, FAULT_MIX } = require("../../scripts/soak");

describe("soak (CI size)", function () {
  this.timeout(60_000);

  it("accounts for every message under 20% faults: none lost, none twice, retryable ones delivered", async () => {
    const figures = await runSoak({ messages: 1000, faults: 0.2, seed: 7 });
    assert.deepEqual(violations(figures), [], report(figures));
    assert.equal(figures.outputs + figures.errors, figures.sent);
    assert.equal(figures.lost, 0);
    assert.equal(figures.processedTwice, 0);
    // Each kind of fault really happened, and each ended as the failure-modes table says.
    assert.deepEqual(Object.keys(figures.faultsByKind).sort(), FAULT_MIX.map((f) => f.name).sort());
    assert.deepEqual(Object.keys(figures.errorsByCode).sort(), ["HTTP_500", "MAYBE_DELIVERED", "TIMEOUT"]);
    assert.ok(figures.retryableOnly > 0);
    assert.ok(figures.retryableOnlyDeliveredShare >= 0.99);
  });
});
