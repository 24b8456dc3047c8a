"use strict";
// The Chat&Messenger client's edges against a plain server on 127.0.0.1: the API name it refuses,
// the form it writes, how it tells text from JSON, and the download name it takes from the answer.
const assert = require("node:assert/strict");
const { answeringServer, answering, camClientFor, settled } = require("../support/answering-server");

const EXPORT = { apiName: "exportUsers", form: { path: "users.csv" } };

describe("CamClient edges", function () {
  let server;
  let client;
  before(async () => {
    server = await answeringServer();
    client = camClientFor(server.url);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  /** Answers `{"status":200}` and resolves with the body of the next request. */
  function nextBody() {
    return new Promise((resolve) => {
      server.answer = (req, res) => {
        const chunks = [];
        req.on("data", (chunk) => chunks.push(chunk));
        req.on("end", () => {
          res.writeHead(200, { "content-type": "application/json" }).end('{"status":200}');
          resolve(Buffer.concat(chunks).toString("latin1"));
        });
      };
    });
  }

  describe("the API name", function () {
    for (const apiName of ["../admin", "https://evil.example.com/x", "send message", "", 42]) {
      it(`refuses ${JSON.stringify(apiName)} before anything is sent, naming the field apiName`, async () => {
        const before = server.requests;
        await assert.rejects(
          async () => client.call({ apiName }),
          (err) => {
            assert.equal(err.code, "INVALID_INPUT");
            assert.equal(err.details.field, "apiName");
            assert.equal(err.message, "apiName: must be an API name such as sendMessage (letters, digits, _).");
            return true;
          }
        );
        assert.equal(server.requests, before);
      });
    }
  });

  describe("the form it sends", function () {
    it("joins the fields with & and nothing before the first", async () => {
      const body = nextBody();
      await client.call({ apiName: "someFutureApi", form: { a: "1", b: "x y", c: "" } });
      assert.equal(await body, "a=1&b=x%20y&c=");
    });

    it("sends a lone surrogate (half an emoji) as U+FFFD, the rest of the text unchanged", async () => {
      const body = nextBody();
      await client.call({ apiName: "someFutureApi", form: { message: "ab\uD83Dc", ["k\uDE00"]: "ok" } });
      assert.equal(await body, "message=ab%EF%BF%BDc&k%EF%BF%BD=ok");
    });
  });

  describe("text or JSON", function () {
    it("names no content type as ? when a web page comes back without one", async () => {
      server.answer = answering(200, undefined, "<html><body>Sign in</body></html>");
      const { error } = await settled(client.call(EXPORT));
      assert.equal(error?.code, "BAD_RESPONSE");
      assert.match(error.message, /^The server answered a web page \(\?\), not the answer of exportUsers/);
    });

    it("returns CSV with braces and brackets inside its cells as the text it is", async () => {
      const csv = "email,note\na@example.com,{team} [lead]\n";
      server.answer = answering(200, "text/csv", csv);
      assert.equal((await client.call(EXPORT)).data, csv);
    });

    it("reads the 520 error model behind blank lines, whatever the text label, where CSV is expected", async () => {
      server.answer = answering(200, "text/plain", '\n  {"status":520,"errors":[{"code":"800","message":"admin only"}]}');
      const { error } = await settled(client.call(EXPORT));
      assert.equal(error?.code, "800");
    });

    it("calls JSON where the CSV export belongs BAD_RESPONSE, naming the API", async () => {
      server.answer = answering(200, "application/json", '{"status":200}');
      const { error } = await settled(client.call(EXPORT));
      assert.equal(error?.code, "BAD_RESPONSE");
      assert.equal(error.message, "The server answered exportUsers with JSON where text (CSV) belongs.");
      assert.equal(error.details.status, 200);
    });
  });

  describe("an API this package does not know (the generic node)", function () {
    it("is not repeated after a connection closed without an answer: it may have done its work", async () => {
      const retrying = camClientFor(server.url, { retries: 2 });
      try {
        server.answer = (req) => req.socket.destroy();
        const before = server.requests;
        const { error } = await settled(retrying.call({ apiName: "someFutureApi", form: { a: "1" } }));
        assert.equal(error?.code, "MAYBE_DELIVERED");
        assert.equal(server.requests - before, 1);
        // A read the contract knows is repeated.
        const again = server.requests;
        await settled(retrying.call({ apiName: "getCallStats", form: { roomName: "r" } }));
        assert.equal(server.requests - again, 3);
      } finally {
        await retrying.close();
      }
    });

    it("may answer plain text, which is its data", async () => {
      server.answer = answering(200, "text/plain", "pong");
      assert.equal((await client.call({ apiName: "someFutureApi" })).data, "pong");
    });
  });

  describe("an upload", function () {
    it("sends its form fields as parts before the file", async () => {
      const body = nextBody();
      const file = { field: "file", filename: "users.csv", content: "email\nanna@example.com\n", contentType: "text/csv" };
      await client.call({ apiName: "someFutureApi", form: { note: "weekly" }, file });
      const text = await body;
      assert.match(text, /content-disposition: form-data; name="note"\r\n\r\nweekly\r\n--/);
      assert.ok(text.indexOf('name="note"') < text.indexOf('name="file"; filename="users.csv"'), text);
    });
  });

  describe("the download name", function () {
    async function nameFor(disposition) {
      server.answer = (req, res) => res.writeHead(200, { "content-type": "text/csv", "content-disposition": disposition }).end("email\n");
      return (await client.call(EXPORT)).filename;
    }

    it("has no token the server echoes in it", async () => {
      const token = "CANARY-answering-server-token";
      const name = await nameFor(`attachment; filename="export-${token}.csv"`);
      assert.ok(name && !name.includes(token), name);
    });

    for (const [disposition, expected] of [
      ["attachment; filename=users.csv", "users.csv"],
      ['attachment; filename="users 2.csv"', "users 2.csv"],
      ['attachment; filename = "report.csv"', "report.csv"],
      ["attachment; filename=users.csv ; size=6", "users.csv"],
      ['attachment; filename="C:\\exports\\users.csv"', "users.csv"],
      ["attachment; filename=\"plain.csv\"; filename* = UTF-8''%E2%9C%93.csv", "✓.csv"],
      ["attachment; filename*=UTF-8''%E3%83; filename=\"fallback.csv\"", "fallback.csv"],
    ]) {
      it(`takes ${JSON.stringify(expected)} from ${disposition}`, async () => {
        assert.equal(await nameFor(disposition), expected);
      });
    }

    for (const disposition of [
      'attachment; filename="."',
      'attachment; filename=".."',
      'attachment; filename="exports/.."',
      'attachment; filename="exports/"',
      "attachment",
    ]) {
      it(`takes no name from ${disposition}`, async () => {
        assert.equal(await nameFor(disposition), undefined);
      });
    }
  });
});
