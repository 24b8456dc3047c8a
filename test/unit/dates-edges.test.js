"use strict";
// The date checks at their edges: each bound is inclusive where it says so, and each refusal states
// its reason and the value it refused.
const assert = require("node:assert/strict");
const { refusal } = require("../support/input-reasons");
const { expiryTime, period } = require("../../nodes/core/dates.js");

const NOW = Date.UTC(2024, 4, 15, 12);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe("dates at their edges", () => {
  describe("expiryTime", () => {
    it("takes the last storable millisecond, 1e11 (not seconds), and trimmed text", () => {
      assert.equal(expiryTime("expires", LATEST, NOW), LATEST);
      assert.equal(expiryTime("expires", 1e11, 0), 1e11);
      assert.equal(expiryTime("expires", " 30m ", NOW), NOW + 30 * 60_000);
      assert.equal(expiryTime("expires", "Jan 1 2030", NOW), Date.parse("Jan 1 2030"));
    });

    it("refuses now itself as the past, and one below 1e11 as seconds", () => {
      assert.equal(
        refusal(() => expiryTime("expires", NOW, NOW)),
        "expires: the expiry time is in the past."
      );
      assert.match(
        refusal(() => expiryTime("expires", 1e11 - 1, 0)),
        /looks like Unix time in seconds/
      );
    });

    for (const value of [undefined, null, "", "   "]) {
      it(`says a value is required for ${JSON.stringify(value) ?? "undefined"}`, () => {
        assert.equal(
          refusal(() => expiryTime("expires", value, NOW)),
          "expires: a value is required."
        );
      });
    }

    for (const [value, shown] of [
      ["x".repeat(50), "x".repeat(40)],
      [NaN, "NaN"],
      [new Date(NaN), "Invalid Date"],
      [{}, "object"],
    ]) {
      it(`names the refused value ${shown.slice(0, 12)} in the message`, () => {
        const message = refusal(() => expiryTime("expires", value, NOW));
        assert.ok(message.startsWith(`expires: "${shown}" is not a time; `), message);
      });
    }
  });

  describe("period", () => {
    const may2024 = new Date(2024, 4, 15);

    for (const value of [undefined, null, "", "month"]) {
      it(`takes ${JSON.stringify(value) ?? "undefined"} as this month`, () => {
        assert.equal(period("period", value, may2024), "202405");
      });
    }

    it("takes the first storable month and trimmed text", () => {
      assert.equal(period("period", "197001", may2024), "197001");
      assert.equal(period("period", " 202401 ", may2024), "202401");
    });

    it("names a refused number as written", () => {
      assert.match(
        refusal(() => period("period", 1e300)),
        /^period: "1e\+300" is not a period/
      );
    });

    it("names the refused value", () => {
      assert.equal(
        refusal(() => period("period", "someday")),
        'period: "someday" is not a period; use a month (yyyyMM, e.g. 201908), a day (yyyyMMdd), a date, "month" or "today".'
      );
    });
  });
});
