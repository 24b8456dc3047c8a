"use strict";
// The xAssist editor panels without a browser: each nodes/xassist-*.html runs in a vm with a stub RED and $.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const operations = require("../../nodes/xassist/xassist-operations.js");
const { xassistConfig } = require("../../nodes/xassist/xassist-settings.js");
const { typesOf } = require("../support/node-types");

const NODES = path.join(__dirname, "..", "..", "nodes");
const LOCALE = path.join(NODES, "locales", "en-US");
/** Every xAssist node of package.json: a new one is checked without this file changing. */
const TYPES = typesOf("xassist", { config: true });
/** The script every panel loads before its own (npm run build writes it from src/editor and the tables). */
const EDITOR_SCRIPT = fs.readFileSync(path.join(__dirname, "..", "..", "resources", "editor.js"), "utf8");

const scripts = (html, type) => [...html.matchAll(new RegExp(`<script type="${type}"([^>]*)>([\\s\\S]*?)</script>`, "g"))];
const lookup = (catalogue, key) => key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), catalogue);

function loadPanel(type) {
  const html = fs.readFileSync(path.join(NODES, `${type}.html`), "utf8");
  const catalogue = JSON.parse(fs.readFileSync(path.join(LOCALE, `${type}.json`), "utf8"));
  const registered = {};
  const typedInputs = {};
  const RED = {
    nodes: { registerType: (name, def) => (registered[name] = def) },
    utils: {
      validateTypedProperty: (v, t) =>
        t === "json"
          ? (() => {
              try {
                JSON.parse(v);
                return true;
              } catch {
                return "bad";
              }
            })()
          : true,
    },
    validators: {
      regex: (re) => (v) => re.test(v),
      typedInput: (opts) => {
        const o = typeof opts === "string" ? { typeField: opts } : opts;
        return function (v) {
          return (o.allowBlank && v === "") || RED.utils.validateTypedProperty(v, this[o.typeField]) === true;
        };
      },
    },
  };
  const $ = (selector) => {
    const el = { typedInput: (o) => ((typedInputs[selector] = o), el), val: () => undefined };
    for (const name of ["on", "trigger", "toggle", "find", "toggleClass", "is"]) el[name] = () => el;
    return el;
  };
  const code = scripts(html, "text/javascript")
    .map((m) => m[2])
    .join("\n");
  const context = vm.createContext({ RED, $ });
  vm.runInContext(EDITOR_SCRIPT, context);
  vm.runInContext(code, context);
  const translate = (key) => {
    const text = lookup(catalogue, key);
    assert.equal(typeof text, "string", `${type}: no text for ${key}`);
    return text;
  };
  const template = scripts(html, "text/html").find((m) => m[1].includes(`data-template-name="${type}"`));
  return { html, code, def: registered[type], catalogue, translate, typedInputs, template: template && template[2] };
}

function nodeWith(panel, props = {}) {
  const node = { _: panel.translate };
  for (const [name, prop] of Object.entries(panel.def.defaults)) node[name] = prop.value;
  // A server node's checks are those of "My server": on the practice server there is nothing to check.
  if (panel.def.category === "config") node.server = "own";
  return Object.assign(node, props);
}

const valid = (panel, prop, value, props = {}) => {
  const rule = panel.def.defaults[prop];
  return rule.validate ? rule.validate.call(nodeWith(panel, { [prop]: value, ...props }), value) === true : true;
};

