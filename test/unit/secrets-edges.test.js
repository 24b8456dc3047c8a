"use strict";
// The edges of core/secrets.ts (docs/failure-modes.md, "Secrets stay in"): each decoding an error's
// text goes through, each alignment of hex and base64, the bounds, and what error() gives back.
// secrets.test.js has the rules in their common form.
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const { Secrets, serverText, MAX_SERVER_TEXT } = require("../../nodes/core/transport/secrets");
const { CodedError } = require("../../nodes/core/errors");
const { XassistError } = require("../../nodes/xassist/xassist-errors");

const TOKEN = "CANARY/0a1b2c3d4e5f+t=";
/** No 8 characters in a row of it survive an encoding of its slashes: only decoding finds a piece of it. */
const SLASHED = "k9/Xq/z7/Mw/p3/Rt";
/** 8 characters in a row of SLASHED, each slash before a letter (a decimal entity would take a digit after it). */
const PIECE = "9/Xq/z7/";
const SPACED = "whoever was here first";
const UMLAUT = "Zürich/Genève/Köln";

function secretsWith(...values) {
  const secrets = new Secrets();
  for (const value of values) secrets.add(value);
  return secrets;
}

/** PIECE with each "/" written as `slash`. */
const pieceWith = (slash) => PIECE.replaceAll("/", slash);

