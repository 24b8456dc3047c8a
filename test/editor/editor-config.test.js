"use strict";
// The server configuration dialogs in Chromium against a real Node-RED with this package: every
// field, the "Test connection" button against the practice server, invalid values marked, and the secret
// never shown again once saved (dialog, page, /flows). Screenshots go to .artifacts/screenshots/.
const assert = require("node:assert/strict");
const { closeSharedEnvironment, useSharedEditor, accessToken } = require("../support/browser");

const CONFIG = "node-config-input";
const PROXY_PASSWORD = "proxy-Secret-77";

after(closeSharedEnvironment); // a root hook: once every editor test file is done

describe("editor: server configuration dialogs in Chromium", function () {
  this.timeout(120000);
  let env;
  let editor;
  let page;
  let adminToken;
  const bed = useSharedEditor();
  before(() => ({ env, editor, page, adminToken } = bed));

  const exported = async () => {
    const res = await fetch(`${env.nodeRed.url}/flows`, { headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(res.status, 200);
    return res.text();
  };

  /** Opens a new configuration's dialog from a fresh node of the given type, switched from the practice server to "My server". */
  async function newConfig(nodeType) {
    const id = await editor.drop(nodeType);
    await editor.edit(id);
    await editor.editConfig("server", "new");
    assert.equal(await editor.readField("server", CONFIG), "practice", "a new server starts as the practice server");
    await editor.setField("server", "own", CONFIG);
    return id;
  }

  /** Clicks the dialog's "Test connection" (prefix cam or xassist) and waits for its result. */
  async function testConnection(prefix = "cam") {
    const result = page.locator(`#node-config-${prefix}-test-result`);
    await page.locator(`#node-config-${prefix}-test`).click();
    await result.and(page.locator(`.${prefix}-ok, .${prefix}-failed`)).waitFor();
    return { ok: await result.evaluate((e, p) => e.classList.contains(`${p}-ok`), prefix), text: await result.innerText() };
  }

  const configIds = (type) =>
    page.evaluate((t) => {
      const ids = [];
      RED.nodes.eachConfig((n) => {
        if (n.type === t) ids.push(n.id);
      });
      return ids;
    }, type);
  const newConfigId = async (type, before) => (await configIds(type)).find((i) => !before.includes(i));

  /** The host-name choice appears only once "Accept self-signed certificates" is ticked. */
  async function setRelaxedTls(prefix) {
    const row = page.locator(`#node-config-${prefix}-skipHostCheck-row`);
    assert.equal(await row.isVisible(), false, "no host-name choice while certificates are checked");
    await editor.setField("insecure", true, CONFIG);
    assert.equal(await row.isVisible(), true, "the host-name choice once checks are relaxed");
    await editor.setField("skipHostCheck", true, CONFIG);
  }

  it("cam-config: every field is set, the connection tested, saved, kept; the token is never shown again", async () => {
    const { practiceServer } = env;
    const before = await configIds("cam-config");
    const nodeId = await newConfig("cam-call-stats");
    await editor.screenshot("cam-config", editor.tray());
    assert.equal(await editor.tray().locator(".red-ui-tray-breadcrumbs li").last().innerText(), "Add new Chat&Messenger server config node");

    const values = {
      name: "Chat (browser)",
      serverURL: practiceServer.url,
      timeout: "20",
      concurrency: "4",
      queueLimit: "500",
      retries: "1",
      maxRetryDelay: "5",
      maxResponse: "8.5",
      proxy: "",
      ca: "",
    };
    await editor.setField("name", values.name, CONFIG);
    await editor.setField("serverURL", values.serverURL, CONFIG);
    await editor.setField("apiToken", "not-a-valid-token", CONFIG);
    await page.locator("#node-config-cam-advanced-toggle").click();
    for (const field of ["timeout", "concurrency", "queueLimit", "retries", "maxRetryDelay", "maxResponse", "proxy", "ca"]) {
      await editor.setField(field, values[field], CONFIG);
      assert.equal(await editor.hasError(field, CONFIG, false), false, `${field} = ${values[field]}`);
    }
    await setRelaxedTls("cam");
    await editor.setField("proxyUsername", "proxy-user", CONFIG);
    await editor.setField("proxyPassword", PROXY_PASSWORD, CONFIG);
    const covered = [...Object.keys(values), "server", "apiToken", "insecure", "skipHostCheck", "proxyUsername", "proxyPassword"];
    const fields = (await editor.fields(undefined, CONFIG)).filter((f) => f.kind !== "hidden").map((f) => f.name);
    assert.deepEqual(
      fields.filter((f) => !covered.includes(f)),
      [],
      "every field of the dialog is set by this test"
    );

    const bad = await testConnection();
    assert.equal(bad.ok, false);
    assert.match(bad.text, /805/, "the documented code for a wrong token");
    assert.match(bad.text, /API token is not valid/);
    assert.doesNotMatch(bad.text, /not-a-valid-token/);
    await editor.screenshot("cam-config-test-failed", editor.tray());

    await editor.setField("apiToken", practiceServer.tokens.admin, CONFIG);
    const good = await testConnection();
    assert.equal(good.ok, true, good.text);
    assert.match(good.text, /^Connected: \d+ meeting rooms visible\.$/);
    await editor.screenshot("cam-config-test-ok", editor.tray());

    await editor.done(); // Add
    const configId = await newConfigId("cam-config", before);
    assert.ok(configId, "a new cam-config exists");
    assert.equal(await editor.readField("server"), configId, "the node uses the new server");
    await editor.done();
    await editor.deploy();

    // reopened: the values are kept, the token is not there
    await editor.edit(nodeId);
    await editor.editConfig("server", "edit");
    for (const [field, value] of Object.entries(values)) assert.equal(await editor.readField(field, CONFIG), value, `${field} kept`);
    assert.equal(await editor.readField("server", CONFIG), "own", "My server kept");
    assert.equal(await editor.readField("insecure", CONFIG), true, "insecure kept");
    assert.equal(await editor.readField("skipHostCheck", CONFIG), true, "skipHostCheck kept");
    assert.equal(await editor.readField("proxyUsername", CONFIG), "proxy-user", "proxy user kept");
    for (const secret of ["apiToken", "proxyPassword"]) assert.equal(await editor.readField(secret, CONFIG), "__PWRD__", `${secret} shows a placeholder`);
    const inEditor = await page.evaluate(() => JSON.stringify(RED.nodes.createCompleteNodeSet({ credentials: true })));
    const flows = await exported();
    for (const secret of [practiceServer.tokens.admin, PROXY_PASSWORD]) {
      assert.equal((await page.content()).includes(secret), false, "no secret anywhere in the page");
      assert.equal(inEditor.includes(secret), false, "no secret in the editor's export");
      assert.equal(flows.includes(secret), false, "no secret in GET /flows");
    }

    // the saved token is used for the same server without being typed again...
    assert.equal((await testConnection()).ok, true);
    // ...but not for another one
    await editor.setField("serverURL", practiceServer.url.replace("127.0.0.1", "localhost"), CONFIG);
    const moved = await testConnection();
    assert.equal(moved.ok, false);
    assert.match(moved.text, /enter the API token again/);
    await editor.cancel();
    await editor.cancel();
    for (const secret of [practiceServer.tokens.admin, PROXY_PASSWORD])
      assert.equal(env.nodeRed.output().includes(secret), false, "no secret in Node-RED's log");
    assert.deepEqual(editor.errors.take(), []);
  });

  it("cam-config: invalid values are marked in red and make the node using it invalid", async () => {
    const nodeId = await newConfig("cam-call-stats");
    await page.locator("#node-config-cam-advanced-toggle").click();
    await editor.setField("apiToken", env.practiceServer.tokens.admin, CONFIG);
    await editor.setField("serverURL", "https://alice:s3cret@chat.example.com", CONFIG);
    assert.equal(await editor.hasError("serverURL", CONFIG, true), true, "a server URL with a login is marked in red");
    const invalid = {
      serverURL: "chat.example.com",
      timeout: "0",
      concurrency: "many",
      queueLimit: "-1",
      retries: "11",
      maxRetryDelay: "1.5",
      maxResponse: "0.05",
      proxy: "proxy.example.com:3128",
    };
    for (const [field, value] of Object.entries(invalid)) {
      await editor.setField(field, value, CONFIG);
      assert.equal(await editor.hasError(field, CONFIG, true), true, `${field} = ${value} is marked in red`);
    }
    // Test connection names the wrong field as the dialog labels it, not by its property name.
    const refused = await testConnection();
    assert.equal(refused.ok, false);
    const labels = await page.evaluate((fields) => fields.map((f) => $(`label[for="node-config-input-${f}"]`).text().trim()), Object.keys(invalid));
    assert.ok(
      labels.some((label) => label && refused.text.includes(`${label}:`)),
      `${refused.text} names a field by one of its labels ${labels}`
    );
    assert.doesNotMatch(refused.text, new RegExp(`\\b(${Object.keys(invalid).join("|")}):`));
    await editor.screenshot("cam-config-invalid", editor.tray());
    await editor.done();
    await editor.done();
    assert.equal((await editor.nodeState(nodeId)).valid, false, "a node with an invalid server is invalid");
    await editor.invalidMarker(nodeId).waitFor();

    await editor.edit(nodeId);
    await editor.editConfig("server", "edit");
    await page.locator("#node-config-cam-advanced-toggle").click();
    await editor.setField("serverURL", env.practiceServer.url, CONFIG);
    for (const field of Object.keys(invalid).slice(1)) await editor.setField(field, "", CONFIG);
    for (const field of Object.keys(invalid)) assert.equal(await editor.hasError(field, CONFIG, false), false, `${field} fixed`);
    await editor.done();
    await editor.done();
    assert.equal((await editor.nodeState(nodeId)).valid, true);
    assert.equal(await editor.invalidMarker(nodeId).isVisible(), false);
    assert.deepEqual(editor.errors.take(), []);
  });

  it("cam-config: the test endpoint needs write permission and never echoes the token", async () => {
    const test = (authorization, body) =>
      fetch(`${env.nodeRed.url}/cam-config/test`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization: `Bearer ${authorization}` } : {}) },
        body: JSON.stringify(body),
      });
    const body = { serverURL: env.practiceServer.url, apiToken: "wrong-token-abc" };
    assert.equal((await test(undefined, body)).status, 401, "anonymous (read-only) visitor");
    assert.equal((await test(await accessToken(env.nodeRed.url, "viewer", "read"), body)).status, 401, "read-only user");
    const res = await test(adminToken, body);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.equal(String(JSON.parse(text).code), "805");
    assert.equal(text.includes("wrong-token-abc"), false);
    assert.equal((await (await test(adminToken, { serverURL: env.practiceServer.url, apiToken: env.practiceServer.tokens.user })).json()).ok, true);
  });

  it("xassist-config: every field is set, the login tested, saved, kept; the password is never shown again", async () => {
    const before = await configIds("xassist-config");
    const nodeId = await newConfig("xassist-call-log");
    await editor.screenshot("xassist-config", editor.tray());
    const password = "xa-Secret-9f3e";
    const values = {
      name: "xAssist (browser)",
      serverURL: env.practiceServer.url,
      domain: "ubimax",
      username: "node-red",
      refreshPath: "/auth/refresh2",
      tokenLifetime: "600",
      timeout: "15",
      retries: "1",
      maxResponse: "2",
      proxy: "",
      ca: "",
    };
    await page.locator("#node-config-xassist-advanced-toggle").click();
    for (const [field, value] of Object.entries(values)) {
      await editor.setField(field, value, CONFIG);
      assert.equal(await editor.hasError(field, CONFIG, false), false, `${field} = ${value}`);
    }
    await editor.setField("password", password, CONFIG);
    await editor.setField("forceLogin", true, CONFIG);
    await setRelaxedTls("xassist");
    await editor.setField("proxyUsername", "proxy-user", CONFIG);
    await editor.setField("proxyPassword", PROXY_PASSWORD, CONFIG);
    const covered = [...Object.keys(values), "server", "password", "forceLogin", "insecure", "skipHostCheck", "proxyUsername", "proxyPassword"];
    const fields = (await editor.fields(undefined, CONFIG)).filter((f) => f.kind !== "hidden").map((f) => f.name);
    assert.deepEqual(
      fields.filter((f) => !covered.includes(f)),
      [],
      "every field of the dialog is set by this test"
    );

    const bad = await testConnection("xassist");
    assert.equal(bad.ok, false);
    assert.match(bad.text, /^Failed \(LOGIN_FAILED\): Login to xAssist failed \(HTTP 401\): check the username, password and domain/);
    assert.doesNotMatch(bad.text, new RegExp(password));
    await editor.screenshot("xassist-config-test-failed", editor.tray());

    await editor.setField("password", env.practiceServer.xassist.password, CONFIG);
    const good = await testConnection("xassist");
    assert.equal(good.ok, true, good.text);
    assert.equal(good.text, "Logged in: the server accepted this username and password.");
    await editor.screenshot("xassist-config-test-ok", editor.tray());
    await editor.setField("password", password, CONFIG); // saved: a password the page cannot contain by chance

    await editor.done();
    const configId = await newConfigId("xassist-config", before);
    assert.equal(await editor.readField("server"), configId);
    await editor.done();
    await editor.deploy();

    await editor.edit(nodeId);
    await editor.editConfig("server", "edit");
    for (const [field, value] of Object.entries(values)) assert.equal(await editor.readField(field, CONFIG), value, `${field} kept`);
    for (const field of ["forceLogin", "insecure", "skipHostCheck"]) assert.equal(await editor.readField(field, CONFIG), true, `${field} kept`);
    assert.equal(await editor.readField("proxyUsername", CONFIG), "proxy-user", "proxy user kept");
    for (const secret of ["password", "proxyPassword"]) assert.equal(await editor.readField(secret, CONFIG), "__PWRD__", `${secret} shows a placeholder`);
    const flows = await exported();
    for (const secret of [password, PROXY_PASSWORD]) {
      assert.equal((await page.content()).includes(secret), false, "no password anywhere in the page");
      assert.equal(flows.includes(secret), false, "no password in GET /flows");
    }

    // the saved password is used for the same settings without being typed again (the practice server refuses this one)...
    const saved = await testConnection("xassist");
    assert.match(saved.text, /\(LOGIN_FAILED\)/);
    // ...but not for another server
    await editor.setField("serverURL", env.practiceServer.url.replace("127.0.0.1", "localhost"), CONFIG);
    const moved = await testConnection("xassist");
    assert.equal(moved.ok, false);
    assert.match(moved.text, /^Failed \(NOT_CONFIGURED\): Password: enter the password again/);
    await editor.screenshot("xassist-config-test-retype", editor.tray());
    await editor.cancel();
    await editor.cancel();
    assert.equal(env.nodeRed.output().includes(password), false, "no password in Node-RED's log");
    assert.deepEqual(editor.errors.take(), []);
  });

  it("xassist-config: the test endpoint needs write permission and never echoes the password", async () => {
    const test = (authorization, body) =>
      fetch(`${env.nodeRed.url}/xassist-config/test`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization: `Bearer ${authorization}` } : {}) },
        body: JSON.stringify(body),
      });
    const { practiceServer } = env;
    const body = { serverURL: practiceServer.url, domain: practiceServer.xassist.domain, username: practiceServer.xassist.username, password: "wrong-pw-abc" };
    assert.equal((await test(undefined, body)).status, 401, "anonymous (read-only) visitor");
    assert.equal((await test(await accessToken(env.nodeRed.url, "viewer", "read"), body)).status, 401, "read-only user");
    const res = await test(adminToken, body);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.equal(JSON.parse(text).code, "LOGIN_FAILED");
    assert.equal(text.includes("wrong-pw-abc"), false);
    assert.deepEqual(await (await test(adminToken, { ...body, password: practiceServer.xassist.password })).json(), { ok: true });
  });

  it("xassist-config: invalid values are marked in red and make the node using it invalid", async () => {
    const nodeId = await newConfig("xassist-call-log");
    await page.locator("#node-config-xassist-advanced-toggle").click();
    await editor.setField("serverURL", "https://alice:s3cret@xassist.example.com", CONFIG);
    assert.equal(await editor.hasError("serverURL", CONFIG, true), true, "a server URL with a login is marked in red");
    const invalid = { serverURL: "xassist.example.com", refreshPath: "auth/refresh", tokenLifetime: "5", timeout: "0", retries: "11", maxResponse: "abc" };
    for (const [field, value] of Object.entries(invalid)) {
      await editor.setField(field, value, CONFIG);
      assert.equal(await editor.hasError(field, CONFIG, true), true, `${field} = ${value} is marked in red`);
    }
    await editor.screenshot("xassist-config-invalid", editor.tray());
    await editor.done();
    await editor.done();
    assert.equal((await editor.nodeState(nodeId)).valid, false);
    await editor.invalidMarker(nodeId).waitFor();

    await editor.edit(nodeId);
    await editor.editConfig("server", "edit");
    await page.locator("#node-config-xassist-advanced-toggle").click();
    const fixed = {
      serverURL: env.practiceServer.url,
      refreshPath: "/auth/refresh",
      tokenLifetime: "300",
      timeout: "30",
      retries: "2",
      maxResponse: "",
      username: "node-red",
      password: "xa-Secret-9f3e",
    };
    for (const [field, value] of Object.entries(fixed)) await editor.setField(field, value, CONFIG);
    for (const field of Object.keys(invalid)) assert.equal(await editor.hasError(field, CONFIG, false), false, `${field} fixed`);
    await editor.done();
    await editor.done();
    assert.equal((await editor.nodeState(nodeId)).valid, true);
    assert.deepEqual(editor.errors.take(), []);
  });
});
