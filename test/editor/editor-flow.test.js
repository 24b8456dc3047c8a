"use strict";
// The whole path a user takes, in Chromium against a real Node-RED and the practice server: drag an
// inject, a send-message and a debug node from the palette, wire them, create the server in the
// dialog, deploy, click the inject button; the message shows up on the practice server page.
const assert = require("node:assert/strict");
const path = require("node:path");
const { closeSharedEnvironment, useSharedEditor, accessToken, SCREENSHOTS } = require("../support/browser");

const CONFIG = "node-config-input";

after(closeSharedEnvironment); // a root hook: once every editor test file is done

describe("editor: a flow built in Chromium", function () {
  this.timeout(120000);
  let env;
  let editor;
  /** The flow the first test builds: the second one changes it. */
  const built = {};

  // The second test changes the flow the first one built: the workspace stays between them.
  const bed = useSharedEditor({ clearAfterEach: false });
  before(() => ({ env, editor } = bed));

  it("sends a message that appears on the practice server page when the inject button is clicked", async () => {
    const { practiceServer } = env;
    const { page } = editor;
    const text = `Pump 7 check from the editor ${Date.now().toString(36)}`;

    const inject = await editor.drop("inject", { x: 120, y: 120 });
    const send = await editor.drop("cam-send-message", { x: 340, y: 120 });
    const debug = await editor.drop("debug", { x: 560, y: 120 });
    await editor.wire(inject, send);
    await editor.wire(send, debug);
    Object.assign(built, { inject, send });

    await editor.edit(send);
    await editor.editConfig("server", "new");
    // A new server node starts on the practice server; this flow talks to the test's own practice server.
    await editor.setField("server", "own", CONFIG);
    await editor.setField("name", "Practice chat", CONFIG);
    await editor.setField("serverURL", practiceServer.url, CONFIG);
    await editor.setField("apiToken", practiceServer.tokens.admin, CONFIG);
    await editor.done();
    await editor.setField("sendTo", "room");
    await editor.setTyped("room", "str", "general");
    await editor.setTyped("message", "str", text);
    await editor.screenshot("flow-send-message", editor.tray());
    await editor.done();
    assert.equal((await editor.nodeState(send)).valid, true);
    await editor.screenshot("flow-built");
    await editor.deploy();

    const practicePage = await page.context().newPage();
    await practicePage.goto(`${practiceServer.url}/`);
    await practicePage.locator("#live", { hasText: "live" }).waitFor();

    await editor.flowNode(inject).locator(".red-ui-flow-node-button").click();
    const room = practicePage.locator(".card", { has: practicePage.locator("h3", { hasText: "general" }) });
    await room.locator(".msg", { hasText: text }).waitFor();
    await practicePage.screenshot({ path: path.join(SCREENSHOTS, "flow-practice-page.png") });
    await practicePage.close();
    await page.bringToFront(); // the browser may bring another tab forward when one closes

    // the debug node got the node's output, and no error was reported
    await editor.showSidebar("debug");
    await editor.page.locator(".red-ui-debug-msg").first().waitFor();
    assert.equal(await editor.page.locator(".red-ui-debug-msg-level-20").count(), 0, "no error in the debug sidebar");
    await editor.screenshot("flow-debug");

    const flows = await (
      await fetch(`${env.nodeRed.url}/flows`, { headers: { authorization: `Bearer ${await accessToken(env.nodeRed.url, "admin")}` } })
    ).text();
    assert.equal(flows.includes(practiceServer.tokens.admin), false, "the exported flows have no token");
    assert.deepEqual(editor.errors.take(), []);
  });

  it("shows an error in the debug sidebar as one whole sentence naming the field, the value and the code", async () => {
    // newcomer@example.com is not registered, in a domain whose users may register themselves: 451.
    await editor.edit(built.send);
    await editor.setField("sendTo", "direct");
    await editor.setTyped("recipients", "str", "newcomer@example.com");
    await editor.done();
    await editor.deploy();
    await editor.page
      .locator(".red-ui-debug-toolbar a#red-ui-sidebar-debug-clear, #red-ui-sidebar-debug-clear")
      .first()
      .click()
      .catch(() => undefined);

    await editor.flowNode(built.inject).locator(".red-ui-flow-node-button").click();
    const error = editor.page.locator(".red-ui-debug-msg-level-20").first();
    await error.waitFor();
    await editor.screenshot("flow-debug-error");
    // A plain sentence, not a folded object: its first 80 characters show at once (the sidebar's
    // limit for any text); a click shows the rest, with the code.
    const sentence = "recipients: newcomer@example.com is not a Chat&Messenger user; they can register themselves first (error 451).";
    const payload = error.locator(".red-ui-debug-msg-payload");
    assert.equal(await payload.innerText(), `"${sentence.slice(0, 80)}..."`);
    await payload.locator(".red-ui-debug-msg-object-handle").click();
    await payload.locator("pre", { hasText: sentence }).waitFor();
  });

  it("writes the words with a template: the Preview shows them for a sample, and the chat room gets them", async () => {
    const { practiceServer } = env;
    await editor.edit(built.send);
    await editor.setField("sendTo", "room");
    await editor.setTyped("room", "str", "general");
    await editor.setTyped("recipients", "str", "");
    await editor.setTyped("message", "template", "Order {{payload.id}} for {{payload.customer}} shipped at {{payload}}");
    await editor.setField("message-sample", '{"id": 4711, "customer": "A&B"}');
    const preview = editor.page.locator("#node-input-message-preview");
    await preview.filter({ hasText: "Order 4711 for A&B shipped at id: 4711" }).waitFor();
    assert.equal(await preview.innerText(), "Order 4711 for A&B shipped at id: 4711\ncustomer: A&B");
    assert.equal(await editor.shown("outputProperty"), true, "the Output row is there");
    await editor.screenshot("flow-template-preview", editor.tray());
    await editor.done();
    await editor.deploy();

    const practicePage = await editor.page.context().newPage();
    await practicePage.goto(`${practiceServer.url}/`);
    await practicePage.locator("#live", { hasText: "live" }).waitFor();
    await editor.flowNode(built.inject).locator(".red-ui-flow-node-button").click();
    // The inject sends a timestamp: the template puts it in the words.
    const room = practicePage.locator(".card", { has: practicePage.locator("h3", { hasText: "general" }) });
    await room.locator(".msg", { hasText: /Order\s+for\s+shipped at \d{13}/ }).waitFor();
    await practicePage.close();
    await editor.page.bringToFront();
    assert.deepEqual(editor.errors.take(), []);
  });

  it("gives a new node the server node the flow's other nodes use, instead of none", async () => {
    const stats = await editor.drop("cam-call-stats", { x: 340, y: 240 });
    await editor.edit(stats);
    const sendServer = await editor.page.evaluate((id) => RED.nodes.node(id).server, built.send);
    assert.equal(await editor.readField("server"), sendServer, "the send message node's server node");
    assert.equal(await editor.hasError("server", "node-input", false), false, "not marked as missing");
    await editor.cancel();
  });
});
