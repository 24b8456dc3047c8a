"use strict";
// What transportError makes of what undici and Node throw (docs/failure-modes.md): the code, whether
// it is retried, and the reason a Catch node reads in msg.error.cause.
const assert = require("node:assert/strict");
const { transportError } = require("../../nodes/core/transport/transport-errors.js");

/** An error as undici or Node throws it. */
const thrown = (code, message = `failed: ${code}`, extra = {}) => Object.assign(new Error(message), { code }, extra);
/** The cause as a Catch node sees it (msg.error.cause). */
const causeOf = (err) => ({ ...transportError(err).cause });

describe("transport errors", () => {
  describe("the reason names what failed", () => {
    it("an error without a code is named by its kind", () => {
      assert.deepEqual(causeOf(new TypeError("terminated")), { code: "MAYBE_DELIVERED", retryable: false, reason: "TypeError" });
    });

    it("something thrown that is not an error is named '?'", () => {
      for (const value of [undefined, null]) {
        const error = transportError(value);
        assert.equal(error.code, "MAYBE_DELIVERED");
        assert.equal(error.cause.reason, "?");
        assert.match(error.message, /\(\?\)/);
      }
    });

    it("a timeout is TIMEOUT, not retried, with undici's code as the reason", () => {
      assert.deepEqual(causeOf(thrown("UND_ERR_HEADERS_TIMEOUT")), { code: "TIMEOUT", retryable: false, reason: "UND_ERR_HEADERS_TIMEOUT" });
    });

    it("a connection broken after the request left is MAYBE_DELIVERED, not retried, with the break as the reason", () => {
      assert.deepEqual(causeOf(thrown("ECONNRESET")), { code: "MAYBE_DELIVERED", retryable: false, reason: "ECONNRESET" });
    });
  });

  describe("a header or URL undici refuses to send", () => {
    it("is NETWORK, not retried (a repeat cannot help), naming the refused header", () => {
      const error = transportError(thrown("UND_ERR_INVALID_ARG", "invalid x-cam-apitoken header"));
      assert.equal(error.code, "NETWORK");
      assert.match(error.message, /^Could not connect to the server \(UND_ERR_INVALID_ARG: invalid x-cam-apitoken header\)/);
      assert.deepEqual({ ...error.cause }, { code: "NETWORK", retryable: false, reason: "UND_ERR_INVALID_ARG" });
    });

    const withoutTheMessage = [
      ["text before undici's words", "tok3n-v4lue invalid x-cam-apitoken header"],
      ["text after undici's words", "invalid x-cam-apitoken header: tok3n-v4lue"],
      ["no message at all", undefined],
      ["another message", "invalid url"],
    ];
    for (const [what, message] of withoutTheMessage) {
      it(`keeps only the code when the message is not undici's header words: ${what}`, () => {
        const err = thrown("UND_ERR_INVALID_ARG", "x");
        err.message = message;
        const error = transportError(err);
        assert.match(error.message, /^Could not connect to the server \(UND_ERR_INVALID_ARG\)\./);
        assert.equal(error.cause.retryable, false);
      });
    }
  });

  describe("certificates", () => {
    it("undici's proxy TLS error is judged by Node's error inside it: a host name mismatch", () => {
      const err = thrown("UND_ERR_PRX_TLS", "secure proxy connection failed", { cause: { code: "ERR_TLS_CERT_ALTNAME_INVALID" } });
      const error = transportError(err);
      assert.equal(error.code, "TLS");
      assert.match(error.message, /certificate is for another host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    });

    it("undici's proxy TLS error is judged by Node's error inside it: an expired certificate", () => {
      const err = thrown("UND_ERR_PRX_TLS", "secure proxy connection failed", { cause: { code: "CERT_HAS_EXPIRED" } });
      assert.deepEqual(causeOf(err), { code: "TLS", retryable: false, reason: "CERT_HAS_EXPIRED" });
    });

    it("another error is judged by its own code, whatever its cause", () => {
      const err = thrown("UND_ERR_SOCKET", "other side closed", { cause: { code: "CERT_HAS_EXPIRED" } });
      assert.deepEqual(causeOf(err), { code: "MAYBE_DELIVERED", retryable: false, reason: "UND_ERR_SOCKET" });
    });

    it("a TLS failure that is not about the certificate is TLS too, not retried", () => {
      assert.deepEqual(causeOf(thrown("ERR_TLS_INVALID_PROTOCOL_VERSION")), { code: "TLS", retryable: false, reason: "ERR_TLS_INVALID_PROTOCOL_VERSION" });
    });
  });

  describe("a proxy that refuses the tunnel", () => {
    const refusal = (status) => `Proxy response (${status}) !== 200 when HTTP Tunneling`;

    it("is PROXY with the proxy's status as the reason", () => {
      assert.deepEqual(causeOf(thrown("UND_ERR_ABORTED", refusal(407))), { code: "PROXY", retryable: false, reason: "proxy 407", proxyStatus: 407 });
    });

    it("is read only from undici's abort error, not from any error with those words", () => {
      assert.deepEqual(causeOf(thrown("ECONNRESET", refusal(502))), { code: "MAYBE_DELIVERED", retryable: false, reason: "ECONNRESET" });
    });
  });
});
