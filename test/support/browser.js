"use strict";
// Chromium (found by ./find-browser.js) driven by playwright-core, and an Editor object that works
// the Node-RED editor the way a user does (palette drag, double-click, typed-input menus, Done,
// Deploy).
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { CHROMIUM_FLAGS: FLAGS, findBrowser, missingMessage, needBrowser } = require("./find-browser");

const SCREENSHOTS = path.join(__dirname, "..", "..", ".artifacts", "screenshots");
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

/**
 * For a before() hook: skips the suite when no browser is found (one line for the whole run),
 * unless REQUIRE_BROWSER=1 (CI), where a missing browser is a failure. See ./find-browser.js.
 */
function requireBrowser(context) {
  needBrowser(context);
}

/** A fresh Chromium profile that may only talk to loopback addresses. */
async function launchBrowser() {
  const { chromium } = require("playwright-core");
  const found = findBrowser();
  if (!found.path) throw new Error(missingMessage(found.searched));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cam-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: found.path,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: FLAGS,
  });
  await context.route("**/*", (route) => (LOOPBACK.test(route.request().url()) ? route.continue() : route.abort()));
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** How the editor reports an exception in a node's own code (it catches them and logs them). */
const CAUGHT = /^(Definition error: |oneditprepare |oneditsave |oneditcancel |oneditdelete )/;

/**
 * Collects console errors, uncaught exceptions, and the exceptions in node definitions the editor
 * catches and only logs; take() returns and clears them.
 */
