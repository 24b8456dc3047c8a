"use strict";
// The masking rules of core/secrets.ts, one by one (issue 21.2-3): the end-to-end suites show that
// nothing leaks; these show which rule holds it.
const assert = require("node:assert/strict");
const { Secrets } = require("../../nodes/core/transport/secrets");

const TOKEN = "CANARY/0a1b2c3d4e5f+t=";

function secretsWith(...values) {
  const secrets = new Secrets();
  for (const value of values) secrets.add(value);
  return secrets;
}

describe("Secrets", () => {
  it("masks every spelling of a secret in place in a success answer, in any letter case, and keeps the rest", () => {
    const secrets = secretsWith(TOKEN);
    const body = JSON.stringify({ status: 200, a: TOKEN.toUpperCase(), b: encodeURIComponent(TOKEN), c: Buffer.from(TOKEN).toString("hex") });
    assert.equal(secrets.redact(body), '{"status":200,"a":"***","b":"***","c":"***"}');
  });

  it("masks a \\u-escaped secret in a success answer", () => {
    const escaped = [...TOKEN].map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("");
    assert.equal(secretsWith(TOKEN).redact(`{"note":"${escaped}"}`), '{"note":"***"}');
  });

  it("masks secrets from 4 characters on, and leaves shorter ones (they would blank out words)", () => {
    assert.equal(secretsWith("abcd").clean("key abcd here"), "key *** here");
    assert.equal(secretsWith("abc").clean("key abc here"), "key abc here");
  });

  it("masks the word that holds any 8 characters in a row of a secret, in an error's text", () => {
    const secrets = secretsWith(TOKEN);
    assert.equal(secrets.clean("first CANARY/0a1b2 then c3d4e5f+t= end"), "first *** then *** end");
    assert.equal(secrets.clean("only CANARY/ here"), "only CANARY/ here", "7 characters are not a run");
  });

  it("decodes an error's text repeatedly before it compares: entities inside double URL-encoding", () => {
    const entities = TOKEN.replace(/[^A-Za-z0-9]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
    assert.equal(secretsWith(TOKEN).clean(`bad ${encodeURIComponent(encodeURIComponent(entities))} x`), "bad *** x");
  });

  it("finds a secret's bytes in hex and in base64 at any alignment", () => {
    const secrets = secretsWith(TOKEN);
    assert.equal(secrets.clean(`h ${Buffer.from(TOKEN).toString("hex").toUpperCase()}`), "h ***");
    for (const prefix of ["", "x", "xy"]) {
      // The edges of the base64 mix the secret's bytes with its neighbours': at most 4 characters on each side stay.
      assert.match(
        secrets.clean(`b ${Buffer.from(prefix + TOKEN).toString("base64")}`),
        /^b [A-Za-z0-9+/]{0,4}\*\*\*[A-Za-z0-9+/=]{0,4}$/,
        `after ${prefix.length} bytes`
      );
    }
  });

  it("does not take a code that holds a secret, in another letter case, for a code", () => {
    const hex = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    assert.equal(secretsWith(hex).code(hex.toUpperCase()), "unknown");
    assert.equal(secretsWith(hex).code("805"), "805");
  });

  it("never forgets a configured secret, however many session tokens come and go", () => {
    const secrets = secretsWith("Tr0ub4dor&3-xyz");
    for (let i = 0; i < 40; i++) secrets.session("access", `access-token-${i}-${"z".repeat(8)}`);
    assert.equal(secrets.clean("wrong password Tr0ub4dor&3-xyz"), "wrong password ***");
    assert.equal(secrets.clean("current access-token-39-zzzzzzzz"), "current ***");
  });

  it("keeps looking for the 16 most recent superseded session tokens, and lets older ones go", () => {
    const secrets = new Secrets();
    const token = (i) => `session-${String(i).padStart(3, "0")}-qwertyuiop`;
    for (let i = 0; i <= 20; i++) secrets.session("access", token(i));
    assert.equal(secrets.redact(token(20 - 16)), "***");
    assert.equal(secrets.redact(token(20 - 17)), token(20 - 17));
  });
});
