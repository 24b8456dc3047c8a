"use strict";
// The CSV of the user-list nodes: what an upload accepts (text, row objects, bytes) and refuses,
// with the field and the reason, and how an export is read as row objects.
const assert = require("node:assert/strict");
const { csvContent, csvToObjects } = require("../../nodes/cam/csv.js");
const { MAX_FILE_BYTES } = require("../../nodes/core/validate.js");

/** The INVALID_INPUT error csvContent throws for this value, checked for its field and message. */
function refused(value, field, message) {
  assert.throws(
    () => csvContent("csv", value),
    (err) => {
      assert.equal(err.code, "INVALID_INPUT");
      assert.equal(err.details.field, field);
      assert.equal(err.message, message);
      return true;
    }
  );
}

describe("CSV of the user-list nodes", function () {
  describe("an export read as row objects", function () {
    it("skips blank lines instead of making empty rows of them", () => {
      assert.deepEqual(csvToObjects("email,name\na@example.com,A\n\nb@example.com,B\n"), [
        { email: "a@example.com", name: "A" },
        { email: "b@example.com", name: "B" },
      ]);
    });
  });

  describe("text", function () {
    it("is taken up to the size limit and refused beyond it, naming the limit in MB", () => {
      const atLimit = "a".repeat(MAX_FILE_BYTES);
      assert.equal(csvContent("csv", atLimit), atLimit);
      refused(atLimit + "a", "csv", "csv: is larger than 64 MB.");
    });

    it("with a lone surrogate (half an emoji) is refused as broken text", () => {
      refused("email,name\na@example.com,A\uD83D\n", "csv", "csv: contains a broken character (a lone UTF-16 surrogate).");
    });

    it("loses its byte order mark at the start only: U+FEFF inside a cell stays", () => {
      assert.equal(csvContent("csv", "\uFEFFemail,name\na@example.com,A\uFEFFB\n"), "email,name\na@example.com,A\uFEFFB\n");
      assert.equal(csvContent("csv", "email,name\na@example.com,A\uFEFFB\n"), "email,name\na@example.com,A\uFEFFB\n");
    });
  });

  describe("bytes", function () {
    it("are taken up to the size limit and refused beyond it, naming the limit in MB", () => {
      const atLimit = Buffer.alloc(MAX_FILE_BYTES, 0x61);
      assert.equal(csvContent("csv", atLimit).length, MAX_FILE_BYTES);
      refused(Buffer.alloc(MAX_FILE_BYTES + 1, 0x61), "csv", "csv: is larger than 64 MB.");
    });
  });

  describe("row objects", function () {
    it("take text, finite numbers, true/false and empty cells (null or undefined)", () => {
      assert.equal(csvContent("csv", [{ a: null, b: undefined, c: "x", d: true, e: 1.5, f: 0 }]), "a,b,c,d,e,f\r\n,,x,true,1.5,0");
    });

    for (const [cell, type] of [
      [NaN, "NaN"],
      [Infinity, "Infinity"],
      [{ x: 1 }, "object"],
      [["x"], "array"],
      [() => 1, "function"],
    ]) {
      it(`refuse a cell that is ${type}, naming the row and the column`, () => {
        refused(
          [{ email: "a@example.com" }, { email: "b@example.com", tags: cell }],
          "csv[1].tags",
          `csv[1].tags: a CSV cell must be text, a finite number, true/false or empty, not ${type}.`
        );
      });
    }

    it("are refused whole when one item is not a row object, naming what the value is", () => {
      refused([{ email: "a@example.com" }, "b@example.com"], "csv", "csv: must be CSV text, a Buffer, or an array of row objects, not array.");
    });

    it("that cannot be read (a getter that throws) are refused as not CSV, with no other error", () => {
      const row = {
        get email() {
          throw new Error("not readable");
        },
      };
      refused([row], "csv", "csv: must be CSV text, a Buffer, or an array of row objects, not array.");
    });
  });

  for (const [value, type] of [
    [42, "number"],
    [{ email: "a@example.com" }, "object"],
    [[], "array"],
  ]) {
    it(`refuses ${type === "array" ? "an empty array" : `a value of type ${type}`}, naming what it is`, () => {
      refused(value, "csv", `csv: must be CSV text, a Buffer, or an array of row objects, not ${type}.`);
    });
  }
});
