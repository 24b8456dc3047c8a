"use strict";
// What the xAssist panels accept and refuse, without a browser: each nodes/xassist-*.html runs in a vm
// with a stub RED and $ (test/support/panels.js). What every panel must have (its table entry's
// properties, defaults and limits, form, texts, help, look) is checked for every node by the rules
// test, test/unit/adding-an-api.test.js.
const assert = require("node:assert/strict");
const operations = require("../../nodes/xassist/xassist-operations.js");
const { loadPanel, nodeWith } = require("../support/panels");

/** Whether the property's validator takes the value (true, not a reason). */
const valid = (panel, prop, value, props = {}) => {
  const rule = panel.def.defaults[prop];
  return rule.validate ? rule.validate.call(nodeWith(panel, { [prop]: value, ...props }), value) === true : true;
};

describe("xAssist editor panels (static): what they accept", function () {
  it("xassist-create-call: validation matches what the runtime accepts", function () {
    const panel = loadPanel("xassist-create-call");
    assert.notEqual(valid(panel, "contacts", ""), true, "someone must be invited");
    assert.equal(valid(panel, "contacts", "", { teams: "1" }), true);
    assert.equal(valid(panel, "contacts", "expert1, 8"), true);
    assert.notEqual(valid(panel, "contacts", "[oops", { contactsType: "json" }), true);
    assert.equal(valid(panel, "creatorUser", "12"), true);
    assert.equal(valid(panel, "creatorUser", ""), true);
    assert.notEqual(valid(panel, "creatorUser", "glasses"), true);
    assert.equal(valid(panel, "planned", ""), true);
    assert.equal(valid(panel, "planned", "2030-01-02T03:04"), true);
    assert.notEqual(valid(panel, "planned", "soon"), true);
    const body = operations.createCallBody({ contacts: "expert1, 8", creatorUser: "12", planned: "2030-01-02T03:04Z" });
    assert.deepEqual(body.invitedContacts, [{ userId: "expert1" }, { userDbId: 8 }]);
  });

  it("xassist-call-watch: two labelled outputs and checked numbers", function () {
    const panel = loadPanel("xassist-call-watch");
    assert.equal(panel.def.outputs, 2);
    assert.match(panel.def.outputLabels.call(nodeWith(panel), 0), /event/);
    assert.match(panel.def.outputLabels.call(nodeWith(panel), 1), /ended/);
    assert.equal(valid(panel, "interval", "0.5"), true);
    assert.notEqual(valid(panel, "interval", "0.1"), true);
    assert.equal(valid(panel, "timeout", "0"), true);
    assert.notEqual(valid(panel, "timeout", "-1"), true);
  });

  it("xassist-config: keeps username and password in the credentials, never in the flow", function () {
    const panel = loadPanel("xassist-config");
    assert.deepEqual(Object.keys(panel.def.credentials), ["username", "password", "proxyUsername", "proxyPassword"]);
    assert.equal(panel.def.credentials.password.type, "password");
    assert.equal(panel.def.credentials.proxyPassword.type, "password");
    assert.notEqual(valid(panel, "proxy", "http://alice:secret@proxy.example.com:3128"), true);
    assert.equal(valid(panel, "proxy", "http://proxy.example.com:3128"), true);
    for (const name of ["username", "password", "token"]) assert.ok(!(name in panel.def.defaults));
    assert.equal(panel.def.defaults.refreshPath.value, "/auth/refresh");
    assert.equal(valid(panel, "serverURL", "https://frontline.example.com"), true);
    assert.notEqual(valid(panel, "serverURL", "frontline.example.com"), true);
  });
});
