"use strict";
// The users CSV upload's body (issue 21.8): built in slices without copying the file, the same bytes
// on every attempt, and a text cut only between whole characters.
const assert = require("node:assert/strict");
const { multipart } = require("../../nodes/core/transport/multipart");

async function bytesOf(body) {
  const chunks = [];
  for await (const chunk of body.chunks()) chunks.push(chunk);
  return { whole: Buffer.concat(chunks), chunks };
}

const file = (content) => ({ field: "file", filename: "users.csv", content, contentType: "text/csv; charset=utf-8" });

describe("multipart body", () => {
  it("is a well-formed multipart/form-data body whose length is announced exactly", async () => {
    const body = multipart({ note: "a & b" }, file("email\nu1@example.com\n"));
    const boundary = /boundary=(.+)$/.exec(body.contentType)[1];
    const { whole } = await bytesOf(body);
    assert.equal(whole.length, body.length);
    const text = whole.toString("utf8");
    assert.ok(text.startsWith(`--${boundary}\r\ncontent-disposition: form-data; name="note"\r\n\r\na & b\r\n`), text);
    assert.ok(
      text.includes(`name="file"; filename="users.csv"\r\ncontent-type: text/csv; charset=utf-8\r\n\r\nemail\nu1@example.com\n\r\n--${boundary}--\r\n`),
      text
    );
  });

  it("sends a Buffer's own bytes in slices that are views of it, not copies", async () => {
    const content = Buffer.alloc(3 * 1_048_576 + 5, 0x61);
    const { whole, chunks } = await bytesOf(multipart({}, file(content)));
    const slices = chunks.slice(1, -1);
    assert.equal(slices.length, 4);
    for (const slice of slices) assert.equal(slice.buffer, content.buffer, "a slice is a copy");
    assert.equal(whole.length - chunks[0].length - chunks.at(-1).length, content.length);
  });

  it("encodes a text as UTF-8 without cutting a character in two at a slice's end", async () => {
    // An emoji (two UTF-16 units) straddles the first 1 MB boundary.
    const content = "x".repeat(1_048_575) + "😀" + "é".repeat(10);
    const body = multipart({}, file(content));
    const { whole, chunks } = await bytesOf(body);
    assert.equal(whole.length, body.length);
    const sent = Buffer.concat(chunks.slice(1, -1)).toString("utf8");
    assert.equal(sent, content);
    for (const chunk of chunks.slice(1, -1)) assert.ok(!chunk.toString("utf8").includes("\uFFFD"), "a slice ends inside a character");
  });

  it("gives the same bytes on every read (a retry sends the body again)", async () => {
    const body = multipart({}, file("email\nu1@example.com\n"));
    assert.deepEqual((await bytesOf(body)).whole, (await bytesOf(body)).whole);
  });

  it("escapes quotes and line breaks in a file name, so that it cannot end the header", async () => {
    const body = multipart({}, { ...file("a"), filename: 'a"b\r\nx: y.csv' });
    const text = (await bytesOf(body)).whole.toString("utf8");
    assert.ok(text.includes('filename="a%22b%0D%0Ax: y.csv"'), text);
  });

  describe("slices of the file", () => {
    const SLICE = 1_048_576;
    /** The file's slices (between the head and the end of the body), at most `max` of them. */
    async function slicesOf(content, max = 10) {
      const chunks = [];
      for await (const chunk of multipart({}, file(content)).chunks()) {
        chunks.push(chunk);
        if (chunks.length > max + 2) assert.fail(`more than ${max} slices`);
      }
      return chunks.slice(1, -1);
    }

    it("a Buffer of exactly two slices is sent as two, none empty", async () => {
      const slices = await slicesOf(Buffer.alloc(2 * SLICE, 0x62));
      assert.deepEqual(
        slices.map((slice) => slice.length),
        [SLICE, SLICE]
      );
    });

    it("a text is sent 1 MB of characters at a time", async () => {
      const slices = await slicesOf("t".repeat(2 * SLICE + 3));
      assert.deepEqual(
        slices.map((slice) => slice.length),
        [SLICE, SLICE, 3]
      );
    });

    // What ends the first slice: a character of two UTF-16 units stays whole in the next slice; any
    // other character ends it as usual.
    const boundaries = [
      ["U+10000, the first character of two units", "\u{10000}", SLICE - 1],
      ["U+10FC00, whose first unit is the last of its kind", "\u{10FC00}", SLICE - 1],
      ["an emoji", "\u{1F600}", SLICE - 1],
      ["U+FF21, a single unit above the surrogates", "\uFF21", SLICE],
      ["U+D7FF, a single unit below the surrogates", "\uD7FF", SLICE],
    ];
    for (const [what, character, firstSlice] of boundaries) {
      it(`${what} at the 1 MB boundary: the first slice holds ${firstSlice === SLICE ? "1 MB" : "1 MB less one"} of characters`, async () => {
        const content = "x".repeat(SLICE - 1) + character + "y".repeat(10);
        const slices = await slicesOf(content);
        const texts = slices.map((slice) => slice.toString("utf8"));
        assert.equal(texts[0].length, firstSlice);
        assert.equal(texts.join(""), content);
      });
    }

    it("a text that ends in half a character is still sent, once", async () => {
      const content = "abc\uD83D";
      const slices = await slicesOf(content);
      assert.deepEqual(Buffer.concat(slices), Buffer.from(content, "utf8"));
    });
  });
});
