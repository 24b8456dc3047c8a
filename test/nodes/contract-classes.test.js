"use strict";
// Defects that once survived the suite (issue 27), each caught through a node in the real runtime:
// secrets echoed in a success answer, the 520 error model written as text, the reason of a refused
// expiry, recipients separated by ";" and spaces, and a bulk send that a lasting 491 must stop.
const assert = require("node:assert/strict");
const { camTestBed, formOf } = require("../support/cam-support");
const { answeringServer } = require("../support/answering-server");

const unicodeEscaped = (text) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

describe("contract classes through the runtime", function () {
  describe("cam-api against a server that echoes the token", () => {
    const bed = camTestBed("cam-api", { label: "echo" });
    let server;
    before(async () => {
      server = await answeringServer();
      server.answer = (req, res) => {
        const token = req.headers["x-cam-apitoken"];
        const body = `{"status":200,"raw":"${token}","escaped":"${unicodeEscaped(token)}","note":"token ${token} seen"}`;
        res.writeHead(200, { "content-type": "application/json" }).end(body);
      };
    });
    after(() => server.close());

    it("masks the token in msg.payload of a success answer, raw and \\u-escaped", async () => {
      await bed.load({ apiName: "echoToken" }, { token: "CANARY-echoed-in-success", url: server.url });
      const msg = await bed.ok({ payload: { a: 1 } });
      assert.deepEqual(msg.payload, { status: 200, raw: "***", escaped: "***", note: "token *** seen" });
    });

    for (const token of ["k9Vq", "Q7zX9", "pW3x8Kq"]) {
      it(`masks a token of ${token.length} characters in msg.payload of a success answer`, async () => {
        await bed.load({ apiName: "echoToken" }, { token, url: server.url });
        const msg = await bed.ok({ payload: { a: 1 } });
        assert.deepEqual(msg.payload, { status: 200, raw: "***", escaped: "***", note: "token *** seen" });
      });
    }
  });

  describe("cam-api against a server that writes the error status as text", () => {
    const bed = camTestBed("cam-api", { label: "text-520" });
    let server;
    before(async () => {
      server = await answeringServer();
      server.answer = (req, res) =>
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"520","errors":[{"code":"805","message":"invalid token"}]}');
    });
    after(() => server.close());

    it('reports {"status":"520"} as the API error 805 to the Catch node, not as success', async () => {
      await bed.load({ apiName: "futureApi" }, { url: server.url });
      const error = await bed.fail({ payload: { a: 1 } });
      assert.equal(error.code, "805");
      assert.match(error.message, /^Chat&Messenger error 805: the API token is not valid/);
    });
  });

  describe("cam-create-quick-call", () => {
    const bed = camTestBed("cam-create-quick-call");

    for (const [what, props] of [
      ["a number", { expires: "1893553445", expiresType: "num" }],
      ["text", { expires: "1893553445" }],
    ]) {
      it(`refuses an expiry in Unix seconds given as ${what}, saying it looks like seconds`, async () => {
        await bed.load(props);
        const error = await bed.fail({ payload: "go" });
        assert.equal(error.code, "INVALID_INPUT");
        assert.equal(error.cause.field, "expires");
        assert.equal(error.message, "expires: looks like Unix time in seconds; the API wants milliseconds.");
        assert.deepEqual(await bed.recorded(), []);
      });
    }
  });

  describe("cam-send-message", () => {
    const bed = camTestBed("cam-send-message");

    it("splits recipients on semicolons and spaces as well as commas", async () => {
      await bed.load({ recipients: "user1@xxx.com; user2@xxx.com user1@test.com;user2@test.com\n taro@example.com" });
      await bed.ok({ payload: "hi" });
      const [req] = await bed.recorded();
      const [[, message]] = formOf(req);
      assert.equal(JSON.parse(message).generalPurposes.users, "user1@xxx.com,user2@xxx.com,user1@test.com,user2@test.com,taro@example.com");
    });
  });

  describe("cam-send-messages", () => {
    const bed = camTestBed("cam-send-messages");
    const three = ["a", "b", "c"].map((message) => ({ message, users: "user1@xxx.com" }));

    it("stops the remaining batches when a 491 outlasts the retries", async () => {
      await bed.load({ batchSize: 1 }, { serverProps: { retries: 1, maxRetryDelay: 0 } });
      await bed.fault({ kind: "error520", code: "491", count: 100 });
      const error = await bed.fail({ payload: three });
      assert.equal(error.code, "491");
      assert.match(error.message, /^1 of 3 batches failed\. First error: .*too many requests/);
      assert.deepEqual(
        error.cause.batches.map(({ from, ok, code }) => ({ from, ok, code })),
        [{ from: 0, ok: false, code: "491" }]
      );
      const codes = (await bed.recorded()).map((r) => r.outcome.code);
      assert.deepEqual(codes, ["491", "491"], "the first batch and its one retry, no other batch");
    });

    it("refuses a batch size above its upper bound, saying the range", async () => {
      await bed.load({ batchSize: 10_001 });
      const error = await bed.fail({ payload: three });
      assert.equal(error.code, "INVALID_INPUT");
      assert.equal(error.message, "batchSize: must be a whole number from 1 to 10000.");
      assert.deepEqual(await bed.recorded(), []);
    });
  });
});
