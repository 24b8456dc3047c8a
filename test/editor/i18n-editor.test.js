"use strict";
// The Node-RED editor in headless Chromium with a Japanese browser: the palette, the
// send-message dialog and its help speak Japanese. Screenshots go to .artifacts/.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startNodeRed } = require("../support/node-red-process");
const { CHROMIUM_FLAGS, needBrowser } = require("../support/find-browser");

const ARTIFACTS = path.join(__dirname, "..", "..", ".artifacts");
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;
const TYPES = Object.keys(require("../../package.json")["node-red"].nodes);
/** Config nodes open with editConfig on an existing one; the others are placed on the flow. */
const CONFIG_NODES = { "cam-config": "server", "xassist-config": "xserver" };
/** What the editor shows for a key it cannot find: the key itself, such as cam-api.label.fields. */
const RAW_KEY = /\b(?:cam|xassist)-[a-z-]+\.[A-Za-z][\w.-]*/g;
const ja = (file) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "nodes", "locales", "ja", file), "utf8"));

describe("i18n: the editor in Japanese (headless Chromium)", function () {
  this.timeout(90000);
  let red;
  let context;
  let profile;
  let page;

  before(async function () {
    const browserPath = needBrowser(this);
    const { chromium } = require("playwright-core");
    red = await startNodeRed({
      flows: [
        { id: "f1", type: "tab", label: "i18n" },
        { id: "server", type: "cam-config", name: "practice-server", serverURL: "http://127.0.0.1:9" },
        { id: "xserver", type: "xassist-config", name: "xassist", serverURL: "http://127.0.0.1:9" },
        // one node of every other type, for the dialog sweep
        ...TYPES.filter((type) => !CONFIG_NODES[type]).map((type, i) => ({
          id: `all-${type}`,
          z: "f1",
          type,
          server: type.startsWith("xassist") ? "xserver" : "server",
          x: 600,
          y: 60 + 40 * i,
          wires: [],
        })),
        {
          id: "n1",
          z: "f1",
          type: "cam-send-message",
          server: "server",
          sendTo: "direct",
          recipients: "user1@xxx.com",
          recipientsType: "str",
          message: "payload",
          messageType: "msg",
          sealed: "false",
          sealedType: "bool",
          x: 300,
          y: 120,
          wires: [[]],
        },
      ],
    });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "i18n-chromium-"));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browserPath,
      headless: true,
      locale: "ja-JP",
      viewport: { width: 1400, height: 900 },
      args: [...CHROMIUM_FLAGS, "--lang=ja-JP"],
    });
    // the editor may ask nothing but the local Node-RED
    await context.route("**/*", (route) => (LOOPBACK.test(route.request().url()) ? route.continue() : route.abort()));
    page = await context.newPage();
    await page.goto(red.url, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.node("n1") && document.querySelector("#red-ui-palette .red-ui-palette-node"));
  });

  after(async () => {
    if (context) await context.close();
    if (red) await red.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it("runs the editor in Japanese", async () => {
    assert.match(await page.evaluate(() => RED.i18n.lang()), /^ja/);
  });

  it("shows the palette label in Japanese", async () => {
    const label = await page.textContent('.red-ui-palette-node[data-palette-type="cam-send-message"] .red-ui-palette-label');
    assert.equal(label.trim(), ja("cam-send-message.json")["cam-send-message"].paletteLabel);
  });

  it("opens the send-message dialog with every label in Japanese", async () => {
    const messages = ja("cam-send-message.json");
    await page.dblclick("#n1 rect.red-ui-flow-node"); // its body: the status beside it widens the group
    await page.waitForSelector("#node-input-sendTo", { state: "visible" });
    const texts = await page.$$eval(".red-ui-tray [data-i18n]", (els) =>
      els.map((el) => ({ key: el.getAttribute("data-i18n"), text: el.textContent.trim(), placeholder: el.getAttribute("placeholder") }))
    );
    // the editor prefixes each key with the node's namespace: "[placeholder]<module>/cam-send-message:cam-send-message.label.x"
    const ours = texts
      .map((t) => ({
        ...t,
        attr: /^\[(\w+)\]/.exec(t.key)?.[1],
        local: t.key
          .replace(/^\[\w+\]/, "")
          .split(":")
          .pop(),
      }))
      .filter((t) => t.local.startsWith("cam-send-message."));
    assert.ok(ours.length >= 8, `found ${ours.length} translated elements`);
    for (const { key, attr, local, text, placeholder } of ours) {
      const expected = local.split(".").reduce((o, k) => o[k], messages);
      assert.equal(typeof expected, "string", `${local} is in ja/cam-send-message.json`);
      assert.equal(attr ? placeholder : text, expected, key);
    }
    const label = (field) => page.textContent(`label[for="node-input-${field}"] span`);
    assert.equal(await label("sendTo"), "送信先");
    assert.equal(await label("message"), "メッセージ");
    // a label the panel sets from code when "Send to" changes
    await page.selectOption("#node-input-sendTo", "room");
    assert.equal(await page.textContent("#node-input-users-label, #node-input-recipients-label"), messages["cam-send-message"].label.mentions);
    await page.selectOption("#node-input-sendTo", "direct");
    await page.screenshot({ path: path.join(ARTIFACTS, "i18n-editor-ja-dialog.png") });
  });

  it("shows the node's help in Japanese", async () => {
    await page.evaluate(() => RED.sidebar.help.show("cam-send-message"));
    const help = page.locator(".red-ui-sidebar-help-stack");
    await help.locator(".red-ui-help-title", { hasText: ja("cam-send-message.json")["cam-send-message"].paletteLabel }).waitFor();
    // Node-RED turns the help's h3 sections into collapsible headers
    const headings = await help.locator(".red-ui-help-info-header").allTextContents();
    assert.deepEqual(
      headings.map((h) => h.trim()),
      ["入力", "出力", "詳細", "例"]
    );
    const text = await help.textContent();
    assert.match(text, /チャットルーム/);
    assert.doesNotMatch(text, /Sends a message to people/);
    await page.screenshot({ path: path.join(ARTIFACTS, "i18n-editor-ja-help.png") });
  });

  it("opens every node's dialog with no untranslated key, in ja, de, ko and fr", async function () {
    this.timeout(300000); // 60 dialogs
    const leftovers = [];
    for (const lang of ["ja", "de", "ko", "fr"]) {
      const probe = await context.newPage();
      // Node-RED's own language setting (View > Language) wins over the browser's
      await probe.addInitScript((l) => localStorage.setItem("editor-language", l), lang);
      await probe.goto(red.url, { waitUntil: "domcontentloaded" });
      await probe.waitForFunction(() => window.RED && RED.nodes && RED.nodes.node("all-xassist-call-watch"));
      assert.equal(await probe.evaluate(() => RED.i18n.lang()), lang);
      for (const type of TYPES) {
        await probe.evaluate(
          ({ type, config }) => {
            if (config) RED.editor.editConfig("", type, config);
            else RED.editor.edit(RED.nodes.node(`all-${type}`));
          },
          { type, config: CONFIG_NODES[type] }
        );
        await probe.waitForSelector(".red-ui-tray .red-ui-tray-body .form-row", { state: "visible" });
        const shown = await probe.$eval(".red-ui-tray", (tray) =>
          [tray.innerText, ...[...tray.querySelectorAll("[placeholder]")].map((el) => el.getAttribute("placeholder"))].join("\n")
        );
        for (const key of shown.match(RAW_KEY) || []) leftovers.push(`${lang} ${type}: ${key}`);
        if (type === "xassist-create-call") await probe.screenshot({ path: path.join(ARTIFACTS, `i18n-editor-${lang}-${type}.png`) });
        await probe.evaluate(() => RED.tray.close());
        await probe.waitForFunction(() => !document.querySelector(".red-ui-tray .form-row"));
      }
      await probe.close();
    }
    assert.deepEqual(leftovers, []);
  });
});
