"use strict";
// Which saved secret a dialog's "Test connection" may use: the placeholder the editor posts is no
// secret, and the saved one goes only where the deployed settings send it. The posted settings are
// compared as the dialog sends them: text trimmed, blank as unset, check boxes as true/false.
const assert = require("node:assert/strict");
const { SAVED_SECRET, sameDestination, typedSecret } = require("../../nodes/core/node/saved-credentials");

// The Chat&Messenger server node's destination settings (src/cam/connection-test.ts).
const KEYS = ["serverURL", "proxy", "ca", "insecure", "skipHostCheck"];
const FLAGS = ["insecure", "skipHostCheck"];
const deployed = { serverURL: "https://chat.example.com", proxy: "", ca: undefined, insecure: false, skipHostCheck: true };
const same = (posted, saved = deployed) => sameDestination(saved, { ...deployed, ...posted }, KEYS, FLAGS);

describe("saved credentials at their edges", () => {
  it("a secret typed in the dialog is used; blank or the placeholder is none", () => {
    assert.equal(typedSecret("tok-123"), "tok-123");
    assert.equal(typedSecret(SAVED_SECRET), undefined);
    assert.equal(typedSecret(""), undefined);
    assert.equal(typedSecret(undefined), undefined);
  });

  it("nothing deployed: the saved secret goes nowhere", () => {
    assert.equal(sameDestination(undefined, deployed, KEYS, FLAGS), false);
    assert.equal(sameDestination(undefined, {}, [], []), false);
  });

  it("the deployed settings as posted are the same destination", () => {
    assert.equal(same({}), true);
  });

  it("text is compared trimmed, and blank is the same as unset", () => {
    assert.equal(same({ serverURL: "  https://chat.example.com \n" }), true);
    assert.equal(same({ proxy: undefined, ca: "" }), true);
    assert.equal(same({ proxy: null, ca: "  " }), true);
    assert.equal(same({ serverURL: "https://other.example.com" }), false);
    assert.equal(same({ proxy: "http://proxy.example.com:8080" }), false);
  });

  it('check boxes are compared as true/false: "true" is true, anything else false', () => {
    assert.equal(same({ skipHostCheck: "true" }), true);
    assert.equal(same({ insecure: "false" }), true);
    assert.equal(same({ insecure: undefined }), true);
    assert.equal(same({ insecure: "" }), true);
    assert.equal(same({ insecure: true }), false);
    assert.equal(same({ insecure: "true" }), false);
    assert.equal(same({ skipHostCheck: false }), false);
  });

  it("a key that is no check box is compared as text, not as true/false", () => {
    assert.equal(sameDestination({ domain: "false" }, { domain: "" }, ["domain"], FLAGS), false);
    assert.equal(sameDestination({ domain: "true" }, { domain: true }, ["domain"], FLAGS), true);
  });
});
