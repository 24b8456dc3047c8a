"use strict";
// What counts as success for Chat&Messenger (API-NOTES §1): HTTP 200 only, a `status` field of 200,
// `status: 520` (number or text) is the API's error, and a page labelled HTML is never the answer.
const assert = require("node:assert/strict");
const { answeringServer, answering, camClientFor, settled } = require("../support/answering-server");

const SEND = { apiName: "sendMessage", form: { message: "{}" } };
const EXPORT = { apiName: "exportUsers", form: { path: "users.csv" } };
/** An API this package does not know: any answer shape is its data, so only the error model tells failure. */
const FUTURE = { apiName: "someFutureApi", form: { a: "1" } };

describe("Chat&Messenger answers from a plain server", function () {
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

  describe("the Chat&Messenger success contract", function () {
    for (const status of [201, 202, 203, 204, 206]) {
      it(`HTTP ${status} is HTTP_${status}, not success, even with a success body: only 200 is`, async () => {
        server.answer = answering(status, "application/json", status === 204 ? undefined : '{"status":200}');
        const { error } = await settled(client.call(SEND));
        assert.equal(error?.code, `HTTP_${status}`);
        assert.equal(error.details.status, status);
        assert.match(error.message, new RegExp(`HTTP ${status} \\(only 200 means success\\)`));
      });
    }

    for (const [what, body] of [
      ["text", '{"status":"NG"}'],
      ["another number", '{"status":500}'],
      ["another number as text", '{"status":"201"}'],
      ["true", '{"status":true}'],
      ["null", '{"status":null}'],
    ]) {
      it(`HTTP 200 whose status field is ${what} (${body}) is BAD_RESPONSE naming the status field`, async () => {
        server.answer = answering(200, "application/json", body);
        const { error } = await settled(client.call(SEND));
        assert.equal(error?.code, "BAD_RESPONSE");
        assert.match(error.message, /to sendMessage lacks "status" \(200\)/);
      });
    }

    it("a status of 200 as a number or as text is success", async () => {
      for (const body of ['{"status":200}', '{"status":"200"}']) {
        server.answer = answering(200, "application/json", body);
        assert.deepEqual((await client.call(SEND)).data, JSON.parse(body));
      }
    });

    for (const status of [520, "520"]) {
      const written = JSON.stringify(status);
      it(`status ${written} is the API's error with its code, for a known and an unknown API`, async () => {
        const body = JSON.stringify({ status, errors: [{ code: "805", message: "APIトークンが正しくありません" }] });
        server.answer = answering(200, "application/json", body);
        for (const req of [SEND, FUTURE]) {
          const { error } = await settled(client.call(req));
          assert.equal(error?.code, "805", `${req.apiName}: ${error?.message}`);
          assert.match(error.message, /805: the API token is not valid/);
          assert.equal(error.retryable, false);
        }
      });

      it(`status ${written} with code 491 is the retryable "too many requests"`, async () => {
        server.answer = answering(200, "application/json", JSON.stringify({ status, errors: [{ code: "491", message: "busy" }] }));
        const { error } = await settled(client.call(FUTURE));
        assert.equal(error?.code, "491");
        assert.match(error.message, /too many requests/);
        assert.equal(error.retryable, true);
      });
    }

    for (const [what, req] of [
      ["the CSV export", EXPORT],
      ["an unknown API", FUTURE],
      ["send message", SEND],
    ]) {
      it(`a text/html answer is a web page (BAD_RESPONSE) for ${what}, even when it does not start with <`, async () => {
        server.answer = answering(200, "text/html; charset=utf-8", "Please sign in to continue.");
        const { error, data } = await settled(client.call(req));
        assert.equal(error?.code, "BAD_RESPONSE", `answered ${JSON.stringify(data)}`);
        assert.match(error.message, /a web page \(text\/html; charset=utf-8\), not the answer of /);
      });
    }

    it("JSON labelled text/html is still read as the answer", async () => {
      server.answer = answering(200, "text/html", '{"status":200}');
      assert.deepEqual((await client.call(SEND)).data, { status: 200 });
    });

    for (const body of ["Login[SSO] required", "Sign in {here}", "{ not JSON, a page"]) {
      it(`text/html starting with ${JSON.stringify(body.slice(0, 6))} is a web page: only a start like JSON is read as JSON`, async () => {
        server.answer = answering(200, "text/html", body);
        for (const req of [EXPORT, SEND]) {
          const { error } = await settled(client.call(req));
          assert.equal(error?.code, "BAD_RESPONSE", req.apiName);
          assert.match(error.message, /a web page \(text\/html\)/);
        }
      });
    }

    for (const [what, body, reason] of [
      ["empty", "  ", /^The server's answer to sendMessage is empty/],
      ["cut off", '{"status":2', /^The server's answer to sendMessage is not valid JSON/],
      ["nested too deep", "[".repeat(65) + "]".repeat(65), /^The server's answer to sendMessage is nested deeper than 64 levels/],
    ]) {
      it(`an answer that is ${what} is BAD_RESPONSE naming the API, with the HTTP status, not retried`, async () => {
        server.answer = answering(200, "application/json", body);
        const { error } = await settled(client.call(SEND));
        assert.equal(error?.code, "BAD_RESPONSE");
        assert.match(error.message, reason);
        assert.equal(error.details.status, 200);
        assert.equal(error.details.retryable, false);
      });
    }

    it("brackets inside JSON strings do not count as nesting", async () => {
      const body = JSON.stringify({ conferenceRooms: [], note: "[{".repeat(100) });
      server.answer = answering(200, "application/json", body);
      assert.deepEqual((await client.call({ apiName: "getConferenceMaster" })).data, JSON.parse(body));
    });
  });

  describe("the fields a Chat&Messenger success answer must have", function () {
    const CASES = [
      ["updateChatRoom", "chatRoom", "object", [{ id: "1" }], [null, [], "room", 1]],
      ["getConferenceMaster", "conferenceRooms", "array", [[]], [null, {}, "rooms"]],
      ["getCallStats", "participants", "number", [0, 3.5], [null, "3", true]],
      ["createQuickCall", "sid", "string", ["abc"], [null, 1, {}]],
    ];
    for (const [apiName, field, kind, good, bad] of CASES) {
      const body = (value) => JSON.stringify({ url: "http://x/share/abc", sid: "abc", [field]: value });

      it(`${apiName}: "${field}" must be a ${kind}`, async () => {
        for (const value of good) {
          server.answer = answering(200, "application/json", body(value));
          assert.deepEqual((await client.call({ apiName, form: { a: "1" } })).data[field], value);
        }
        for (const value of [undefined, ...bad]) {
          server.answer = answering(200, "application/json", body(value));
          const { error } = await settled(client.call({ apiName, form: { a: "1" } }));
          assert.equal(error?.code, "BAD_RESPONSE", `${field}: ${JSON.stringify(value)}`);
          assert.equal(error.message, `The server's answer to ${apiName} lacks "${field}" (${kind}): check the server URL or a proxy in between.`);
        }
      });
    }

    it('getCallStats: "participants" of 1e999 (Infinity once read) is no number', async () => {
      server.answer = answering(200, "application/json", '{"participants":1e999}');
      const { error } = await settled(client.call({ apiName: "getCallStats", form: { roomName: "r" } }));
      assert.equal(error?.code, "BAD_RESPONSE");
      assert.match(error.message, /lacks "participants" \(number\)/);
    });
  });
});
