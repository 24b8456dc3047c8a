#!/usr/bin/env node
"use strict";
// npm run screenshots: the README's pictures, taken from a real run (what npm start starts, in a
// temporary folder) with Chromium (CHROMIUM_PATH or the usual places; test/support/find-browser.js):
// docs/images/*.png.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { launch, exampleFlows } = require("./start");
const { CHROMIUM_FLAGS: FLAGS, findBrowser, missingMessage } = require("../test/support/find-browser");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, "docs", "images");
const LOOPBACK = /^https?:\/\/127\.0\.0\.1(:\d+)?\//;

const exampleFile = (prefix) => fs.readdirSync(path.join(ROOT, "examples")).find((f) => f.startsWith(prefix));
const readExample = (file) => JSON.parse(fs.readFileSync(path.join(ROOT, "examples", file), "utf8"));
const nodeNamed = (file, name) => readExample(file).find((n) => n.name === name);

async function main() {
  const found = findBrowser();
  if (!found.path) throw new Error(missingMessage(found.searched));
  fs.mkdirSync(OUT, { recursive: true });
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-screenshots-"));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cam-screenshots-chromium-"));
  const running = await launch({ userDir, editorPort: 0 });
  const { chromium } = require("playwright-core");
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: found.path,
    headless: true,
    args: FLAGS,
    viewport: { width: 1600, height: 860 },
  });
  // Only this machine's Node-RED; nothing goes out.
  await browser.route("**/*", (route) => (LOOPBACK.test(route.request().url()) ? route.continue() : route.abort()));
  try {
    const page = await browser.newPage();
    await editorShots(page, running);
    await practiceShot(page, running);
  } finally {
    await browser.close();
    await running.stop();
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(userDir, { recursive: true, force: true });
  }
}

async function shot(page, name, options = {}) {
  const file = path.join(OUT, name);
  await page.screenshot({ path: file, ...options });
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

async function editorShots(page, running) {
  await page.goto(`${running.editor}/`);
  await page.waitForFunction(() => window.RED?.nodes?.workspace && document.querySelectorAll(".red-ui-flow-node").length > 0);
  const { nodes } = exampleFlows();
  const business = exampleFile("01 ");
  const tab = nodes.find((n) => n.type === "tab" && n.label === "Business data to a chat room");
  await page.evaluate((id) => RED.workspaces.show(id), tab.id);
  // The palette opened at this package's nodes.
  await page.evaluate(() => {
    const header = [...document.querySelectorAll(".red-ui-palette-header")].find((h) => /Messenger/.test(h.textContent));
    const scroller = document.getElementById("red-ui-palette-container");
    if (header && scroller) scroller.scrollTop = header.parentElement.offsetTop - scroller.offsetTop;
  });

  // 1. An example tab after a click on its inject button, with the message in the Debug sidebar.
  await page.evaluate(() => RED.sidebar.show("debug"));
  const inject = nodeNamed(business, "Sales figures (try me)");
  const button = page.locator(`[id="${inject.id}"] .red-ui-flow-node-button`);
  // The editor's event connection may still be opening: click again until the message arrives.
  for (let attempt = 1; ; attempt++) {
    await button.click();
    try {
      await page.locator(".red-ui-debug-msg").first().waitFor({ timeout: 5000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
  await page.locator(".red-ui-notification").first().waitFor({ state: "hidden" });
  await shot(page, "editor-example.png");

  // 2. The send-message node's settings, then its server's.
  const send = nodeNamed(business, "Post to general");
  await page.locator(`[id="${send.id}"] .red-ui-flow-node`).dblclick();
  await page.locator("#node-dialog-ok").waitFor();
  await page.waitForTimeout(500); // the tray slides in
  await shot(page, "editor-send-message.png");
  await page.locator("#node-input-btn-server-edit").click();
  await page.locator("#node-config-input-server").waitFor();
  await page.waitForTimeout(500);
  await shot(page, "editor-server-practice.png");
  // The README's "Configure the server" shows the fields of one's own server.
  await page.locator("#node-config-input-server").selectOption("own");
  await page.locator("#node-config-input-serverURL").waitFor();
  await shot(page, "editor-server.png");
  await page.locator("#node-config-dialog-cancel").click();
  await page.locator("#node-dialog-cancel").click();
  await page.locator(".red-ui-tray").first().waitFor({ state: "detached" });

  // 3. Import → Examples, opened at this package, with the first example selected.
  await page.evaluate(() => RED.actions.invoke("core:show-examples-import-dialog"));
  await page.locator(".red-ui-treeList-label:visible", { hasText: require("../package.json").name }).click();
  await page.locator(".red-ui-treeList-label:visible", { hasText: "01 - Business data to a chat room" }).click();
  await page.waitForTimeout(500);
  await shot(page, "editor-import-example.png");
  await page.keyboard.press("Escape");
}

async function practiceShot(page, running) {
  // A few more examples run, so that the Practice tab shows rooms, a sealed alert, direct messages and calls.
  for (const [prefix, name] of [
    ["02 ", "Order system is down (try me)"],
    ["03 ", "Meeting from groupware (try me)"],
    ["10 ", "Hello to two people (try me)"],
    ["20 ", "Call the expert (try me)"],
  ]) {
    const inject = nodeNamed(exampleFile(prefix), name);
    const res = await fetch(`${running.editor}/inject/${inject.id}`, { method: "POST" });
    if (!res.ok) throw new Error(`inject ${name}: ${res.status}`);
  }
  await page.evaluate(() => RED.sidebar.show("cam-practice"));
  const tab = page.locator("#red-ui-sidebar");
  await tab.getByText("Sales report").first().waitFor();
  await tab.getByText("Weekly design review").first().waitFor();
  await page.waitForTimeout(300);
  await shot(page, "practice-tab.png");
}

main().catch((err) => {
  console.error(`screenshots: ${err.stack || err.message}`);
  process.exit(1);
});
