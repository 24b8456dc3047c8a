"use strict";
// Which failures of a poll the call watch outlives (isTransient): the server or the network may
// recover before the watch times out, while an answer that cannot be used ends it.
const assert = require("node:assert/strict");
const { isTransient } = require("../../nodes/xassist/xassist-call-tracker.js");
const { XassistError } = require("../../nodes/xassist/xassist-errors.js");
const { CodedError } = require("../../nodes/core/errors.js");
const { answeringServer, xassistClientFor, settled } = require("../support/answering-server");

const httpError = (status) => XassistError.fromResponse(status, '{"message":"busy"}', "/rtc/getCallLogById");
const coded = (code, details = {}) => new CodedError(code, code, details);

describe("the call watch's transient failures", () => {
  for (const status of [429, 500, 502, 503, 504]) {
    it(`HTTP ${status} is transient: the watch polls again`, () => {
      assert.equal(isTransient(httpError(status)), true);
    });
  }

  for (const status of [400, 401, 403, 404, 405, 409]) {
    it(`HTTP ${status} ends the watch`, () => {
      assert.equal(isTransient(httpError(status)), false);
    });
  }

  for (const code of ["NETWORK", "TIMEOUT", "MAYBE_DELIVERED"]) {
    it(`${code} is transient`, () => {
      assert.equal(isTransient(coded(code)), true);
    });
  }

  for (const [what, error] of [
    ["BAD_RESPONSE of a 200", coded("BAD_RESPONSE", { status: 200 })],
    ["BAD_RESPONSE of a 500", coded("BAD_RESPONSE", { status: 500 })],
    ["RESPONSE_TOO_LARGE", coded("RESPONSE_TOO_LARGE")],
    ["CLOSED", coded("CLOSED")],
    ["a refused login", coded("LOGIN_FAILED", { status: 401 })],
  ]) {
    it(`${what} ends the watch`, () => {
      assert.equal(isTransient(error), false);
    });
  }

  it("the client reports a server's 429 with its status, so the watch sees it as transient", async () => {
    const server = await answeringServer();
    server.answer = (req, res) => {
      if (req.url === "/login") res.writeHead(200, { "content-type": "application/json" }).end('{"token":"CANARY-429-session"}');
      else res.writeHead(429, { "content-type": "application/json", "retry-after": "1" }).end('{"status":429,"message":"slow down"}');
    };
    const client = xassistClientFor(server.url, { connections: 1 });
    try {
      const { error } = await settled(client.call({ method: "GET", path: "/rtc/getCallLogById", query: { callId: "c-1" } }));
      assert.equal(error?.code, "HTTP_429");
      assert.equal(error.details.status, 429);
      assert.equal(error.details.apiMessage, "slow down");
      assert.equal(isTransient(error), true);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