describe("Secrets: edges", () => {
  describe("clean() decodes an error's text before it compares", () => {
    const secrets = secretsWith(SLASHED);
    const cases = {
      "a hex entity": "&#x2f;",
      "a hex entity with a capital X": "&#X2F;",
      "a decimal entity": "&#47;",
      "a decimal entity without its semicolon": "&#47",
      "a named entity": "&sol;",
      "a named entity in capitals": "&SOL;",
      "a \\u escape": "\\u002f",
      "a \\u escape behind many backslashes (JSON in JSON, five times)": "\\".repeat(31) + "u002f",
      "a \\x escape": "\\x2f",
      "a \\x escape behind many backslashes": "\\".repeat(31) + "x2f",
      "an escaped slash": "\\/",
      "a percent escape": "%2F",
      "a percent escape in lower case": "%2f",
      "an entity, percent-encoded twice": encodeURIComponent(encodeURIComponent("&#x2F;")),
      "a percent escape as an entity in a JSON string": "\\u0026#x25;2F",
    };
    for (const [name, slash] of Object.entries(cases)) {
      it(`finds a piece of a secret with its slashes written as ${name}`, () => {
        assert.equal(secrets.clean(`bad ${pieceWith(slash)} here`), "bad *** here");
      });
    }

    it("leaves a piece of a secret alone without the decoding (no 8 of its characters in a row)", () => {
      assert.equal(secrets.clean(`bad ${pieceWith("|")} here`), `bad ${pieceWith("|")} here`);
    });

    it("decodes a text 4 times at most: a piece encoded 5 times is not looked for (the work per text stays bounded)", () => {
      let four = PIECE;
      for (let i = 0; i < 4; i++) four = encodeURIComponent(four);
      const five = encodeURIComponent(four);
      assert.equal(secrets.clean(`bad ${four} here`), "bad *** here");
      assert.equal(secrets.clean(`bad ${five} here`), `bad ${five} here`);
    });

    it("leaves an entity beyond U+10FFFF and an unknown named entity as they are", () => {
      assert.equal(secrets.clean("bad &#9999999; &#x110000; &bogus; &x here"), "bad &#9999999; &#x110000; &bogus; &x here");
      assert.equal(secrets.clean(`bad &#9999999;${pieceWith("&sol;")} here`), "bad *** here");
      // A password may hold such a text: it is compared as it reads.
      assert.equal(secretsWith("Tr0ub&#9999999;dor").clean("bad ub&#9999999;do here"), "bad *** here");
    });

    it("decodes percent escapes of UTF-8 (several bytes to one character) and of Latin-1 (invalid UTF-8: byte for byte)", () => {
      const umlaut = secretsWith(UMLAUT);
      // "ürich/Ge": 8 characters in a row of the secret.
      assert.equal(umlaut.clean("bad %C3%BCrich%2FGe here"), "bad *** here");
      assert.equal(umlaut.clean("bad %FCrich%2FGe here"), "bad *** here");
    });
  });

  describe("clean() finds a piece of a secret's bytes in hex or base64", () => {
    const secrets = secretsWith(TOKEN);
    // 9 bytes of the secret: no spelling of the whole secret, so only clean() finds them.
    const piece = Buffer.from(TOKEN.slice(4, 13));

    for (const [name, prefix] of [
      ["", ""],
      [" after one more hex digit", "f"],
    ]) {
      it(`finds them in hex${name}`, () => {
        const hex = prefix + piece.toString("hex");
        assert.equal(secrets.clean(`bad ${hex} here`), "bad *** here");
        assert.equal(secrets.clean(`bad ${hex.toUpperCase()} here`), "bad *** here");
      });
    }

    for (const prefix of ["", "Q", "QU", "QUJ"]) {
      it(`finds them in base64 after ${prefix.length} more base64 characters`, () => {
        assert.equal(secrets.clean(`bad ${prefix}${piece.toString("base64")} here`), "bad *** here");
        assert.equal(secrets.clean(`bad ${prefix}${piece.toString("base64url")} here`), "bad *** here");
      });
    }

    it("leaves hex and base64 that hold no secret alone", () => {
      const text = `id ${crypto.createHash("sha256").update("x").digest("hex")} ${Buffer.from("nothing secret here").toString("base64")}`;
      assert.equal(secrets.clean(text), text);
    });
  });

  describe("clean() and runs of 8 characters", () => {
    it("finds the last 8 characters of a secret, also at the very end of the text", () => {
      const secrets = secretsWith(TOKEN);
      assert.equal(secrets.clean(`bad ${TOKEN.slice(-8)}`), "bad ***");
      assert.equal(secrets.clean(`bad ${TOKEN.slice(-9, -1)}`), "bad ***");
      assert.equal(secrets.clean(`bad ${TOKEN.slice(-8)} here`), "bad *** here");
    });

    it("finds a piece of a passphrase with spaces, as it reads, across words, and form-encoded", () => {
      const secrets = secretsWith(SPACED);
      assert.equal(secrets.clean("it said ever was here, sorry"), "***");
      assert.equal(secrets.clean("bad ever+was+here here"), "bad *** here");
    });

    it("masks nothing else when a passphrase with spaces is configured", () => {
      assert.equal(secretsWith(SPACED).clean("all good here, nothing to see"), "all good here, nothing to see");
    });

    it("masks nothing when no secret is configured", () => {
      const text = "the user was here before: duplicate entry";
      assert.equal(new Secrets().clean(text), text);
      assert.equal(new Secrets().redact(text), text);
      assert.equal(secretsWith(TOKEN).clean(text), text);
    });

    it("masks a piece of a secret that ends with a backslash before a blank (a JSON escape as a whole text)", () => {
      const secrets = secretsWith("XYZ-abcdefg\\tail");
      assert.equal(secrets.clean("got abcdefg\\ then"), "got *** then");
      assert.equal(secrets.clean("got abcdefg\\"), "got ***");
    });

    it("looks for runs in the first 2048 characters of a very long secret only (the rest is masked whole)", () => {
      let long = "";
      for (let i = 0; long.length < 3000; i++) long += crypto.createHash("sha256").update(String(i)).digest("base64url");
      const secrets = secretsWith(long);
      assert.equal(secrets.clean(`bad ${long.slice(2000, 2008)} here`), "bad *** here");
      assert.equal(secrets.clean(`bad ${long.slice(2500, 2508)} here`), `bad ${long.slice(2500, 2508)} here`);
      assert.equal(secrets.clean(`bad ${long} here`), "bad *** here");
    });
  });

  describe("redact()", () => {
    it("masks a JSON-escaped secret (quotes and backslashes) in a success answer", () => {
      const secret = 'pa"ss\\wd';
      assert.equal(secretsWith(secret).redact(JSON.stringify({ error: `bad ${secret}` })), '{"error":"bad ***"}');
    });

    it("masks a secret written in capitals the Turkish way (a dotted capital I)", () => {
      const secrets = secretsWith("mini-kiwi-token");
      assert.equal(secrets.redact("got MİNİ-KİWİ-TOKEN here"), "got *** here");
      assert.equal(secrets.redact("got MİNİ-KİWİ-TOKEN İ here"), "got *** İ here");
    });

    it("masks overlapping secrets as one", () => {
      const secrets = secretsWith("session-abcd", "abcd-1234");
      assert.equal(secrets.redact("got session-abcd-1234 here"), "got *** here");
    });

    for (const prefix of ["", "x", "xy"]) {
      it(`masks all but the edges of a secret's base64 inside a longer base64 text, after ${prefix.length} more byte(s)`, () => {
        const base64 = Buffer.from(prefix + TOKEN).toString("base64");
        // Each edge keeps at most the 4 characters that mix the secret's bytes with its neighbours'.
        assert.match(secretsWith(TOKEN).redact(base64), /^[A-Za-z0-9+/]{0,4}\*\*\*[A-Za-z0-9+/=]{0,4}$/);
      });
    }
  });

  describe("session tokens", () => {
    it("counts a session token as superseded from when it is replaced, not from when it was set again unchanged", () => {
      const secrets = new Secrets();
      const first = "access-token-first-1111";
      secrets.session("access", first);
      secrets.session("access", first);
      for (let i = 0; i <= 15; i++) secrets.session("refresh", `refresh-${i}-qwertyuiop`);
      secrets.session("access", "access-token-second-2222");
      // The 17th token superseded: the oldest (refresh 0) ages out, the access token replaced just before stays.
      secrets.session("refresh", "refresh-16-qwertyuiop");
      assert.equal(secrets.redact(first), "***");
      assert.equal(secrets.redact("refresh-0-qwertyuiop"), "refresh-0-qwertyuiop");
      assert.equal(secrets.redact("refresh-1-qwertyuiop"), "***");
    });
  });

  describe("code()", () => {
    it("takes integers and code-like texts only", () => {
      const secrets = secretsWith(TOKEN);
      assert.equal(secrets.code(805), "805");
      assert.equal(secrets.code("E_AUTH.1"), "E_AUTH.1");
      for (const value of [undefined, null, 1.5, NaN, true, {}, "has space", "x".repeat(33)]) assert.equal(secrets.code(value), "unknown", String(value));
    });
  });

  describe("error()", () => {
    const secrets = secretsWith(TOKEN);

    it("masks a secret in the message and keeps the code and details", () => {
      const error = secrets.error(new CodedError("NETWORK", `bad token ${TOKEN}`, { status: 500, retryable: true, attempts: 2 }));
      assert.ok(error instanceof CodedError);
      assert.equal(error.message, "bad token ***");
      assert.equal(error.code, "NETWORK");
      assert.deepEqual(error.details, { status: 500, retryable: true, attempts: 2 });
    });

    it("reports a code that holds a secret as unknown, and keeps the rest", () => {
      const code = TOKEN.replace(/[^A-Za-z0-9]/g, "_");
      const error = secrets.error(new CodedError(code, "refused", { status: 401 }));
      assert.equal(error.code, "unknown");
      assert.equal(error.message, "refused");
      assert.deepEqual(error.details, { status: 401 });
    });

    it("masks a secret in a detail and keeps the other details", () => {
      const error = secrets.error(new CodedError("HTTP_401", "refused", { status: 401, apiMessage: `token ${TOKEN} expired`, retryable: false }));
      assert.equal(error.message, "refused");
      assert.deepEqual(error.details, { status: 401, apiMessage: "token *** expired", retryable: false });
    });

    it("masks a secret in lists and nested objects of the details, 5 levels deep", () => {
      const details = { list: ["ok", TOKEN, 3], a: { b: { c: { d: { e: TOKEN, n: 1 } } } } };
      const error = secrets.error(new CodedError("X", "refused", details));
      assert.deepEqual(error.details, { list: ["ok", "***", 3], a: { b: { c: { d: { e: "***", n: 1 } } } } });
    });

    it("cleans details that refer to themselves without running forever", () => {
      const details = { apiMessage: TOKEN, list: [] };
      details.self = details;
      details.list.push(details.list);
      const error = secrets.error(new CodedError("X", `bad ${TOKEN}`, details));
      assert.equal(error.message, "bad ***");
      assert.equal(error.details.apiMessage, "***");
      assert.equal(error.details.self.apiMessage, "***");
    });

    it("passes an error with nothing to mask on as it is: the same object, its class kept", () => {
      const refused = XassistError.fromResponse(401, "Unauthorized", "/login");
      assert.equal(secrets.error(refused), refused);
      const flat = new CodedError("805", "no such user", { status: 200, retryable: false });
      assert.equal(secrets.error(flat), flat);
    });

    it("passes every error on as it is when no secret is configured, whatever its details", () => {
      const error = new CodedError("X", "bad", { body: { nested: ["a"] } });
      assert.equal(new Secrets().error(error), error);
    });
  });

  describe("serverText()", () => {
    const secrets = secretsWith(TOKEN);

    it(`keeps ${MAX_SERVER_TEXT} characters of a server's text and marks the cut`, () => {
      const exact = "x".repeat(MAX_SERVER_TEXT);
      assert.equal(serverText(secrets, exact), exact);
      assert.equal(serverText(secrets, `${exact}yz`), `${exact}…`);
      assert.equal(serverText(secrets, "short"), "short");
      assert.equal(serverText(secrets, ""), undefined);
    });

    it("masks a secret before it cuts: a secret across the cut is not left half", () => {
      // 302 characters with the secret, 283 once it is masked: all of it is kept.
      const before = "x ".repeat(MAX_SERVER_TEXT / 2 - 10);
      assert.equal(serverText(secrets, `${before}${TOKEN} trailing`), `${before}*** trailing`);
    });
  });
});
