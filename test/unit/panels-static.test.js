"use strict";
// Checks the editor panels without a browser: each nodes/<type>.html is run in a vm with a stub RED and $.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const operations = require("../../nodes/cam/cam-operations.js");
const { camConfig } = require("../../nodes/cam/cam-config-settings.js");

const NODES = path.join(__dirname, "..", "..", "nodes");
/** The script every panel loads before its own (npm run build writes it from src/editor and the tables). */
const EDITOR_SCRIPT = fs.readFileSync(path.join(__dirname, "..", "..", "resources", "editor.js"), "utf8");
const EDITOR_SCRIPT_TAG = '<script src="resources/@cam-integrations/node-red-chat-messenger/editor.js"></script>';
const LOCALE = path.join(NODES, "locales", "en-US");
const types = Object.keys(require("../../package.json")["node-red"].nodes).filter((type) => type.startsWith("cam-"));
const operationTypes = types.filter((type) => type !== "cam-config");

/** The editor drops these property names (RED.nodes' internalProperties): a value stored under one is lost. */
const INTERNAL_PROPERTIES = (() => {
  const editor = fs.readFileSync(require.resolve("@node-red/editor-client/public/red/red.js"), "utf8");
  const list = /const internalProperties = \[([^\]]*)\]/.exec(editor)[1];
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
})();
/** Known clashes: renaming needs the runtime's input name in cam-operations.ts to change too. */
const KNOWN_CLASHES = {};

/** Properties that a new node leaves blank on purpose: the red triangle asks the user to fill them in. */
const MUST_FILL_IN = { "cam-api": "apiName", "cam-send-message": "recipients" };