function watchErrors(page) {
  let errors = [];
  page.on("console", (m) => (m.type() === "error" || CAUGHT.test(m.text())) && errors.push(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return {
    take: () => {
      const taken = errors;
      errors = [];
      return taken;
    },
  };
}

/** Runs in the page: no CSS or jQuery animations, so the tests wait for states, not for motion. */
function noAnimations() {
  document.addEventListener("DOMContentLoaded", () => {
    const style = document.createElement("style");
    style.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
    document.head.appendChild(style);
    if (window.jQuery) window.jQuery.fx.off = true;
  });
}

class Editor {
  constructor(page) {
    this.page = page;
    this.errors = watchErrors(page);
    this.dropped = 0;
  }

  /** Opens the editor, logs in through its login dialog when asked to, waits for the palette. */
  static async open(context, url, login) {
    // the tab the browser opened with: a second tab could be the one in front, and a tab behind
    // another gets no animation frames, so Chromium holds back the mouse moves a drag is made of
    const blank = context.pages().find((p) => p.url() === "about:blank");
    const editor = new Editor(blank || (await context.newPage()));
    const page = editor.page;
    page.setDefaultTimeout(10000);
    await page.addInitScript(noAnimations);
    await page.goto(url + "/");
    await page.locator("#red-ui-palette-container .red-ui-palette-node").first().waitFor();
    await page.waitForFunction(() => window.RED && RED.workspaces.active());
    if (login) await editor.login(login);
    return editor;
  }

  /** Logs in from the user menu, as an anonymous (read-only) visitor would. */
  async login({ username, password }) {
    const page = this.page;
    await page.locator("#red-ui-header-button-user").click();
    await page.locator("#usermenu-item-login").click();
    await page.locator("#node-dialog-login-username").fill(username);
    await page.locator("#node-dialog-login-password").fill(password);
    await page.locator("#node-dialog-login-submit").click();
    await page.waitForFunction((u) => RED.settings.user && RED.settings.user.username === u, username);
    // the workspace was set up read-only for the anonymous visitor: load it again as the user
    await page.reload();
    await page.locator("#red-ui-palette-container .red-ui-palette-node").first().waitFor();
    await page.waitForFunction((u) => window.RED && RED.workspaces.active() && RED.settings.user && RED.settings.user.username === u, username);
  }

  paletteNode(type) {
    return this.page.locator(`#red-ui-palette-container .red-ui-palette-node[data-palette-type="${type}"]`);
  }

  /**
   * Drags a node from the palette onto the workspace; resolves with the new node's id. A drag that
   * made no node is tried again (a palette that was still settling); the third miss fails with
   * what was under the mouse, so that a CI log tells why.
   */
  async drop(type, at) {
    const page = this.page;
    const slot = this.dropped++ % 12;
    const target = at || { x: 150 + (slot % 4) * 220, y: 80 + Math.floor(slot / 4) * 90 };
    const before = await page.evaluate(() => RED.nodes.filterNodes({}).map((n) => n.id));
    for (let attempt = 1; ; attempt++) {
      const points = await this.drag(type, target);
      const id = await page
        .waitForFunction(([t, old]) => (RED.nodes.filterNodes({ type: t }).find((n) => !old.includes(n.id)) || {}).id, [type, before], {
          timeout: attempt < 3 ? 3000 : 10000,
          polling: 50, // not on animation frames: a tab behind another gets none
        })
        .then((handle) => handle.jsonValue())
        .catch(() => undefined);
      if (id) return id;
      if (attempt === 3) throw new Error(`dropping ${type} from the palette made no node: ${await this.diagnose(points)}`);
    }
  }

  /** The mouse path of a palette drag; returns where it pressed and where it let go. */
  async drag(type, target) {
    const page = this.page;
    await page.bringToFront();
    const node = this.paletteNode(type);
    await node.scrollIntoViewIfNeeded();
    const box = await node.boundingBox();
    const chart = await page.locator("#red-ui-workspace-chart").boundingBox();
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const to = { x: chart.x + target.x, y: chart.y + target.y };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    // a small move first: jQuery UI starts the drag only once the mouse has moved a little
    await page.mouse.move(from.x + 20, from.y, { steps: 3 });
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await page.mouse.up();
    return { from, to };
  }

  /** What the editor looked like when an action had no effect: the user, dialogs, what was under the mouse. */
  async diagnose(points = {}) {
    const state = await this.page.evaluate((pts) => {
      const describe = (p) => {
        const e = p && document.elementFromPoint(p.x, p.y);
        return e ? `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${[...e.classList].join(".")}` : "nothing";
      };
      const visibleText = (selector) =>
        [...document.querySelectorAll(selector)].filter((e) => e.offsetParent !== null).map((e) => e.innerText.replace(/\s+/g, " ").slice(0, 160));
      return {
        visibility: document.visibilityState,
        focused: document.hasFocus(),
        viewState: RED.view.state(),
        user: RED.settings.user ? RED.settings.user.username : "(anonymous)",
        canDeploy: RED.user.hasPermission("flows.write"),
        workspace: RED.workspaces.active(),
        locked: Boolean((RED.nodes.workspace(RED.workspaces.active()) || {}).locked),
        pressedOn: describe(pts.from),
        releasedOn: describe(pts.to),
        trays: document.querySelectorAll(".red-ui-tray").length,
        notifications: visibleText(".red-ui-notification"),
        dialogs: visibleText(".ui-dialog"),
      };
    }, points);
    await this.screenshot(`diagnose-${Date.now()}`).catch(() => undefined);
    return JSON.stringify(state);
  }

  /** For afterEach: a failed test leaves a screenshot and a freshly loaded editor. */
  async afterTest(test) {
    if (test.state !== "failed") return;
    await this.screenshot(`FAILED ${test.fullTitle()}`.replace(/[^\w.-]+/g, "_"));
    await this.recover();
  }

  /**
   * After a failed test: loads the editor again, so that whatever the failure left behind (a
   * dialog, a notice, a drag half done) cannot fail the tests after it.
   */
  async recover() {
    const page = this.page;
    // undeployed changes would make the editor ask before it unloads
    await page.evaluate(() => RED.nodes.dirty(false)).catch(() => undefined);
    await page.bringToFront();
    await page.reload();
    await page.locator("#red-ui-palette-container .red-ui-palette-node").first().waitFor();
    await page.waitForFunction(() => window.RED && RED.workspaces.active() && RED.settings.user);
    this.errors.take();
  }

  flowNode(id) {
    return this.page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`);
  }

  /** Double-clicks the node in the workspace and waits for its edit tray. */
  async edit(id) {
    // the workspace is redrawn now and then (after a deploy, for one): a double-click that lands
    // during a redraw is lost, so try again
    for (let attempt = 1; ; attempt++) {
      await this.flowNode(id).locator(".red-ui-flow-node").dblclick({ force: true });
      try {
        await this.tray().waitFor({ timeout: attempt < 3 ? 2000 : 10000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await this.trayOpened();
  }

  /** Waits until the newest tray has slid fully into view (its prepare code has run by then). */
  async trayOpened() {
    await this.tray().waitFor();
    await this.page.waitForFunction(() => {
      const trays = document.querySelectorAll(".red-ui-tray");
      return trays.length && getComputedStyle(trays[trays.length - 1]).right === "0px";
    });
  }

  tray() {
    return this.page.locator(".red-ui-tray").last();
  }

  /** Done (Add / Update for a configuration); waits until the dialog underneath, if any, is back. */
  async done() {
    await this.closeTray("#node-dialog-ok, #node-config-dialog-ok");
  }

  async cancel() {
    await this.closeTray("#node-dialog-cancel, #node-config-dialog-cancel");
  }

  /**
   * Clicks a tray button and waits for the tray to go. A configuration's dialog is opened from a
   * node's dialog here, which the editor puts back (asynchronously) when it closes.
   */
  async closeTray(buttons) {
    const button = this.tray().locator(buttons);
    const isConfig = (await button.getAttribute("id")).startsWith("node-config-");
    const tray = await this.tray().elementHandle();
    await button.click();
    await this.page.waitForFunction((t) => !t.isConnected, tray);
    if (isConfig) {
      await this.page.locator("#node-dialog-ok").waitFor();
      await this.trayOpened();
    }
  }

  /** Opens the dialog of a node's configuration: the + (new) or pencil (edit) button next to it. */
  async editConfig(property, which) {
    await this.tray()
      .locator(`#node-input-btn-${property}-${which === "new" ? "add" : "edit"}`)
      .click();
    await this.page.locator("#node-config-dialog-ok").waitFor();
    await this.trayOpened();
  }

  /** Cancels whatever dialogs are open. */
  async closeTrays() {
    while (await this.page.locator(".red-ui-tray").count()) await this.cancel();
  }

  /** The visible part of a typed input: the container next to the hidden #<prefix>-<field>. */
  typed(field, prefix = "node-input") {
    return this.page.locator(`#${prefix}-${field} + .red-ui-typedInput-container`);
  }

  /** Picks a type from the typed input's menu, then the value (typed in, or picked for option types). */
  async setTyped(field, type, value, prefix = "node-input") {
    const container = this.typed(field, prefix);
    const typeButton = container.locator(".red-ui-typedInput-type-select");
    if (await typeButton.locator("i.fa-caret-down").isVisible()) await this.pick(typeButton, type);
    if (value === undefined) return;
    const trigger = container.locator(".red-ui-typedInput-option-trigger");
    if (await trigger.isVisible()) await this.pick(trigger, value);
    else {
      const input = container.locator("input.red-ui-typedInput-input");
      await input.fill(String(value));
      await input.press("Tab");
    }
  }

  /**
   * Opens a typed input's menu with its button and picks an entry. The menus are plain and still:
   * force skips Playwright's stability wait (half the time); a click that closed a menu the
   * previous field left open is simply repeated.
   */
  async pick(button, value) {
    const entry = this.page.locator(`.red-ui-typedInput-options:visible a[value="${value}"]`);
    for (let attempt = 1; ; attempt++) {
      await button.click({ force: true });
      try {
        await entry.waitFor({ timeout: attempt < 3 ? 2000 : 10000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await entry.click({ force: true });
  }

  /** Whether a field is shown now (other choices in the dialog may hide it). */
  async shown(field, prefix = "node-input") {
    return this.page.evaluate(
      ([f, p]) => {
        const el = $(`#${p}-${f}`);
        return (el.hasClass("red-ui-typedInput") ? el.next() : el).is(":visible");
      },
      [field, prefix]
    );
  }

  /** What the dialog shows for a typed input: [type, value]. */
  async readTyped(field, prefix = "node-input") {
    return this.page.evaluate(
      ([f, p]) => {
        const el = $(`#${p}-${f}`);
        return [el.typedInput("type"), el.typedInput("value")];
      },
      [field, prefix]
    );
  }

  /** Sets a plain form field: text, textarea, select or checkbox. */
  async setField(field, value, prefix = "node-input") {
    const el = this.page.locator(`#${prefix}-${field}`);
    const kind = await this.page.evaluate((s) => {
      const e = document.querySelector(s);
      return e.tagName === "SELECT" ? "select" : e.type === "checkbox" ? "checkbox" : "text";
    }, `#${prefix}-${field}`);
    if (kind === "select") await el.selectOption(String(value));
    else if (kind === "checkbox") await el.setChecked(Boolean(value), { force: true });
    else {
      await el.fill(String(value));
      await el.press("Tab");
    }
  }

  async readField(field, prefix = "node-input") {
    return this.page.evaluate((s) => {
      const e = document.querySelector(s);
      return e.type === "checkbox" ? e.checked : e.value;
    }, `#${prefix}-${field}`);
  }

  /** Whether the field is marked in red: a typed input's container, else the field itself. */
  /**
   * Whether the field is marked in red. The editor marks it when it handles the field's events,
   * which a busy machine may do a moment later: a state other than `expected` is read again for up
   * to a few seconds before it is returned.
   */
  async hasError(field, prefix = "node-input", expected = undefined) {
    const marked = ([f, p, e]) => {
      const el = $(`#${p}-${f}`);
      const red = (el.hasClass("red-ui-typedInput") ? el.next() : el).hasClass("input-error");
      return e === undefined ? red : red === e;
    };
    if (expected !== undefined) await this.page.waitForFunction(marked, [field, prefix, expected], { timeout: 10_000 }).catch(() => {});
    return this.page.evaluate(marked, [field, prefix, undefined]);
  }

  /**
   * What the open dialog offers for each of the node's properties: {name, kind: typed|select|
   * checkbox|text|hidden|missing, shown, types, options, typeField, type, value}. Typed-input type fields
   * (hidden inputs) are left out: they belong to their typed input. Without an id: the node whose
   * dialog is on top (a new configuration has no id in RED.nodes yet).
   */
  fields(id, prefix = "node-input") {
    return this.page.evaluate(
      ([i, p]) => {
        const node = i ? RED.nodes.node(i) : RED.editor.getEditStack().slice(-1)[0];
        const defs = { ...node._def.defaults, ...(node._def.credentials || {}) };
        const all = Object.keys(defs).map((name) => {
          const el = $(`#${p}-${name}`);
          if (!el.length) return { name, kind: "missing" };
          const shown = (el.hasClass("red-ui-typedInput") ? el.next() : el).is(":visible");
          if (el.hasClass("red-ui-typedInput")) {
            const options = el.data("noderedTypedInput").options;
            const types = options.types.map((t) =>
              typeof t === "string" ? { value: t } : { value: t.value, options: (t.options || []).map((o) => (typeof o === "string" ? o : o.value)) }
            );
            return {
              name,
              kind: "typed",
              shown,
              types,
              typeField: String(options.typeField || "").replace(`#${p}-`, ""),
              type: el.typedInput("type"),
              value: el.typedInput("value"),
            };
          }
          if (el.is("select"))
            return {
              name,
              kind: "select",
              shown,
              options: el
                .find("option")
                .map((_, o) => o.value)
                .get(),
              value: el.val(),
            };
          if (el.attr("type") === "checkbox") return { name, kind: "checkbox", shown, value: el.prop("checked") };
          return { name, kind: el.attr("type") === "hidden" ? "hidden" : "text", shown, value: el.val() };
        });
        const typeFields = all.filter((f) => f.kind === "typed").map((f) => f.typeField);
        return all.filter((f) => !typeFields.includes(f.name));
      },
      [id, prefix]
    );
  }

  /** The node as the editor holds it (properties and validity). */
  nodeState(id) {
    return this.page.evaluate((i) => {
      const n = RED.nodes.node(i);
      const props = {};
      for (const key of Object.keys(n._def.defaults)) props[key] = n[key];
      return { props, valid: n.valid, validationErrors: n.validationErrors || [] };
    }, id);
  }

  /** The red triangle the workspace shows on an invalid node. */
  invalidMarker(id) {
    return this.flowNode(id).locator(".red-ui-flow-node-error");
  }

  /** Deploys; fails with the editor's list when it warns about invalid nodes instead. */
  async deploy() {
    const page = this.page;
    await page.locator("#red-ui-header-button-deploy").click();
    await page.waitForFunction(() => !RED.nodes.dirty() || document.querySelector("#red-ui-deploy-dialog-confirm-deploy-deploy"));
    const warning = page.locator(".red-ui-notification", { has: page.locator("#red-ui-deploy-dialog-confirm-deploy-deploy") });
    if (await warning.count()) throw new Error(`Deploy asked for confirmation: ${await warning.innerText()}`);
    // click the notice away, as it would cover the top of the next dialog for a few seconds
    const notice = page.locator(".red-ui-notification", { hasText: "Successfully deployed" });
    await notice.click();
    await notice.waitFor({ state: "detached" });
  }

  /** Tidies up after a test: closes the dialogs, deletes every node of the open flow (Ctrl-A, Delete). */
  async clearWorkspace() {
    await this.closeTrays();
    await this.page.evaluate(() => {
      RED.actions.invoke("core:select-all-nodes");
      RED.actions.invoke("core:delete-selection");
    });
    await this.page.waitForFunction(() => RED.nodes.filterNodes({ z: RED.workspaces.active() }).length === 0);
  }

  /** Clicks a node in the workspace to select it. */
  async select(id) {
    await this.flowNode(id).locator(".red-ui-flow-node").click({ force: true });
    await this.page.waitForFunction((i) => (RED.view.selection().nodes || []).some((n) => n.id === i), id);
  }

  /** Opens a sidebar tab ("help", "debug", ...) through the editor's API: its buttons differ between Node-RED 4 and 5. */
  async showSidebar(id) {
    await this.page.evaluate((tab) => window.RED.sidebar.show(tab), id);
  }

  /** Opens the help tab of the sidebar (the book icon). */
  async showHelp() {
    await this.showSidebar("help");
    await this.page.locator(".red-ui-sidebar-help-stack").waitFor();
  }

  /** Draws a wire from a node's output port to another node's input port. */
  async wire(fromId, toId) {
    const page = this.page;
    const from = await this.flowNode(fromId).locator(".red-ui-flow-port-output .red-ui-flow-port").first().boundingBox();
    const to = await this.flowNode(toId).locator(".red-ui-flow-port-input .red-ui-flow-port").boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
    await page.mouse.up();
    await page.waitForFunction(([a, b]) => RED.nodes.filterLinks({ source: { id: a }, target: { id: b } }).length === 1, [fromId, toId]);
  }

  async screenshot(name, locator) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await (locator || this.page).screenshot({ path: file });
    return file;
  }
}

const PASSWORD = "editor-test-password";

/**
 * The practice server, a Node-RED with this package whose editor needs a login (anonymous visitors may
 * only read), one server configuration of each kind pointing at the practice server, Chromium, and the
 * editor logged in as admin.
 */
async function startEditorEnvironment() {
  const { start } = require("../../nodes/practice-server");
  const { startNodeRed, adminAuth } = require("./node-red-process");
  const practiceServer = await start({ port: 0, quiet: true });
  const configs = { "cam-config": "c0ffee0000000001", "xassist-config": "c0ffee0000000002" };
  const flows = [
    { id: "f10e000000000001", type: "tab", label: "Flow 1" },
    { id: configs["cam-config"], type: "cam-config", name: "Practice", serverURL: practiceServer.url, retries: 0 },
    {
      id: configs["xassist-config"],
      type: "xassist-config",
      name: "Practice xAssist",
      serverURL: practiceServer.url,
      domain: practiceServer.xassist.domain,
      refreshPath: "/auth/refresh",
    },
  ];
  const credentials = {
    [configs["cam-config"]]: { apiToken: practiceServer.tokens.admin },
    [configs["xassist-config"]]: { username: practiceServer.xassist.username, password: practiceServer.xassist.password },
  };
  const nodeRed = await startNodeRed({ flows, credentials, settings: { adminAuth: adminAuth(PASSWORD) } });
  const browser = await launchBrowser();
  const editor = await Editor.open(browser.context, nodeRed.url, { username: "admin", password: PASSWORD });
  const close = async () => {
    await browser.close();
    await nodeRed.stop();
    await practiceServer.close();
  };
  return { practiceServer, nodeRed, browser, editor, configs, password: PASSWORD, close };
}

let shared;

/**
 * The environment the editor test files share (the first one starts it). Each file registers
 * closeSharedEnvironment as a root after() hook, so it is closed once all of them are done.
 */
function sharedEnvironment() {
  shared = shared || startEditorEnvironment();
  return shared;
}

async function closeSharedEnvironment() {
  const starting = shared;
  shared = undefined;
  const env = starting && (await starting.catch(() => undefined));
  if (env) await env.close();
}

/**
 * For a describe() of the shared editor: before its tests, the environment with an empty workspace,
 * no errors noted and an admin API token; after each test, a screenshot if it failed and (unless the
 * tests build on each other) an empty workspace again. Returns {env, editor, page, adminToken}, set
 * once the before hook has run.
 */
function useSharedEditor({ clearAfterEach = true } = {}) {
  const bed = {};
  before(async function () {
    requireBrowser(this);
    bed.env = await sharedEnvironment();
    bed.editor = bed.env.editor;
    bed.page = bed.editor.page;
    bed.adminToken = await accessToken(bed.env.nodeRed.url, "admin");
    await bed.editor.clearWorkspace();
    bed.editor.errors.take();
  });
  afterEach(async function () {
    if (!bed.editor) return;
    await bed.editor.afterTest(this.currentTest);
    if (clearAfterEach) await bed.editor.clearWorkspace();
  });
  return bed;
}

/** An admin API access token for a user and scope (the password grant the editor uses). */
async function accessToken(url, username, scope = "*") {
  const res = await fetch(`${url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: "node-red-admin", grant_type: "password", scope, username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login as ${username}: ${res.status}`);
  return (await res.json()).access_token;
}

module.exports = {
  FLAGS,
  SCREENSHOTS,
  requireBrowser,
  launchBrowser,
  watchErrors,
  Editor,
  startEditorEnvironment,
  sharedEnvironment,
  closeSharedEnvironment,
  useSharedEditor,
  accessToken,
};