describe("xAssist editor panels (static)", function () {
  it("are registered in package.json", function () {
    const listed = require("../../package.json")["node-red"].nodes;
    for (const type of TYPES) assert.equal(listed[type], `nodes/${type}.js`);
  });

  for (const type of TYPES) {
    describe(type, function () {
      const panel = loadPanel(type);
      const prefix = type === "xassist-config" ? "node-config-input-" : "node-input-";

      it("registers the type with a template, and an input element per property", function () {
        assert.ok(panel.def && panel.template);
        assert.ok(
          panel.html.startsWith('<script src="resources/@cam-integrations/node-red-chat-messenger/editor.js"></script>\n'),
          "loads the editor script first"
        );
        for (const name of [...Object.keys(panel.def.defaults), ...Object.keys(panel.def.credentials || {})]) {
          assert.match(panel.template, new RegExp(`id="${prefix}${name}"`), `no #${prefix}${name}`);
        }
      });

      it("has a text for every i18n key, grouped under the node's name", function () {
        const keys = [];
        for (const [, attr] of panel.template.matchAll(/data-i18n="([^"]+)"/g)) keys.push(attr.replace(/^\[[^\]]+\]/, ""));
        for (const [, key] of panel.code.matchAll(/\b(?:this|node)\._\(\s*"([^"]+)"\s*[,)]/g)) keys.push(key);
        assert.ok(keys.length > 3);
        for (const key of keys) {
          assert.ok(key.startsWith(`${type}.`), key);
          panel.translate(key);
        }
      });

      it("has a help text in the core style", function () {
        const help = fs.readFileSync(path.join(LOCALE, `${type}.html`), "utf8");
        assert.match(help, new RegExp(`data-help-name="${type}"`));
        const sections = [...help.matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
        assert.deepEqual(sections, type === "xassist-config" ? ["Properties", "Details"] : ["Inputs", "Outputs", "Details", "Example"]);
        for (const tag of ["p", "dl", "dt", "dd", "ul", "ol", "li", "code"]) {
          const open = (help.match(new RegExp(`<${tag}[ >]`, "g")) || []).length;
          assert.equal(open, (help.match(new RegExp(`</${tag}>`, "g")) || []).length, `<${tag}> not closed`);
        }
      });

      if (type !== "xassist-config") {
        it("is styled like the other xAssist nodes and needs a server", function () {
          assert.equal(panel.def.category, "xAssist");
          assert.equal(panel.def.color, "#c0deed");
          assert.equal(panel.def.icon, "xassist.svg");
          assert.ok(fs.existsSync(path.join(__dirname, "..", "..", "icons", "xassist.svg")));
          assert.equal(panel.def.defaults.server.type, "xassist-config");
          assert.equal(panel.def.defaults.server.required, true);
          assert.equal(panel.def.paletteLabel.call(nodeWith(panel)), panel.catalogue[type].paletteLabel);
          assert.equal(panel.def.label.call(nodeWith(panel, { name: "Mine" })), "Mine");
        });
      }
    });
  }

  for (const op of [operations.createCall, operations.callLog]) {
    it(`${op.type}: the panel's typed inputs and defaults are the runtime's`, function () {
      const panel = loadPanel(op.type);
      for (const [name, fallback] of Object.entries(op.inputs)) {
        assert.equal(String(panel.def.defaults[name].value), fallback.value, name);
        assert.equal(panel.def.defaults[`${name}Type`].value, fallback.type, `${name}Type`);
        panel.def.oneditprepare.call(nodeWith(panel));
        const types = panel.typedInputs[`#node-input-${name}`].types.map((t) => (typeof t === "string" ? t : t.value));
        assert.ok(types.includes(fallback.type), `${name} offers ${fallback.type}`);
      }
    });
  }

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

  for (const [type, settings] of [
    ["xassist-config", xassistConfig.settings],
    ["xassist-call-watch", operations.CALL_WATCH_SETTINGS],
  ]) {
    it(`${type}: each setting's default and limits are the table's`, function () {
      const panel = loadPanel(type);
      for (const [name, setting] of Object.entries(settings)) {
        assert.equal(panel.def.defaults[name].value, setting.value, `default of ${name}`);
        if (setting.pattern) {
          assert.equal(valid(panel, name, setting.value), true);
          assert.notEqual(valid(panel, name, "no slash"), true, `${name} follows the table's pattern`);
          continue;
        }
        for (const ok of [setting.min, setting.max]) assert.equal(valid(panel, name, String(ok)), true, `${name} = ${ok}`);
        for (const no of [setting.min - 1, setting.max + 1]) assert.notEqual(valid(panel, name, String(no)), true, `${name} = ${no}`);
      }
    });
  }

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
