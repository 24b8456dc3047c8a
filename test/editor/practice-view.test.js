"use strict";
// The practice server in Chromium against a real Node-RED with this package: the server dialogs'
// choice (practice hides the URL and login rows; "My server" shows them), and the sidebar tab
// "Practice": a message a flow sent appears in it, and its Join button makes an xAssist call watch
// emit a Join event. Screenshots go to .artifacts/screenshots/.
const assert = require("node:assert/strict");
const { closeSharedEnvironment, useSharedEditor, Editor } = require("../support/browser");
const { watchComms } = require("../support/node-red-process");

const CONFIG = "node-config-input";

after(closeSharedEnvironment); // a root hook: once every editor test file is done

describe("editor: the practice server and its live view in Chromium", function () {
  this.timeout(120000);
  let env;
  let editor;
  let page;
  let comms;
  let adminToken;

  const bed = useSharedEditor();
  before(async () => {
    ({ env, editor, page, adminToken } = bed);
    if (env) comms = await watchComms(env.nodeRed.url, adminToken);
  });

  after(() => comms && comms.close());

  /** The debug messages the runtime pushed to the editor so far: {topic, msg (text)} each. */
  const debugMessages = () =>
    comms.frames
      .flatMap((frame) => {
        const parsed = JSON.parse(frame);
        return Array.isArray(parsed) ? parsed : [parsed];
      })
      .filter((f) => f.topic === "debug")
      .map((f) => f.data);

  async function waitFor(what, check, limitMs = 30000) {
    const until = Date.now() + limitMs;
    for (;;) {
      const found = await check();
      if (found) return found;
      if (Date.now() > until) throw new Error(`${what} did not happen within ${limitMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it("server dialogs: a new server is the practice server (no URL, no token, a practice label); My server shows them", async () => {
    const id = await editor.drop("cam-call-stats");
    await editor.edit(id);
    await editor.editConfig("server", "new");
    assert.equal(await editor.readField("server", CONFIG), "practice", "new servers start on the practice server");
    for (const field of ["serverURL", "apiToken", "timeout", "proxy"]) assert.equal(await editor.shown(field, CONFIG), false, `${field} hidden`);
    assert.equal(await page.locator("#node-config-cam-test").isVisible(), false, "no Test connection");
    assert.equal(await page.locator("#node-config-cam-advanced-toggle").isVisible(), false, "no advanced settings");
    assert.match(await page.locator("#node-config-cam-practice").innerText(), /no URL or API token needed/);
    await editor.screenshot("practice-cam-config", editor.tray());

    await editor.setField("server", "own", CONFIG);
    assert.equal(await editor.shown("serverURL", CONFIG), true, "My server shows the URL");
    assert.equal(await editor.shown("apiToken", CONFIG), true, "and the token");
    assert.equal(await editor.hasError("serverURL", CONFIG, true), true, "My server needs a URL");
    assert.equal(await page.locator("#node-config-cam-practice").isVisible(), false);
    await editor.screenshot("practice-cam-config-own", editor.tray());

    await editor.setField("server", "practice", CONFIG);
    assert.equal(await editor.hasError("serverURL", CONFIG, false), false, "the practice server needs no URL");
    await page.locator("#node-config-cam-practice-open").click();
    await page.locator("#cam-practice-view").waitFor(); // "Open the live view" shows the sidebar tab
    await editor.done();
    assert.equal(await page.locator("#node-input-server option:checked").innerText(), "Chat&Messenger practice server");
    await editor.done();
    assert.equal((await editor.nodeState(id)).valid, true, "a node on the practice server is valid without URL or token");

    // xAssist: the same choice; a server saved before it existed (no `server`) is "My server"
    const xa = await editor.drop("xassist-call-log");
    await editor.edit(xa);
    await editor.editConfig("server", "new");
    assert.equal(await editor.readField("server", CONFIG), "practice");
    for (const field of ["serverURL", "domain", "username", "password", "forceLogin"])
      assert.equal(await editor.shown(field, CONFIG), false, `${field} hidden`);
    assert.match(await page.locator("#node-config-xassist-practice").innerText(), /no URL, user name or password needed/);
    await editor.done();
    assert.equal(await page.locator("#node-input-server option:checked").innerText(), "xAssist practice server");
    await editor.cancel();
    await page.evaluate((config) => RED.editor.editConfig("", "xassist-config", config), env.configs["xassist-config"]);
    await editor.trayOpened();
    assert.equal(await editor.readField("server", CONFIG), "own", "a server without the choice is the user's own");
    assert.equal(await editor.shown("serverURL", CONFIG), true);
    await page.locator("#node-config-dialog-cancel").click(); // no node dialog underneath to come back
    await page.waitForFunction(() => document.querySelectorAll(".red-ui-tray").length === 0);
    assert.deepEqual(editor.errors.take(), []);
  });

  it("the Practice tab shows a sent message and an xAssist call; its Join button makes call watch emit", async () => {
    // The editor is shared with the other browser tests: their messages may be in the Debug sidebar.
    const errorsBefore = await page.locator(".red-ui-debug-msg-level-20").count();
    const marker = `practice-${Date.now().toString(36)}`;
    const text = `Pump 7 is ready (${marker})`;
    const title = `Check pump 7 ${marker}`;
    const id = (name) => `${name}-${marker}`.replace(/[^\w-]/g, "");
    const z = await page.evaluate(() => RED.workspaces.active());
    const inject = (name, payload, payloadType, y, to) => ({
      id: id(name),
      type: "inject",
      z,
      name,
      props: [{ p: "payload" }],
      repeat: "",
      crontab: "",
      once: false,
      onceDelay: 0.1,
      topic: "",
      payload,
      payloadType,
      x: 120,
      y,
      wires: [[id(to)]],
    });
    const debug = (name, x, y) => ({
      id: id(name),
      type: "debug",
      z,
      name,
      active: true,
      tosidebar: true,
      complete: "payload",
      targetType: "msg",
      x,
      y,
      wires: [],
    });
    const flow = [
      { id: id("cam"), type: "cam-config", name: "", server: "practice" },
      { id: id("xa"), type: "xassist-config", name: "", server: "practice" },
      inject("send it", text, "str", 80, "send"),
      {
        id: id("send"),
        type: "cam-send-message",
        z,
        name: "",
        server: id("cam"),
        sendTo: "room",
        room: "general",
        roomType: "str",
        recipients: "",
        recipientsType: "str",
        message: "payload",
        messageType: "msg",
        sealed: "false",
        sealedType: "bool",
        x: 320,
        y: 80,
        wires: [[id("sent")]],
      },
      debug("sent", 520, 80),
      inject("call", "", "date", 180, "create"),
      {
        id: id("create"),
        type: "xassist-create-call",
        z,
        name: "",
        server: id("xa"),
        title,
        titleType: "str",
        contacts: "expert1",
        contactsType: "str",
        x: 330,
        y: 180,
        wires: [[id("watch")]],
      },
      {
        id: id("watch"),
        type: "xassist-call-watch",
        z,
        name: "",
        server: id("xa"),
        callId: "payload",
        callIdType: "msg",
        interval: 0.5,
        timeout: 600,
        x: 540,
        y: 180,
        wires: [[id("events")], []],
      },
      debug("events", 820, 180),
    ];
    // touchImport: placed where their x and y say, not attached to the mouse
    await page.evaluate((nodes) => {
      RED.view.importNodes(nodes, { generateIds: false, touchImport: true });
      RED.nodes.dirty(true); // as a paste does: Deploy is enabled
    }, flow);
    for (const node of ["send it", "send", "call", "create", "watch"]) {
      const state = await editor.nodeState(id(node));
      assert.equal(state.valid, true, `${node} is valid: ${JSON.stringify(state)}`);
    }
    await editor.deploy();

    await editor.flowNode(id("send it")).locator(".red-ui-flow-node-button").click();
    await editor.flowNode(id("call")).locator(".red-ui-flow-node-button").click();
    await editor.showSidebar("cam-practice");
    const view = page.locator("#cam-practice-view");
    await view.locator(".cam-practice-item", { hasText: "general" }).locator(".cam-practice-text", { hasText: text }).waitFor();

    const call = view.locator(".cam-practice-item", { has: page.locator("h5", { hasText: title }) });
    const expert = call.locator('[data-user-id="expert1"]');
    await expert.locator("button", { hasText: "Join" }).waitFor();
    // One "Join" per person and call: a screen reader hears whose it is.
    assert.equal(await call.getByRole("button", { name: "Join: Erika Expert" }).count(), 1);
    assert.equal(await call.getByRole("button", { name: `End call: ${title}` }).count(), 1);
    assert.match(await call.locator(".cam-practice-present").innerText(), /^In the call: nobody$/);
    assert.doesNotMatch(await call.locator(".cam-practice-present").innerText(), /Erika Expert/, "the expert is not in the call yet");
    await editor.screenshot("practice-sidebar", page.locator("#red-ui-sidebar"));

    await expert.locator("button", { hasText: "Join" }).click();
    // the call watch saw the expert join: a Join event of expert1 in the debug sidebar
    const joined = await waitFor("a Join event of expert1 from call watch", () =>
      debugMessages().find((m) => m.id === id("events") && m.topic === "Join" && String(m.msg).includes("expert1"))
    );
    assert.match(String(joined.msg), /"callId"/, "the event names its call");
    // and the sidebar shows the expert in the call, with a Leave button now
    await expert.locator("button", { hasText: "Leave" }).waitFor();
    assert.match(await call.locator(".cam-practice-present").innerText(), /In the call: .*Erika Expert/);
    await editor.screenshot("practice-sidebar-joined", page.locator("#red-ui-sidebar"));

    // the same through the admin API the tab reads
    const res = await fetch(`${env.nodeRed.url}/cam-practice/state`, { headers: { authorization: `Bearer ${adminToken}` } });
    const state = await res.json();
    const shown = state.xassist.calls.find((c) => c.callTitle === title);
    assert.ok(shown.presentUserIds.includes("expert1"), "expert1 is in the call");

    await editor.showSidebar("debug");
    await page.locator(".red-ui-debug-msg", { hasText: "Join" }).first().waitFor();
    await editor.screenshot("practice-debug");
    assert.equal(await page.locator(".red-ui-debug-msg-level-20").count(), errorsBefore, "no new error in the debug sidebar");
    assert.deepEqual(editor.errors.take(), []);
  });
  it("a read-only login sees the Practice tab, with its buttons that change data disabled", async () => {
    // Another origin for the same Node-RED: its own stored login, so the admin's editor stays logged in.
    const url = env.nodeRed.url.replace("127.0.0.1", "localhost");
    const viewer = await Editor.open(env.browser.context, url, { username: "viewer", password: env.password });
    try {
      await viewer.showSidebar("cam-practice");
      const view = viewer.page.locator("#cam-practice-view");
      // the previous test's call and message are there to see
      await view.locator(".cam-practice-item", { hasText: "Pump 7 is ready" }).first().waitFor();
      const buttons = view.locator("button");
      const states = await buttons.evaluateAll((all) => all.map((b) => ({ text: b.textContent.trim(), disabled: b.disabled })));
      const changing = states.filter((b) => /^(Reset|Join|Leave|End call)$/.test(b.text));
      assert.ok(
        changing.some((b) => b.text === "Reset"),
        JSON.stringify(states)
      );
      assert.ok(changing.length > 1, JSON.stringify(states));
      assert.ok(
        changing.every((b) => b.disabled),
        JSON.stringify(states)
      );
      assert.ok(
        states.find((b) => b.text === "Refresh" && !b.disabled),
        "Refresh still works"
      );
      await viewer.screenshot("practice-sidebar-viewer", viewer.page.locator("#red-ui-sidebar"));
    } finally {
      await viewer.page.close();
    }
  });
  it("the open Practice tab follows what a flow does, with no Refresh (the runtime's announcement)", async () => {
    const marker = `live-${Date.now().toString(36)}`;
    const z = await page.evaluate(() => RED.workspaces.active());
    const flow = [
      { id: `${marker}-cam`, type: "cam-config", name: "", server: "practice" },
      {
        id: `${marker}-in`,
        type: "inject",
        z,
        name: "",
        props: [{ p: "payload" }],
        payload: `Shift report ${marker}`,
        payloadType: "str",
        repeat: "",
        crontab: "",
        once: false,
        onceDelay: 0.1,
        topic: "",
        x: 120,
        y: 60,
        wires: [[`${marker}-send`]],
      },
      {
        id: `${marker}-send`,
        type: "cam-send-message",
        z,
        server: `${marker}-cam`,
        sendTo: "room",
        room: "general",
        roomType: "str",
        recipients: "",
        recipientsType: "str",
        message: "payload",
        messageType: "msg",
        sealed: "false",
        sealedType: "bool",
        x: 320,
        y: 60,
        wires: [[]],
      },
    ];
    await page.evaluate((nodes) => {
      RED.view.importNodes(nodes, { generateIds: false, touchImport: true });
      RED.nodes.dirty(true);
    }, flow);
    await editor.deploy();
    // the tab is open before the flow runs: only the announcement can bring the message in
    await editor.showSidebar("cam-practice");
    const view = page.locator("#cam-practice-view");
    await view.locator(".cam-practice-summary", { hasText: "API calls" }).waitFor();
    assert.equal(await view.getByText(`Shift report ${marker}`).count(), 0);
    await editor.flowNode(`${marker}-in`).locator(".red-ui-flow-node-button").click();
    await view.locator(".cam-practice-text", { hasText: `Shift report ${marker}` }).waitFor();
  });
});
