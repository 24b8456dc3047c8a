"use strict";
// The editor panels without a browser: a nodes/<type>.html runs in a vm with the shared editor script
// (resources/editor.js, made by npm run build), a stub RED that records what the panel registers, and a
// $ that records the TypedInputs it sets up. Used by the rules test (test/unit/adding-an-api.test.js)
// and the panels' own tests.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ROOT = path.join(__dirname, "..", "..");
const NODES = path.join(ROOT, "nodes");
const LOCALE = path.join(NODES, "locales", "en-US");
/** The tag every panel starts with: the script the build makes from src/editor and the tables. */
const EDITOR_SCRIPT_TAG = '<script src="resources/@cam-integrations/node-red-chat-messenger/editor.js"></script>';

let editorScript;
const editorScriptText = () => (editorScript ??= fs.readFileSync(path.join(ROOT, "resources", "editor.js"), "utf8"));

/** The bodies of a panel's <script type="..."> blocks, with their other attributes. */
function scripts(html, type) {
  const re = new RegExp(`<script type="${type}"([^>]*)>([\\s\\S]*?)</script>`, "g");
  return [...html.matchAll(re)].map((m) => ({ attrs: m[1], body: m[2] }));
}

function lookup(catalogue, key) {
  return key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), catalogue);
}

/** A stand-in for the editor's typed-property check, close enough to tell good values from bad. */
function validateTypedProperty(value, type) {
  if (type === "json") {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return "invalid JSON";
    }
  }
  if (["msg", "flow", "global"].includes(type)) return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[\d+\])*$/.test(value) || "invalid property";
  if (type === "num") return /^[+-]?\d*\.?\d+(e[+-]?\d+)?$/i.test(value) || "invalid number";
  return true;
}

function fakeRED() {
  const registered = {};
  const RED = {
    nodes: { registerType: (type, def) => (registered[type] = def) },
    utils: { validateTypedProperty, validatePropertyExpression: (v) => validateTypedProperty(v, "msg") === true },
    validators: {
      number: () => (v) => v !== "" && !Number.isNaN(Number(v)),
      regex: (re) => (v) => re.test(v),
      typedInput: (options) => {
        const opts = typeof options === "string" ? { typeField: options } : options;
        return function (v) {
          if (opts.allowBlank && v === "") return true;
          if (opts.allowUndefined && v === undefined) return true;
          return validateTypedProperty(v, this[opts.typeField]) === true;
        };
      },
    },
  };
  return { RED, registered };
}

/** $ that records typedInput calls; any other jQuery method does nothing and chains (no dialog is open). */
function fakeJQuery(typedInputs) {
  return (selector) => {
    const own = {
      // typedInput({...}) sets one up; typedInput("type") and the like ask it something
      typedInput: (opts) => (typeof opts === "object" ? ((typedInputs[selector] = opts), el) : undefined),
      val: () => undefined,
      length: 0,
    };
    // No element behind it: el[0] is undefined, as for a jQuery that matched nothing.
    const chain = (name) => (typeof name === "symbol" || name === "then" || /^\d+$/.test(name) ? undefined : () => el);
    const el = new Proxy(own, { get: (target, name) => (name in target ? target[name] : chain(name)) });
    return el;
  };
}

const loaded = new Map();

/**
 * A panel as the editor sees it: its source, its script, the definition it registers (`def`), its
 * template (the form), its en-US catalogue, `translate(key)` (fails on a key without text), the
 * TypedInputs its oneditprepare set up (`typedInputs`, after calling it) and the shared script
 * (`editor`, CamEditor). Loaded once per type.
 */
function loadPanel(type) {
  if (!loaded.has(type)) loaded.set(type, readPanel(type));
  return loaded.get(type);
}

function readPanel(type) {
  const html = fs.readFileSync(path.join(NODES, `${type}.html`), "utf8");
  const catalogue = JSON.parse(fs.readFileSync(path.join(LOCALE, `${type}.json`), "utf8"));
  const { RED, registered } = fakeRED();
  const typedInputs = {};
  const code = scripts(html, "text/javascript")
    .map((s) => s.body)
    .join("\n");
  const context = vm.createContext({ RED, $: fakeJQuery(typedInputs), console });
  vm.runInContext(editorScriptText(), context);
  vm.runInContext(code, context);
  const translate = (key) => {
    const text = lookup(catalogue, key);
    assert.equal(typeof text, "string", `${type}: this._("${key}") has no text in nodes/locales/en-US/${type}.json`);
    return text;
  };
  const template = scripts(html, "text/html").find((s) => s.attrs.includes(`data-template-name="${type}"`));
  // editor: the shared script's CamEditor, as the panel saw it.
  return { html, code, catalogue, def: registered[type], translate, typedInputs, template: template && template.body, editor: context.CamEditor };
}

/** A node as the editor's validators see it: its default values, overridden by `props`. */
function nodeWith(panel, props = {}) {
  const node = { _: panel.translate };
  for (const [name, prop] of Object.entries(panel.def.defaults)) node[name] = prop.value;
  // A server node's checks are those of "My server": on the practice server there is nothing to check.
  if (panel.def.category === "config") node.server = "own";
  return Object.assign(node, props);
}

/** Whether the editor takes `value` for the property (a required one may not be blank). */
function isValid(panel, prop, value, props = {}) {
  const node = nodeWith(panel, { [prop]: value, ...props });
  const rule = panel.def.defaults[prop];
  if (rule.required && value === "") return false;
  return rule.validate ? rule.validate.call(node, value, {}) === true : true;
}

module.exports = { EDITOR_SCRIPT_TAG, LOCALE, scripts, lookup, loadPanel, nodeWith, isValid };