function scripts(html, attribute) {
  const re = new RegExp(`<script type="${attribute}"([^>]*)>([\\s\\S]*?)</script>`, "g");
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
    utils: { validateTypedProperty },
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

/** $ that records typedInput calls and otherwise does nothing (no dialog is open). */
function fakeJQuery(typedInputs) {
  const element = (selector) => {
    const el = {
      typedInput: (opts) => (typedInputs[selector] = opts) && el,
      val: () => undefined,
    };
    for (const name of ["on", "trigger", "toggle", "text", "spinner", "find", "toggleClass", "removeClass", "addClass", "each"]) {
      el[name] = () => el;
    }
    return el;
  };
  return element;
}

function loadPanel(type) {
  const html = fs.readFileSync(path.join(NODES, `${type}.html`), "utf8");
  const catalogue = JSON.parse(fs.readFileSync(path.join(LOCALE, `${type}.json`), "utf8"));
  const { RED, registered } = fakeRED();
  const typedInputs = {};
  const code = scripts(html, "text/javascript")
    .map((s) => s.body)
    .join("\n");
  const context = vm.createContext({ RED, $: fakeJQuery(typedInputs), console });
  vm.runInContext(EDITOR_SCRIPT, context);
  vm.runInContext(code, context);
  const def = registered[type];
  const translate = (key) => {
    const text = lookup(catalogue, key);
    assert.equal(typeof text, "string", `${type}: this._("${key}") has no text in ${type}.json`);
    return text;
  };
  const template = scripts(html, "text/html").find((s) => s.attrs.includes(`data-template-name="${type}"`));
  return { html, code, catalogue, def, translate, typedInputs, template: template && template.body };
}

/** A node as the editor's validators see it: its default values, overridden by `props`. */
function nodeWith(panel, props) {
  const node = { _: panel.translate };
  for (const [name, prop] of Object.entries(panel.def.defaults)) node[name] = prop.value;
  // A server node's checks are those of "My server": on the practice server there is nothing to check.
  if (panel.def.category === "config") node.server = "own";
  return Object.assign(node, props);
}

function isValid(panel, prop, value, props = {}) {
  const node = nodeWith(panel, { [prop]: value, ...props });
  const rule = panel.def.defaults[prop];
  if (rule.required && value === "") return false;
  return rule.validate ? rule.validate.call(node, value, {}) === true : true;
}

describe("editor panels (static)", function () {
  for (const type of types) {
    describe(type, function () {
      const panel = loadPanel(type);
      const prefix = type === "cam-config" ? "node-config-input-" : "node-input-";

      it("registers the type with its template", function () {
        assert.ok(panel.def, `${type}.html does not register ${type}`);
        assert.ok(panel.template, `${type}.html has no data-template-name="${type}"`);
      });

      it("loads the shared editor script before its own code", function () {
        // Another panel's copy would do in a full palette, but not when this node's set is the only one enabled.
        assert.ok(panel.html.startsWith(`${EDITOR_SCRIPT_TAG}\n<script type="text/javascript">`), `${type}.html must start with ${EDITOR_SCRIPT_TAG}`);
      });

      it("has a text in its own catalogue for every i18n key", function () {
        const keys = [];
        for (const [, attr] of panel.template.matchAll(/data-i18n="([^"]+)"/g)) {
          for (const part of attr.split(";")) keys.push(part.replace(/^\[[^\]]+\]/, ""));
        }
        for (const [, key] of panel.code.matchAll(/\b(?:this|node)\._\(\s*"([^"]+)"\s*[,)]/g)) keys.push(key);
        assert.ok(keys.length > 3);
        for (const key of keys) {
          assert.ok(key.startsWith(`${type}.`), `${key}: keys are grouped under ${type}`);
          panel.translate(key);
        }
      });

      it("uses no property name the editor keeps for itself", function () {
        assert.ok(INTERNAL_PROPERTIES.includes("users") && INTERNAL_PROPERTIES.includes("wires"));
        const names = [...Object.keys(panel.def.defaults), ...Object.keys(panel.def.credentials || {})];
        const clashes = names.filter((name) => INTERNAL_PROPERTIES.includes(name));
        assert.deepEqual(clashes, KNOWN_CLASHES[type] || []);
      });

      it("has an input element for every property", function () {
        for (const name of Object.keys(panel.def.defaults)) {
          assert.match(panel.template, new RegExp(`id="${prefix}${name}"`), `no #${prefix}${name}`);
        }
        for (const name of Object.keys(panel.def.credentials || {})) {
          assert.match(panel.template, new RegExp(`id="${prefix}${name}"`), `no #${prefix}${name}`);
        }
      });

      it("has a help text in the core style", function () {
        const help = fs.readFileSync(path.join(LOCALE, `${type}.html`), "utf8");
        assert.match(help, new RegExp(`data-help-name="${type}"`));
        const sections = type === "cam-config" ? ["Properties", "Details"] : ["Inputs", "Outputs", "Details", "Example"];
        const found = [...help.matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
        assert.deepEqual(found, sections);
        for (const tag of ["p", "dl", "dt", "dd", "ul", "li", "pre", "code"]) {
          const open = (help.match(new RegExp(`<${tag}[ >]`, "g")) || []).length;
          const close = (help.match(new RegExp(`</${tag}>`, "g")) || []).length;
          assert.equal(open, close, `<${tag}> is not closed in the help of ${type}`);
        }
      });
    });
  }

  for (const type of operationTypes) {
    describe(`${type} node`, function () {
      const panel = loadPanel(type);
      const defaults = panel.def.defaults;
      const operation = Object.values(operations).find((op) => op && op.type === type);

      it("is styled and labelled like the other Chat&Messenger nodes", function () {
        assert.equal(panel.def.category, "Chat&Messenger");
        assert.equal(panel.def.color, "#9fc5e8");
        assert.equal(panel.def.icon, "chat-messenger.svg");
        assert.equal(panel.def.inputs, 1);
        assert.equal(panel.def.outputs, 1);
        assert.deepEqual({ ...defaults.server, validate: undefined }, { value: "", type: "cam-config", required: true, validate: undefined });
        assert.equal(defaults.name.value, "");
        const label = panel.def.paletteLabel.call(nodeWith(panel, {}));
        assert.equal(label, panel.catalogue[type].paletteLabel);
        assert.equal(panel.def.label.call(nodeWith(panel, {})), label);
        assert.equal(panel.def.label.call(nodeWith(panel, { name: "My node" })), "My node");
      });

      it("has the runtime's typed inputs, defaults and settings, and nothing else", function () {
        assert.ok(operation, `no operation for ${type} in cam-operations`);
        const expected = { name: "", server: "" };
        for (const [name, input] of Object.entries(operation.inputs)) {
          expected[name] = input.value;
          expected[`${name}Type`] = input.type;
        }
        for (const [name, setting] of Object.entries(operation.settings || {})) expected[name] = setting.value;
        const actual = Object.fromEntries(Object.entries(defaults).map(([name, prop]) => [name, prop.value]));
        assert.deepEqual(actual, expected);
      });

      it("offers exactly the choices of the table in each choice setting's list", function () {
        for (const [name, setting] of Object.entries(operation.settings || {})) {
          if (!setting.choices) continue;
          const select = new RegExp(`<select id="node-input-${name}"[^>]*>([\\s\\S]*?)</select>`).exec(panel.template);
          assert.ok(select, `${name} is a <select>`);
          assert.deepEqual(
            [...select[1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]),
            [...setting.choices]
          );
        }
      });

      it("builds a TypedInput for each input that offers its default type", function () {
        panel.def.oneditprepare && panel.def.oneditprepare.call(nodeWith(panel, {}));
        for (const [name, input] of Object.entries(operation.inputs)) {
          const opts = panel.typedInputs[`#node-input-${name}`];
          assert.ok(opts, `${name} is not a TypedInput`);
          assert.equal(opts.typeField, `#node-input-${name}Type`);
          assert.ok(opts.types.includes(input.type), `${name}: types lack ${input.type}`);
          for (const t of opts.types) assert.ok(typeof t === "string" && t, `${name}: odd type ${t}`);
        }
      });

      it("accepts its own defaults, except what the user must fill in", function () {
        for (const [name, prop] of Object.entries(defaults)) {
          if (name === "server" || MUST_FILL_IN[type] === name) continue;
          assert.ok(isValid(panel, name, prop.value), `default of ${name} is marked invalid`);
        }
      });
    });
  }

  describe("numbers come from the tables", function () {
    const tables = [camConfig, ...Object.values(operations).filter((op) => op && op.type && op.settings)];
    for (const table of tables) {
      const numbers = Object.entries(table.settings).filter(([, setting]) => typeof setting.value === "number");
      if (numbers.length === 0) continue;
      it(`${table.type}: each number's default, and its limits, are the table's`, function () {
        const panel = loadPanel(table.type);
        for (const [name, { value, min, max, integer }] of numbers) {
          assert.equal(panel.def.defaults[name].value, value, `default of ${name}`);
          for (const ok of [value, min, max, String(max)]) assert.ok(isValid(panel, name, ok), `${name} = ${ok} is refused`);
          const bad = [min - 1, max + 1, ...(integer ? [min + 0.5] : [])];
          for (const no of bad) assert.ok(!isValid(panel, name, String(no)), `${name} = ${no} is accepted`);
        }
      });
    }
  });

  describe("validation marks bad values", function () {
    // undefined: a property missing from an imported flow, where the runtime uses its default.
    const cases = [
      [
        "cam-config",
        "serverURL",
        [
          ["https://chat.example.com", true],
          ["http://10.0.0.5:8080", true],
          ["", false],
          ["chat.example.com", false],
        ],
      ],
      [
        "cam-config",
        "timeout",
        [
          ["", true],
          ["ten", false],
          ["-1", false],
        ],
      ],
      [
        "cam-config",
        "proxy",
        [
          ["", true],
          ["http://proxy.example.com:3128", true],
          ["proxy:3128", false],
        ],
      ],
      [
        "cam-send-message",
        "recipients",
        [
          ["", false],
          ["a@example.com", true],
          ["a@example.com, b@example.com;c@example.com", true],
          ["anna", false],
          ["a@example.com, bob", false],
          ["", true, { sendTo: "room" }],
          ["payload.to", true, { recipientsType: "msg" }],
          ['["a@example.com"', false, { recipientsType: "json" }],
          [undefined, true],
        ],
      ],
      [
        "cam-send-message",
        "room",
        [
          ["", true],
          ["", false, { sendTo: "room" }],
          ["sales", true, { sendTo: "room" }],
          ["payload.room", true, { sendTo: "room", roomType: "msg" }],
        ],
      ],
      [
        "cam-send-message",
        "message",
        [
          ["payload", true],
          ["", false],
          ["Hello", true, { messageType: "str" }],
        ],
      ],
      [
        "cam-send-messages",
        "batchSize",
        [
          [undefined, true],
          ["1.5", false],
          ["many", false],
          ["", false],
        ],
      ],
      [
        "cam-send-messages",
        "messages",
        [
          [undefined, true],
          ["payload", true],
          ["", false],
          ["[1,", false, { messagesType: "json" }],
          ['[{"message":"x","send":"a"}]', true, { messagesType: "json" }],
        ],
      ],
      [
        "cam-create-quick-call",
        "expires",
        [
          [undefined, true],
          ["1h", true],
          ["30m", true],
          ["1.5d", true],
          ["2026-12-31T18:00", true],
          ["4102444800000", true],
          ["soon", false],
          ["", false],
          ["1700000000", false],
          ["1700000000", false, { expiresType: "num" }],
          ["4102444800000", true, { expiresType: "num" }],
          ["payload.until", true, { expiresType: "msg" }],
        ],
      ],
      [
        "cam-call-stats",
        "roomName",
        [
          ["payload", true],
          ["", false],
          ["abc123", true, { roomNameType: "str" }],
        ],
      ],
      [
        "cam-export-users",
        "path",
        [
          ["users.csv", true],
          ["", false],
        ],
      ],
      [
        "cam-update-users",
        "csv",
        [
          ["payload", true],
          ['[{"email":"a@example.com"}]', true, { csvType: "json" }],
          ["[{", false, { csvType: "json" }],
        ],
      ],
      [
        "cam-update-users",
        "filename",
        [
          ["", true],
          ["new.csv", true],
        ],
      ],
      [
        "cam-update-chat-room",
        "chatRoom",
        [
          ["payload", true],
          ['{"name":"X"}', true, { chatRoomType: "json" }],
          ['{"name":', false, { chatRoomType: "json" }],
        ],
      ],
      [
        "cam-conference-rooms",
        "api",
        [
          [undefined, true],
          ["getConferenceRooms", true],
          ["getSomethingElse", false],
        ],
      ],
      [
        "cam-room-status",
        "period",
        [
          [undefined, true],
          ["", true],
          ["today", true],
          ["month", true],
          ["201908", true],
          ["20190801", true],
          ["2019-08-01", true],
          ["2019-08-01T09:00:00Z", true],
          ["201913", false],
          ["20190231", false],
          ["yesterday", false],
          ["", true, { periodType: "date" }],
        ],
      ],
      [
        "cam-api",
        "apiName",
        [
          [undefined, false],
          ["getConferenceRooms", true],
          ["send_Message2", true],
          ["", false],
          ["get rooms", false],
          ["../admin", false],
          ["2fa", false],
          ["payload.api", true, { apiNameType: "msg" }],
        ],
      ],
      [
        "cam-api",
        "fields",
        [
          [undefined, true],
          ["payload", true],
          ["{}", true, { fieldsType: "json" }],
          ["{x}", false, { fieldsType: "json" }],
        ],
      ],
    ];
    for (const [type, prop, values] of cases) {
      it(`${type}: ${prop}`, function () {
        const panel = loadPanel(type);
        for (const [value, valid, props] of values) {
          assert.equal(isValid(panel, prop, value, props), valid, `${prop} = ${JSON.stringify(value)} ${JSON.stringify(props || {})}`);
        }
      });
    }

    it("explains why in the node's own words", function () {
      const panel = loadPanel("cam-api");
      const answer = panel.def.defaults.apiName.validate.call(nodeWith(panel, {}), "get rooms", {});
      assert.equal(answer, panel.catalogue["cam-api"].validation.apiName);
    });
  });
});

describe("editor panels as the Flow Library reads them", function () {
  const all = Object.keys(require("../../package.json")["node-red"].nodes).filter((type) => !type.endsWith("-config"));
  const literal = (html, key) => new RegExp(`\\n    ${key}: "([^"]+)",`).exec(html)?.[1];

  it("writes category, colour and icon as literals, the same for all nodes of one API", function () {
    const looks = {};
    for (const type of all) {
      const html = fs.readFileSync(path.join(NODES, `${type}.html`), "utf8");
      const look = ["category", "color", "icon"].map((key) => literal(html, key));
      assert.ok(look.every(Boolean), `${type}.html: category, color and icon must be string literals`);
      (looks[type.split("-")[0]] ??= new Set()).add(look.join(" | "));
    }
    for (const [api, set] of Object.entries(looks)) assert.equal(set.size, 1, `${api}: ${[...set].join(" ≠ ")}`);
  });

  it("has no spread in the object given to registerType (the Flow Library cannot parse one)", function () {
    for (const type of all) {
      const html = fs.readFileSync(path.join(NODES, `${type}.html`), "utf8");
      const definition = html.slice(html.indexOf(`RED.nodes.registerType("${type}", {`));
      assert.doesNotMatch(definition.slice(0, definition.indexOf("\n  });")), /\n {4}\.\.\./, `${type}.html`);
    }
  });
});
