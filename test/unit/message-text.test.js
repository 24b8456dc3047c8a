"use strict";
// How a value becomes the words of a message (issue 23.1): the rules the help promises, one by one.
const assert = require("node:assert/strict");
const { readableText, fillTemplate, templateProblem, NotShowable } = require("../../nodes/shared/message-text.js");

describe("message text: readableText", function () {
  it("keeps text, numbers and booleans as they are", () => {
    assert.equal(readableText("Order 4711 shipped"), "Order 4711 shipped");
    assert.equal(readableText(42), "42");
    assert.equal(readableText(false), "false");
    assert.equal(readableText(null), "");
  });

  it("shows an object as one key: value line per property, nested values indented below their key", () => {
    const order = { id: 4711, customer: "ACME", address: { city: "Tokyo", zip: "100-0001" }, paid: true };
    assert.equal(readableText(order), "id: 4711\ncustomer: ACME\naddress:\n  city: Tokyo\n  zip: 100-0001\npaid: true");
  });

  it("shows a list of records one line each, with the record's fields on its line", () => {
    const rows = [
      { sku: "A-1", qty: 2 },
      { sku: "B-7", qty: 1 },
    ];
    assert.equal(readableText(rows), "sku: A-1, qty: 2\nsku: B-7, qty: 1");
    assert.equal(readableText({ order: 4711, items: rows }), "order: 4711\nitems:\n  sku: A-1, qty: 2\n  sku: B-7, qty: 1");
  });

  it("shows a list of plain values on one line under a key, and one per line alone", () => {
    assert.equal(readableText({ tags: ["urgent", "paid"] }), "tags: urgent, paid");
    assert.equal(readableText(["first", "second"]), "first\nsecond");
  });

  it("shows values nested in a line in braces and brackets, dates as ISO text, and leaves undefined out", () => {
    const when = new Date(Date.UTC(2026, 11, 7, 9, 30));
    assert.equal(readableText([{ id: 1, owner: { name: "Ann" }, tags: ["x", "y"] }]), "id: 1, owner: {name: Ann}, tags: [x, y]");
    assert.equal(readableText({ at: when, gone: undefined }), "at: 2026-12-07T09:30:00.000Z");
    assert.equal(readableText(new Map([["k", "v"]])), "k: v");
  });

  it("ends a value that contains itself with … instead of looping", () => {
    const loop = { name: "loop" };
    loop.self = loop;
    assert.equal(readableText(loop), "name: loop\nself: …");
  });

  it("refuses a function or a symbol anywhere, naming its kind", () => {
    assert.throws(
      () => readableText({ a: { b: () => 1 } }),
      (err) => err instanceof NotShowable && err.kind === "function"
    );
    assert.throws(
      () => readableText([Symbol("s")]),
      (err) => err instanceof NotShowable && err.kind === "symbol"
    );
  });
});

describe("message text: templates", function () {
  it("fills {{placeholders}} from the view without HTML escaping", () => {
    assert.equal(
      fillTemplate("Order {{payload.id}} for {{payload.customer}} shipped", { payload: { id: 4711, customer: "A&B <Ltd>" } }),
      "Order 4711 for A&B <Ltd> shipped"
    );
  });

  it("shows a record or a list placed in a template as readable text", () => {
    assert.equal(fillTemplate("New order:\n{{payload}}", { payload: { id: 1, items: ["x", "y"] } }), "New order:\nid: 1\nitems: x, y");
  });

  it("repeats a section for each item of a list, as Node-RED's template node does", () => {
    assert.equal(fillTemplate("{{#payload}}- {{sku}}\n{{/payload}}", { payload: [{ sku: "A" }, { sku: "B" }] }), "- A\n- B\n");
  });

  it("names what is wrong with a template that cannot be read, and nothing for a good one", () => {
    assert.match(templateProblem("Order {{payload.id"), /Unclosed tag/);
    assert.equal(templateProblem("Order {{payload.id}}"), undefined);
  });
});
