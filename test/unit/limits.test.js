"use strict";
// Bounds at their edges: the response size limit of a body streamed without a length, the upper bound
// of a whole-number setting, and the byte-order mark a server may put before its answer.
const assert = require("node:assert/strict");
const { answeringServer, answering, camClientFor, xassistClientFor, settled } = require("../support/answering-server");
const { integer } = require("../../nodes/core/validate.js");

const EXPORT = { apiName: "exportUsers", form: { path: "users.csv" } };
const LIMIT = 100_000;
const BOM = "\ufeff";

/** Writes the body in pieces without a Content-Length: the size is known only by reading it. */
const streaming = (contentType, body) => (req, res) => {
  res.writeHead(200, { "content-type": contentType });
  for (let at = 0; at < body.length; at += 16_384) res.write(body.slice(at, at + 16_384));
  res.end();
};

const csvOf = (bytes) => "email\n" + "x".repeat(bytes - "email\n".length);

describe("limits at their edges", function () {
  let server;
  let client;
  before(async () => (server = await answeringServer()));
  after(() => server.close());
  afterEach(() => client?.close());

  describe("a body streamed without a length", () => {
    it("is read in full up to the limit", async () => {
      client = camClientFor(server.url, { maxResponseBytes: LIMIT });
      server.answer = streaming("text/csv", csvOf(LIMIT));
      assert.equal((await client.call(EXPORT)).data.length, LIMIT);
    });

    for (const [bytes, what] of [
      [LIMIT + 1, "one byte over"],
      [1.5 * LIMIT, "at 1.5×"],
      [2 * LIMIT - 1, "one byte under 2×"],
    ]) {
      it(`is RESPONSE_TOO_LARGE ${what} the limit`, async () => {
        client = camClientFor(server.url, { maxResponseBytes: LIMIT });
        server.answer = streaming("text/csv", csvOf(bytes));
        const { error } = await settled(client.call(EXPORT));
        assert.equal(error?.code, "RESPONSE_TOO_LARGE");
        assert.equal(error.details.limit, LIMIT);
        assert.match(error.message, /larger than 0\.1 MB; the rest was not read/);
      });
    }

    it("of text (the CSV export) is read beyond the 4 MB that JSON may have", async () => {
      client = camClientFor(server.url);
      server.answer = streaming("text/csv", csvOf(6 * 1_048_576));
      assert.equal((await client.call(EXPORT)).data.length, 6 * 1_048_576);
    });

    it("of JSON is RESPONSE_TOO_LARGE at 1.5× the default 4 MB", async () => {
      client = camClientFor(server.url);
      server.answer = streaming("application/json", `{"conferenceRooms":[],"pad":"${"x".repeat(6 * 1_048_576)}"}`);
      const { error } = await settled(client.call({ apiName: "getConferenceMaster" }));
      assert.equal(error?.code, "RESPONSE_TOO_LARGE");
      assert.match(error.message, /larger than 4 MB/);
    });
  });

  describe("integer()", () => {
    it("takes whole numbers from the lower to the upper bound, as numbers or text", () => {
      assert.deepEqual(
        [1, 10_000, "10000", " 42 "].map((n) => integer("batchSize", n, 1, 10_000)),
        [1, 10_000, 10_000, 42]
      );
    });

    for (const value of [10_001, "10001", 1e9, 0, -1, 1.5, "", "ten", null, NaN]) {
      it(`refuses ${typeof value === "string" ? JSON.stringify(value) : String(value)}, saying the range`, () => {
        assert.throws(
          () => integer("batchSize", value, 1, 10_000),
          (err) => {
            assert.equal(err.code, "INVALID_INPUT");
            assert.equal(err.details.field, "batchSize");
            assert.equal(err.message, "batchSize: must be a whole number from 1 to 10000.");
            return true;
          }
        );
      });
    }
  });

  describe("a byte-order mark before the answer", () => {
    it("is dropped from JSON, which is then read", async () => {
      client = camClientFor(server.url);
      server.answer = answering(200, "application/json; charset=utf-8", `${BOM}{"status":200}`);
      assert.deepEqual((await client.call({ apiName: "sendMessage", form: { message: "{}" } })).data, { status: 200 });
    });

    it("is dropped from the CSV export", async () => {
      client = camClientFor(server.url);
      server.answer = answering(200, "text/csv", `${BOM}email,name\na@example.com,A\n`);
      assert.equal((await client.call(EXPORT)).data, "email,name\na@example.com,A\n");
    });

    it("is dropped from xAssist answers: the login's and the call log's", async () => {
      const xassist = (client = xassistClientFor(server.url));
      server.answer = (req, res) => {
        const body = req.url === "/login" ? '{"token":"CANARY-bom-session-token"}' : '{"callId":"c-1","callStatus":"Started"}';
        res.writeHead(200, { "content-type": "application/json" }).end(BOM + body);
      };
      const res = await xassist.call({ method: "GET", path: "/rtc/getCallLogById", query: { callId: "c-1" } });
      assert.deepEqual(res.data, { callId: "c-1", callStatus: "Started" });
    });
  });
});
