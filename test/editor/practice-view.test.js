"use strict";
// The practice server in Chromium against a real Node-RED with this package: the server dialogs'
// choice (practice hides the URL and login rows; "My server" shows them), and the sidebar tab
// "Practice": a message a flow sent appears in it, and its Join button makes an xAssist call watch
// emit a Join event. A node's status as the editor shows it: a phrase in its language ("wrong API
// token (805)"), and after a redeploy that fixed the server its fresh state at once (none, or the
// practice server's grey ring). Screenshots go to .artifacts/screenshots/.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { closeSharedEnvironment, useSharedEditor, Editor } = require("../support/browser");
const { watchComms } = require("../support/node-red-process");
const { closedPort } = require("../support/cam-support");

const CONFIG = "node-config-input";
/** A status phrase of cam-config's catalogue in a language, as the editor shows it. */
const phrase = (lang, key) =>
  key
    .split(".")
    .reduce((node, part) => node[part], JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "nodes", "locales", lang, "cam-config.json"), "utf8")));

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

  it("a node's status is a phrase in the editor's language (wrong token, unknown user, unreachable server); a redeploy shows the fresh state at once", async () => {
    const marker = `st-${Date.now().toString(36)}`;
    const id = (name) => `${marker}-${name}`;
    const z = await page.evaluate(() => RED.workspaces.active());
    const port = await closedPort();
    const pair = (name, server, recipients, y) => [
      {
        id: id(`${name}-in`),
        type: "inject",
        z,
        name,
        props: [{ p: "payload" }],
        payload: "status check",
        payloadType: "str",
        repeat: "",
        crontab: "",
        once: false,
        onceDelay: 0.1,
        topic: "",
        x: 140,
        y,
        wires: [[id(name)]],
      },
      {
        id: id(name),
        type: "cam-send-message",
        z,
        server,
        sendTo: "direct",
        room: "",
        roomType: "str",
        recipients,
        recipientsType: "str",
        message: "payload",
        messageType: "msg",
        sealed: "false",
        sealedType: "bool",
        x: 380,
        y,
        wires: [[]],
      },
    ];
    const ownServer = (name, label, serverURL, apiToken) => ({
      id: id(name),
      type: "cam-config",
      name: label,
      server: "own",
      serverURL,
      retries: 0,
      credentials: { apiToken },
    });
    const flow = [
      ownServer("bad", "Wrong token", env.practiceServer.url, "not-the-token"),
      ownServer("down", "Nobody there", `http://127.0.0.1:${port}`, "any-token"),
      ...pair("token", id("bad"), "user1@xxx.com", 60),
      ...pair("user", env.configs["cam-config"], "nobody@unknown-domain.test", 140),
      ...pair("network", id("down"), "user1@xxx.com", 220),
    ];
    await page.evaluate((nodes) => {
      RED.view.importNodes(nodes, { generateIds: false, touchImport: true });
      RED.nodes.dirty(true);
    }, flow);
    await editor.deploy();

    /** What the workspace shows under a node: its status text, and the shape's class (or none when there is no shape). */
    const shown = (p, nodeId) =>
      p.evaluate((i) => {
        const el = document.getElementById(i);
        const shape = el && el.querySelector(".red-ui-flow-node-status");
        const group = el && el.querySelector(".red-ui-flow-node-status-group");
        const visible = Boolean(group) && group.style.display !== "none";
        return {
          text: visible ? el.querySelector(".red-ui-flow-node-status-label").textContent : "",
          shape: visible && shape.style.display !== "none" ? shape.getAttribute("class").replace("red-ui-flow-node-status ", "") : "",
        };
      }, nodeId);
    const showsStatus = async (p, nodeId, expected, what) => {
      try {
        await p.waitForFunction(
          ([i, e]) => {
            const el = document.getElementById(i);
            const group = el && el.querySelector(".red-ui-flow-node-status-group");
            const visible = Boolean(group) && group.style.display !== "none";
            const text = visible ? el.querySelector(".red-ui-flow-node-status-label").textContent : "";
            return text === e;
          },
          [nodeId, expected],
          { timeout: 10000, polling: 50 }
        );
      } catch {
        assert.fail(`${what}: the status shows ${JSON.stringify(await shown(p, nodeId))}, expected "${expected}"`);
      }
      return shown(p, nodeId);
    };

    // Deployed on their own servers, ready: no status yet.
    for (const name of ["token", "user", "network"]) assert.deepEqual(await shown(page, id(name)), { text: "", shape: "" }, `${name} before any message`);
    for (const name of ["token", "user", "network"])
      await editor
        .flowNode(id(`${name}-in`))
        .locator(".red-ui-flow-node-button")
        .click();
    const en = (code) => phrase("en-US", `status.codes.${code}`);
    assert.deepEqual(await showsStatus(page, id("token"), en("805"), "a wrong token"), {
      text: "wrong API token (805)",
      shape: "red-ui-flow-node-status-ring-red",
    });
    assert.deepEqual(await showsStatus(page, id("user"), en("452"), "an unknown user"), {
      text: "unknown user (452)",
      shape: "red-ui-flow-node-status-ring-red",
    });
    assert.deepEqual(await showsStatus(page, id("network"), en("NETWORK"), "an unreachable server"), {
      text: "server unreachable (NETWORK)",
      shape: "red-ui-flow-node-status-ring-red",
    });
    await editor.screenshot("status-phrases-en", page.locator("#red-ui-workspace-chart"));

    // The same statuses in a Japanese editor (Node-RED's own language setting, View > Language)
    const ja = await env.browser.context.newPage();
    await ja.addInitScript(() => localStorage.setItem("editor-language", "ja"));
    try {
      // another origin, so the admin's editor keeps its language; looking needs no login (or the viewer's of the test above)
      const japanese = await Editor.open(env.browser.context, env.nodeRed.url.replace("127.0.0.1", "localhost"));
      assert.equal(japanese.page, ja, "the editor opened in the Japanese tab");
      assert.match(await ja.evaluate(() => RED.i18n.lang()), /^ja/);
      await ja.evaluate((tab) => RED.workspaces.show(tab), z);
      // the runtime tells every open editor: a new message gives the Japanese one its statuses (requesting, then the error)
      await ja.evaluate((nodeId) => {
        window.statusesSeen = 0;
        RED.comms.subscribe(`status/${nodeId}`, () => window.statusesSeen++);
      }, id("token"));
      await editor.flowNode(id("token-in")).locator(".red-ui-flow-node-button").click();
      await ja.waitForFunction(() => window.statusesSeen >= 2, null, { timeout: 10000, polling: 50 });
      const inJapanese = await showsStatus(ja, id("token"), phrase("ja", "status.codes.805"), "a wrong token in Japanese");
      assert.deepEqual(inJapanese, { text: "APIトークンが不正 (805)", shape: "red-ui-flow-node-status-ring-red" });
      await japanese.screenshot("status-phrases-ja", ja.locator("#red-ui-workspace-chart"));
    } finally {
      await ja.close();
    }

    // Fix the token in the server's dialog and deploy: the error gives way at once, without a message.
    await page.evaluate((config) => RED.editor.editConfig("", "cam-config", config), id("bad"));
    await editor.trayOpened();
    await editor.setField("apiToken", env.practiceServer.tokens.admin, CONFIG);
    await page.locator("#node-config-dialog-ok").click();
    await page.waitForFunction(() => document.querySelectorAll(".red-ui-tray").length === 0);
    // Switch the unreachable one to the practice server: a grey ring that says so, at once.
    await page.evaluate((config) => RED.editor.editConfig("", "cam-config", config), id("down"));
    await editor.trayOpened();
    await editor.setField("server", "practice", CONFIG);
    await page.locator("#node-config-dialog-ok").click();
    await page.waitForFunction(() => document.querySelectorAll(".red-ui-tray").length === 0);
    await editor.deploy();
    assert.deepEqual(await showsStatus(page, id("token"), "", "after fixing the token"), { text: "", shape: "" });
    assert.deepEqual(await showsStatus(page, id("network"), phrase("en-US", "status.practice"), "after switching to the practice server"), {
      text: "practice server",
      shape: "red-ui-flow-node-status-ring-grey",
    });
    // and the fixed node works: its next message is done, still a dot on one's own server
    await editor.flowNode(id("token-in")).locator(".red-ui-flow-node-button").click();
    assert.deepEqual(await showsStatus(page, id("token"), "done", "a message after the fix"), { text: "done", shape: "red-ui-flow-node-status-dot-green" });
    await page.locator("#red-ui-workspace-chart").evaluate((chart) => chart.scrollTo(0, 0));
    await editor.screenshot("status-after-redeploy", page.locator("#red-ui-workspace-chart"));
    assert.deepEqual(editor.errors.take(), []);
  });
});
