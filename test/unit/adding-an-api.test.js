"use strict";
// The rules of docs/adding-an-api.md, checked in seconds for every node of package.json and every
// operation of the tables: each step exists (table entry, package.json, panel, en-US texts and help,
// translations, example, node test, README row) and follows the rules the other tests would find
// only in a full run (help sections, panel against table entry, palette label fit, Japanese spacing,
// fuzz values, example comment phrases...). A failure names the step, the rule and the file to fix.
// Static only: no Node-RED, no browser, no server (the panels run in a vm, test/support/panels.js).
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, NODE_FILES, nodeTypes, isConfigType } = require("../support/node-types");
const { EDITOR_SCRIPT_TAG, loadPanel, nodeWith, isValid } = require("../support/panels");
const { plausibleFor, SUCCESS, ownPath } = require("../support/fuzz-values");
const texts = require("../support/locale-rules");

const DOC = "docs/adding-an-api.md";
const at = (file) => path.join(ROOT, file);
const read = (file) => (fs.existsSync(at(file)) ? fs.readFileSync(at(file), "utf8") : undefined);
const readJson = (file) => {
  const text = read(file);
  return text === undefined ? undefined : JSON.parse(text);
};
const apiOf = (type) => type.split("-")[0];
/** The API folders: the prefixes of the node types (cam, xassist). */
const API_FOLDERS = [...new Set(nodeTypes.map(apiOf))];

// The files of a node, as the doc names them.
const panelFile = (type) => `nodes/${type}.html`;
const catalogueFile = (type, lang = "en-US") => `nodes/locales/${lang}/${type}.json`;
const helpFile = (type, lang = "en-US") => `nodes/locales/${lang}/${type}.html`;
const testFile = (type) => `test/nodes/${type}.test.js`;
const FUZZ_FILE = "test/support/fuzz-values.js";

/**
 * Every table entry of the compiled API folders (nodes/<api>/*.js), whether package.json has its
 * node or not: an export with a type and inputs or settings, by type, with its source file.
 */
const TABLES = (() => {
  const found = new Map();
  for (const api of API_FOLDERS) {
    const dir = at(`nodes/${api}`);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
      for (const [name, entry] of Object.entries(require(path.join(dir, file)))) {
        if (entry && typeof entry.type === "string" && (entry.inputs || entry.settings)) {
          found.set(entry.type, { entry, name, source: `src/${api}/${file.replace(/\.js$/, ".ts")}` });
        }
      }
    }
  }
  return found;
})();
const entryOf = (type) => TABLES.get(type)?.entry;
const tableFile = (type) => TABLES.get(type)?.source ?? `src/${apiOf(type)}/${apiOf(type)}-operations.ts`;

/** A server (config) node registers itself in src/servers/; every other node is an operation of a table. */
const isServerNode = (type) => fs.existsSync(at(`src/servers/${type}.ts`));
const isOperation = (type) => !isServerNode(type);
const inPalette = (type) => !isConfigType(type);
/** An operation that runs once per message (not a long-lived one): the fuzz test sends it messages. */
const runsPerMessage = (type) => typeof entryOf(type)?.run === "function";

/** The panel as the editor registers it, or undefined when it cannot be loaded (the panel rule says why). */
function panelOf(type) {
  try {
    const panel = loadPanel(type);
    return panel.def && panel.template ? panel : undefined;
  } catch {
    return undefined;
  }
}
const catalogueOf = (type, lang = "en-US") => readJson(catalogueFile(type, lang));
const paletteLabelOf = (type, lang = "en-US") => catalogueOf(type, lang)?.[type]?.paletteLabel;

/** The editor drops these property names (RED.nodes' internalProperties): a value stored under one is lost. */
const INTERNAL_PROPERTIES = (() => {
  const editor = fs.readFileSync(require.resolve("@node-red/editor-client/public/red/red.js"), "utf8");
  const list = /const internalProperties = \[([^\]]*)\]/.exec(editor)[1];
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
})();

/** Defaults the user must fill in on purpose (the red triangle asks for them): the only defaults a panel may refuse. */
const MUST_FILL_IN = { "cam-api": ["apiName"], "cam-send-message": ["recipients"], "xassist-create-call": ["contacts"] };

/** The i18n keys a panel uses: data-i18n attributes of its form and this._("...") in its script. */
function panelKeys(panel) {
  const keys = [];
  for (const [, attr] of panel.template.matchAll(/data-i18n="([^"]+)"/g)) {
    for (const part of attr.split(";")) keys.push(part.replace(/^\[[^\]]+\]/, ""));
  }
  for (const [, key] of panel.code.matchAll(/\b(?:this|node)\._\(\s*"([^"]+)"\s*[,)]/g)) keys.push(key);
  return [...new Set(keys)];
}
const lookup = (catalogue, key) => key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), catalogue);

/** A panel's literal `key: "value",` in its registerType object (what the Flow Library parses). */
const literal = (html, key) => new RegExp(`\\n    ${key}: "([^"]+)",`).exec(html)?.[1];
const LOOK = ["category", "color", "icon"];
/** Node-RED's Font Awesome icons: "font-awesome/fa-comment". */
const FONT_AWESOME = "font-awesome/fa-";
const lookOf = (type) => {
  const html = read(panelFile(type));
  return html && LOOK.map((key) => literal(html, key));
};

/** The sections of a help in the core nodes' style. */
const helpSections = (type) => (isConfigType(type) ? ["Properties", "Details"] : ["Inputs", "Outputs", "Details", "Example"]);
const HELP_TAGS = ["p", "dl", "dt", "dd", "ul", "ol", "li", "pre", "code"];

/** The rows of README's table "The nodes": node type → the first column. */
const readmeRows = () => new Map([...(read("README.md") ?? "").matchAll(/^\| ([^|]*) \| `([\w-]+)` \|/gm)].map((m) => [m[2], m[1].trim()]));

/** The example flows by file name. */
const EXAMPLES = new Map(
  fs
    .readdirSync(at("examples"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => [file, readJson(`examples/${file}`)])
);

/** The setting values the panel must refuse: beyond a number's limits, outside the choices, against the pattern. */
function refusedValues(setting) {
  if (setting.choices) return ["no such choice"];
  if (setting.pattern) return ["no slash", " x", "x y", "\u0001"].filter((v) => !new RegExp(setting.pattern).test(v)).slice(0, 1);
  const { min, max, integer } = setting;
  return [min - 1, max + 1, ...(integer ? [min + 0.5] : [])].map(String);
}
function acceptedValues(setting) {
  if (setting.choices) return [...setting.choices];
  if (setting.pattern) return [setting.value];
  return [setting.value, setting.min, setting.max, String(setting.max)];
}

/**
 * The rules for one node: step (the doc's letter), rule (its words), `doc` (the words of the doc's
 * section "What is derived or checked" that state it: a test below checks they are there),
 * applies(type), file(type) (the file to fix), needs (what must exist first: else the rule is
 * skipped, and another one fails) and check(type), which returns the problems found (a problem in
 * another file than file(type) starts with that file).
 */
const NODE_RULES = [
  // (a) the operation table entry
  {
    step: "(a)",
    rule: "the node has an entry in its operation table",
    doc: "An operation node has a table entry",
    applies: isOperation,
    file: tableFile,
    check: (type) => (TABLES.has(type) ? [] : [`no entry with type "${type}" in src/${apiOf(type)}/ (export it from ${tableFile(type)})`]),
  },
  {
    step: "(a)",
    rule: "the entry has `inputs` (each a value and its type) and `run`, or `open` for a long-lived operation",
    doc: "with `inputs` (each a value and its type) and `run` (or `open`)",
    applies: (type) => isOperation(type) && TABLES.has(type),
    file: tableFile,
    check: (type) => {
      const entry = entryOf(type);
      const problems = [];
      if (!entry.inputs || typeof entry.inputs !== "object") problems.push("no inputs (write inputs: {} when it has none)");
      for (const [name, input] of Object.entries(entry.inputs ?? {})) {
        if (typeof input?.value !== "string" || typeof input?.type !== "string")
          problems.push(`input ${name} is not { value, type } (fromMsg(...) or fixedText(...))`);
      }
      if (typeof entry.run !== "function" && typeof entry.open !== "function") problems.push("neither run nor open");
      return problems;
    },
  },
  {
    step: "(a)",
    rule: "each setting's default is one it accepts: within { min, max }, one of its choices, or matching its pattern",
    doc: "each setting's default is one it accepts",
    applies: (type) => Boolean(entryOf(type)?.settings),
    file: tableFile,
    check: (type) =>
      Object.entries(entryOf(type).settings).flatMap(([name, s]) => {
        if (s.choices) return s.choices.includes(s.value) ? [] : [`${name}: ${JSON.stringify(s.value)} is not one of its choices`];
        if (s.pattern) return new RegExp(s.pattern).test(s.value) ? [] : [`${name}: ${JSON.stringify(s.value)} does not match its pattern`];
        if (typeof s.min === "number" && typeof s.max === "number") {
          return s.min <= s.value && s.value <= s.max && (!s.integer || Number.isInteger(s.value)) ? [] : [`${name}: ${s.value} is outside ${s.min}..${s.max}`];
        }
        return [`${name} is none of { value, min, max }, { value, choices }, { value, pattern }`];
      }),
  },
  // (b) package.json
  {
    step: "(b)",
    rule: 'package.json maps the node to "nodes/<type>.js"',
    doc: "package.json maps the node to `nodes/<type>.js`",
    applies: () => true,
    file: () => "package.json",
    check: (type) =>
      NODE_FILES[type] === `nodes/${type}.js` ? [] : [`node-red.nodes["${type}"] is ${JSON.stringify(NODE_FILES[type])}, not "nodes/${type}.js"`],
  },
  {
    step: "(b)",
    rule: "npm run build made the node file",
    doc: "the build made that file",
    applies: () => true,
    file: (type) => `nodes/${type}.js`,
    check: (type) => (read(`nodes/${type}.js`) ? [] : [`nodes/${type}.js is missing: run npm run build`]),
  },
  // (c) the panel
  {
    step: "(c)",
    rule: "the panel registers the node and has its form (data-template-name)",
    doc: "The panel registers the node and has its form",
    applies: () => true,
    file: panelFile,
    check: (type) => {
      if (!read(panelFile(type))) return [`${panelFile(type)} is missing (start from nodes/cam-call-stats.html)`];
      let panel;
      try {
        panel = loadPanel(type);
      } catch (err) {
        return [`its script fails in the editor: ${err.message}`];
      }
      return [
        ...(panel.def ? [] : [`it does not call RED.nodes.registerType("${type}", ...)`]),
        ...(panel.template ? [] : [`it has no <script type="text/html" data-template-name="${type}">`]),
      ];
    },
  },
  {
    step: "(c)",
    rule: "the panel starts with the shared editor script",
    doc: "it starts with the shared editor script",
    applies: () => true,
    needs: panelOf,
    file: panelFile,
    // Another panel's copy would do in a full palette, but not when this node's set is the only one enabled.
    check: (type) =>
      read(panelFile(type)).startsWith(`${EDITOR_SCRIPT_TAG}\n<script type="text/javascript">`) ? [] : [`the first line must be ${EDITOR_SCRIPT_TAG}`],
  },
  {
    step: "(c)",
    rule: "the panel takes its properties from the table (E.defaults), never copies them",
    doc: "it takes its properties from the table with `E.defaults`",
    applies: isOperation,
    needs: panelOf,
    file: panelFile,
    check: (type) =>
      read(panelFile(type)).includes(`defaults: E.defaults("${type}"`) ? [] : [`write defaults: E.defaults("${type}", { ...the editor's rules })`],
  },
  {
    step: "(c)",
    rule: "the panel's properties are the table entry's: each input with its <name>Type, each setting, with their defaults",
    doc: "an operation node's properties are its table entry's and those `E.defaults` gives every node, with the same defaults",
    applies: (type) => isOperation(type) && TABLES.has(type),
    needs: panelOf,
    file: panelFile,
    check: (type) => {
      const { defaults } = panelOf(type).def;
      const entry = entryOf(type);
      const expected = {};
      for (const [name, input] of Object.entries(entry.inputs ?? {})) Object.assign(expected, { [name]: input.value, [`${name}Type`]: input.type });
      for (const [name, setting] of Object.entries(entry.settings ?? {})) expected[name] = setting.value;
      // What the shared script gives every operation node besides the table (name, server, ...).
      const common = Object.keys(defaults).filter((name) => !(name in expected));
      const problems = [];
      for (const [name, value] of Object.entries(expected)) {
        if (!defaults[name]) problems.push(`no property ${name} (${tableFile(type)} has it)`);
        else if (String(defaults[name].value) !== String(value))
          problems.push(`${name} defaults to ${JSON.stringify(defaults[name].value)}, the table says ${JSON.stringify(value)}`);
      }
      const shared = sharedDefaults(type);
      for (const name of common) {
        if (!shared || !(name in shared)) problems.push(`${name} is neither in the table entry nor given to every node by E.defaults: add it to the table`);
        else if (String(defaults[name].value) !== String(shared[name].value))
          problems.push(`${name} defaults to ${JSON.stringify(defaults[name].value)}, E.defaults gives ${JSON.stringify(shared[name].value)}`);
      }
      return problems;
    },
  },
  {
    step: "(c)",
    rule: "the panel is styled like the other nodes of its API: one input, its server node, labels from the catalogue",
    doc: "It has one input, its API's server node and the labels of its catalogue",
    applies: inPalette,
    needs: panelOf,
    file: panelFile,
    check: (type) => {
      const panel = panelOf(type);
      const { def } = panel;
      const problems = [];
      if (def.inputs !== 1) problems.push(`inputs is ${def.inputs}, not 1`);
      if (!(def.outputs >= 1)) problems.push(`outputs is ${def.outputs}`);
      const server = def.defaults.server ?? {};
      if (server.type !== `${apiOf(type)}-config` || server.required !== true)
        problems.push(`server must be { type: "${apiOf(type)}-config", required: true }`);
      if (def.defaults.name?.value !== "") problems.push('name must default to ""');
      const label = paletteLabelOf(type);
      const call = (fn, props) => (typeof fn === "function" ? fn.call(nodeWith(panel, props)) : fn);
      if (call(def.paletteLabel, {}) !== label) problems.push(`paletteLabel is not ${catalogueFile(type)}'s "${label}" (use look.paletteLabel)`);
      if (call(def.label, {}) !== label) problems.push("label is not the palette label when the node has no name (use look.label)");
      if (call(def.label, { name: "My node" }) !== "My node") problems.push("label is not the node's name when it has one (use look.label)");
      const icon = literal(read(panelFile(type)), "icon");
      if (icon && !icon.startsWith(FONT_AWESOME) && !fs.existsSync(at(`icons/${icon}`))) problems.push(`icons/${icon} does not exist`);
      return problems;
    },
  },
  {
    step: "(c)",
    rule: "category, color and icon are string literals, category and color the same for every node of the API, and registerType's object has no spread (the Flow Library parses them)",
    doc: "category, color and icon are string literals, category and color the same for every node of the API",
    applies: inPalette,
    needs: panelOf,
    file: panelFile,
    check: (type) => {
      const html = read(panelFile(type));
      const look = lookOf(type);
      const problems = [];
      if (!look.every(Boolean)) problems.push(`write ${LOOK.map((k) => `${k}: "..."`).join(", ")} as literals in registerType("${type}", {...})`);
      else {
        const other = nodeTypes.find((t) => t !== type && inPalette(t) && apiOf(t) === apiOf(type) && lookOf(t)?.every(Boolean));
        const shared = (l) => l.slice(0, 2).join(", ");
        if (other && shared(lookOf(other)) !== shared(look)) problems.push(`${shared(look)} differ from ${panelFile(other)}'s ${shared(lookOf(other))}`);
      }
      const definition = html.slice(html.indexOf(`RED.nodes.registerType("${type}", {`));
      if (/\n {4}\.\.\./.test(definition.slice(0, definition.indexOf("\n  });"))))
        problems.push("registerType's object has a spread (...): write each property");
      return problems;
    },
  },
  {
    step: "(c)",
    rule: "the panel uses no property name the editor keeps for itself",
    doc: "No property name is one the editor keeps for itself",
    applies: () => true,
    needs: panelOf,
    file: (type) => (TABLES.has(type) ? tableFile(type) : panelFile(type)),
    check: (type) => {
      const { def } = panelOf(type);
      const names = [...Object.keys(def.defaults ?? {}), ...Object.keys(def.credentials ?? {})];
      return names
        .filter((name) => INTERNAL_PROPERTIES.includes(name))
        .map((name) => `"${name}" is one of Node-RED's internal properties: its value would be lost`);
    },
  },
  {
    step: "(c)",
    rule: "the form has an input element for every property",
    doc: "every property has an input element",
    applies: () => true,
    needs: panelOf,
    file: panelFile,
    check: (type) => {
      const { def, template } = panelOf(type);
      const prefix = isConfigType(type) ? "node-config-input-" : "node-input-";
      const names = [...Object.keys(def.defaults ?? {}), ...Object.keys(def.credentials ?? {})];
      return names.filter((name) => !template.includes(`id="${prefix}${name}"`)).map((name) => `no element with id="${prefix}${name}"`);
    },
  },
  {
    step: "(c)",
    rule: "each typed input is a TypedInput (E.typedInput) that offers its default type",
    doc: "each typed input is a TypedInput offering its default type",
    applies: (type) => isOperation(type) && TABLES.has(type),
    needs: panelOf,
    file: panelFile,
    check: (type) => {
      const panel = panelOf(type);
      try {
        panel.def.oneditprepare?.call(nodeWith(panel));
      } catch (err) {
        return [`oneditprepare fails: ${err.message}`];
      }
      return Object.entries(entryOf(type).inputs ?? {}).flatMap(([name, input]) => {
        const opts = panel.typedInputs[`#node-input-${name}`];
        if (!opts) return [`${name} is not a TypedInput: E.typedInput("${name}", [...types]) in oneditprepare`];
        const types = (opts.types ?? []).map((t) => (typeof t === "string" ? t : t?.value));
        return [
          ...(opts.typeField === `#node-input-${name}Type` ? [] : [`${name} keeps its type in ${opts.typeField}, not #node-input-${name}Type`]),
          ...(types.includes(input.type) ? [] : [`${name} does not offer its default type ${input.type}`]),
          ...(types.every((t) => typeof t === "string" && t) ? [] : [`${name} has a type without a name`]),
        ];
      });
    },
  },
  {
    step: "(c)",
    rule: "each choice setting is a <select> with exactly the table's choices",
    doc: "a choice setting is a `<select>` with the table's choices",
    applies: (type) => Object.values(entryOf(type)?.settings ?? {}).some((s) => s.choices),
    needs: panelOf,
    file: panelFile,
    check: (type) =>
      Object.entries(entryOf(type).settings)
        .filter(([, s]) => s.choices)
        .flatMap(([name, s]) => {
          const prefix = isConfigType(type) ? "node-config-input-" : "node-input-";
          const select = new RegExp(`<select id="${prefix}${name}"[^>]*>([\\s\\S]*?)</select>`).exec(panelOf(type).template);
          if (!select) return [`${name} is not a <select id="${prefix}${name}">`];
          const options = [...select[1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
          return options.join() === s.choices.join() ? [] : [`${name} offers ${options.join(", ")}; the table: ${s.choices.join(", ")}`];
        }),
  },
  {
    step: "(c)",
    rule: "the panel accepts each setting's default and limits and refuses what the table refuses",
    doc: "the panel accepts each setting's default and limits and refuses what the table refuses",
    applies: (type) => Boolean(entryOf(type)?.settings) && Object.keys(entryOf(type).settings).length > 0,
    needs: panelOf,
    file: panelFile,
    check: (type) => {
      const panel = panelOf(type);
      return Object.entries(entryOf(type).settings).flatMap(([name, setting]) => {
        if (!panel.def.defaults[name]) return [`no property ${name}`];
        const problems = [];
        if (String(panel.def.defaults[name].value) !== String(setting.value))
          problems.push(`${name} defaults to ${panel.def.defaults[name].value}, the table: ${setting.value}`);
        for (const ok of acceptedValues(setting)) if (!isValid(panel, name, ok)) problems.push(`${name} = ${JSON.stringify(ok)} is refused`);
        for (const no of refusedValues(setting)) if (isValid(panel, name, no)) problems.push(`${name} = ${JSON.stringify(no)} is accepted`);
        return problems;
      });
    },
  },
  {
    step: "(c)",
    rule: "a new node's defaults are valid, except what the user must fill in",
    doc: "a new node's defaults are valid, except what the user must fill in",
    applies: (type) => inPalette(type) && TABLES.has(type),
    needs: panelOf,
    file: panelFile,
    check: (type) => {
      const panel = panelOf(type);
      return Object.entries(panel.def.defaults)
        .filter(([name]) => name !== "server" && !(MUST_FILL_IN[type] ?? []).includes(name))
        .filter(([name, prop]) => !isValid(panel, name, prop.value))
        .map(
          ([name, prop]) =>
            `${name}'s default ${JSON.stringify(prop.value)} is marked invalid (if the user must fill it in, add it to MUST_FILL_IN in test/unit/adding-an-api.test.js)`
        );
    },
  },
  {
    step: "(c)",
    rule: "every label is a data-i18n key of the node's catalogue, under <type>",
    doc: "every label is a `data-i18n` key under `<type>.` with its text",
    applies: () => true,
    needs: (type) => panelOf(type) && catalogueOf(type),
    file: catalogueFile,
    check: (type) => {
      const catalogue = catalogueOf(type);
      return panelKeys(panelOf(type)).flatMap((key) =>
        !key.startsWith(`${type}.`)
          ? [`${panelFile(type)}: the key ${key} is not under "${type}."`]
          : typeof lookup(catalogue, key) === "string"
            ? []
            : [`${key} (used by ${panelFile(type)}) has no text`]
      );
    },
  },
  // (d) the en-US catalogue and help
  {
    step: "(d)",
    rule: "the en-US catalogue has the node's texts under <type>, with its paletteLabel",
    doc: "The en-US catalogue has the node's object with its `paletteLabel`",
    applies: () => true,
    file: catalogueFile,
    check: (type) => {
      let catalogue;
      try {
        catalogue = catalogueOf(type);
      } catch (err) {
        return [`it is not JSON: ${err.message}`];
      }
      if (!catalogue) return [`${catalogueFile(type)} is missing`];
      if (!catalogue[type] || typeof catalogue[type] !== "object") return [`it has no "${type}" object`];
      return typeof catalogue[type].paletteLabel === "string" && catalogue[type].paletteLabel.trim() ? [] : [`"${type}".paletteLabel is missing`];
    },
  },
  {
    step: "(d)",
    rule: 'the en-US help exists with data-help-name="<type>"',
    doc: "the help has `data-help-name`",
    applies: () => true,
    file: helpFile,
    check: (type) => (read(helpFile(type))?.includes(`data-help-name="${type}"`) ? [] : [`${helpFile(type)} is missing or has no data-help-name="${type}"`]),
  },
  {
    step: "(d)",
    rule: "the help has the sections of the core nodes' help, each tag closed",
    doc: "the sections Inputs, Outputs, Details, Example",
    applies: () => true,
    needs: (type) => read(helpFile(type)),
    file: helpFile,
    check: (type) => {
      const help = read(helpFile(type));
      const found = texts.headings(help, "h3");
      const problems =
        found.join() === helpSections(type).join() ? [] : [`its <h3> sections are ${found.join(", ") || "(none)"}: write ${helpSections(type).join(", ")}`];
      for (const tag of HELP_TAGS) {
        const open = (help.match(new RegExp(`<${tag}[ >]`, "g")) || []).length;
        const close = (help.match(new RegExp(`</${tag}>`, "g")) || []).length;
        if (open !== close) problems.push(`${open} <${tag}> but ${close} </${tag}>`);
      }
      return problems;
    },
  },
  // (d) other languages
  ...texts.TRANSLATIONS.flatMap((lang) => [
    {
      step: "(d)",
      rule: `${lang}: the catalogue has en-US's keys and placeholders, every text translated`,
      doc: "the same keys and placeholders, every text translated",
      applies: () => true,
      needs: catalogueOf,
      file: (type) => catalogueFile(type, lang),
      check: (type) => {
        const tr = catalogueOf(type, lang);
        return tr ? texts.catalogueDifferences(lang, catalogueOf(type), tr) : [`${catalogueFile(type, lang)} is missing`];
      },
    },
    {
      step: "(d)",
      rule: `${lang}: the help has en-US's sections (in Node-RED's ${lang} words) and structure, translated`,
      doc: "the help with the same sections (in Node-RED's own words",
      applies: () => true,
      needs: (type) => read(helpFile(type)),
      file: (type) => helpFile(type, lang),
      check: (type) => {
        const tr = read(helpFile(type, lang));
        return tr ? texts.helpDifferences(lang, read(helpFile(type)), tr) : [`${helpFile(type, lang)} is missing`];
      },
    },
    {
      step: "(d)",
      rule: `${lang}: every key the panel uses has a text`,
      doc: "a text for every key the panel uses",
      applies: () => true,
      needs: (type) => panelOf(type) && catalogueOf(type, lang),
      file: (type) => catalogueFile(type, lang),
      check: (type) => {
        const catalogue = catalogueOf(type, lang);
        return panelKeys(panelOf(type))
          .filter((key) => typeof lookup(catalogue, key) !== "string")
          .map((key) => `${key} (used by ${panelFile(type)}) has no text`);
      },
    },
  ]),
  ...texts.LANGUAGES.map((lang) => ({
    step: "(d)",
    rule: `${lang}: the palette label fits its box, whole words on at most two lines (Japanese: one)`,
    doc: "The palette label fits in every language",
    applies: inPalette,
    needs: (type) => paletteLabelOf(type, lang),
    file: (type) => catalogueFile(type, lang),
    check: (type) => [texts.paletteMisfit(paletteLabelOf(type, lang), lang)].filter(Boolean).map((why) => `paletteLabel ${why}`),
  })),
  {
    step: "(d)",
    rule: "ja: no space between two Japanese characters (a line break in a sentence shows as one)",
    doc: "no space between two Japanese characters",
    applies: () => texts.LANGUAGES.includes("ja"),
    needs: (type) => read(catalogueFile(type, "ja")) || read(helpFile(type, "ja")),
    file: (type) => helpFile(type, "ja"),
    check: (type) => {
      const help = read(helpFile(type, "ja"));
      const catalogue = catalogueOf(type, "ja");
      return [
        ...(help ? texts.spacedJapanese(help) : []),
        ...Object.entries(catalogue ? texts.flatten(catalogue) : {}).flatMap(([key, text]) =>
          typeof text === "string" ? texts.spacedJapanese(text).map((place) => `${catalogueFile(type, "ja")}: ${key}: ${place}`) : []
        ),
      ];
    },
  },
  // (e) an example
  {
    step: "(e)",
    rule: "a flow in examples/ has the node",
    doc: "An example has the node",
    applies: () => true,
    file: () => "examples/",
    check: (type) => ([...EXAMPLES.values()].some((flow) => flow.some((node) => node.type === type)) ? [] : [`no flow in examples/ has a ${type} node`]),
  },
  // (f) a test
  {
    step: "(f)",
    rule: "the node has its test test/nodes/<type>.test.js",
    doc: "The node has its test",
    applies: () => true,
    file: testFile,
    check: (type) => (read(testFile(type))?.includes(`"${type}"`) ? [] : [`${testFile(type)} is missing or does not name "${type}"`]),
  },
  {
    step: "(f)",
    rule: "the fuzz test has a plausible value for each input and the node's success shape",
    doc: "a plausible fuzz value for each input and its success shape in `test/support/fuzz-values.js`",
    applies: runsPerMessage,
    file: () => FUZZ_FILE,
    check: (type) => {
      const likely = plausibleFor(type, { expertUserDbId: 1, glassesUserDbId: 2 });
      return [
        ...Object.keys(entryOf(type).inputs)
          .filter((name) => !likely[name])
          .map((name) => `no plausible value for the input ${name} in ${type.startsWith("xassist-") ? "plausibleXassist" : "plausible"}`),
        ...(typeof SUCCESS[type] === "function" ? [] : [`no success shape SUCCESS["${type}"] (what msg.payload holds when the call succeeded)`]),
      ];
    },
  },
  // (h) README
  {
    step: "(h)",
    rule: 'README\'s table "The nodes" has a row for the node, named as in the palette',
    doc: 'README\'s table "The nodes" has a row for the node, named as in the palette',
    applies: () => true,
    file: () => "README.md",
    check: (type) => {
      const row = readmeRows().get(type);
      if (row === undefined) return [`no row | <palette label> | \`${type}\` | <what it does> |`];
      const expected = inPalette(type) ? paletteLabelOf(type) : "(server settings)";
      return expected === undefined || row === expected ? [] : [`the row's first column is "${row}", not "${expected}"`];
    },
  },
];

/** What E.defaults gives a node of this type with no rules of its panel: the properties every node gets. */
function sharedDefaults(type) {
  try {
    return panelOf(type).editor.defaults(type, {});
  } catch {
    return undefined;
  }
}

/** The problems of one rule for one node, as one message naming the step, the rule and the file; or undefined. */
function failure(rule, type) {
  const problems = rule.check(type);
  if (problems.length === 0) return undefined;
  return `${rule.step} of ${DOC}, "${rule.rule}": fix ${rule.file(type)} (${type}):\n  ${problems.join("\n  ")}`;
}

/** Fails, naming the step, the rule and the file to fix, when there are problems. */
function noProblems(problems, step, rule, file) {
  if (problems.length) assert.fail(`${step} of ${DOC}, "${rule}": fix ${file}:\n  ${problems.join("\n  ")}`);
}

/** Every CAM API name the Chat&Messenger table calls in its text (apiName: "x", apiRequest("x"...), apiUpload("x"...)). */
function apisCalled(source) {
  const named = [];
  for (const [, value] of source.matchAll(/\bapiName(?::|\s*=)([^,;}]*)/g)) {
    // a value built by a call is the user's (cam-api)
    if (!value.includes("(")) named.push(...[...value.matchAll(/"(\w+)"/g)].map((m) => m[1]));
  }
  named.push(...[...source.matchAll(/\bapi(?:Request|Upload)\(\s*"(\w+)"/g)].map((m) => m[1]));
  return [...new Set(named)];
}

/** Every input error reason of a source file, with the catalogue that must have its text. */
function inputReasons(source) {
  const xassistAlias = /xassistInputError as inputError/.test(source);
  return [...source.matchAll(/\b(xassistInputError|inputError)\(\s*[^,()]*(?:\([^()]*\))?[^,()]*,\s*"(\w+)"/g)].map(([, fn, reason]) => ({
    reason,
    catalogue: fn === "xassistInputError" || xassistAlias ? "xassist-config" : "cam-config",
  }));
}

const sourceFiles = (dir) =>
  fs.existsSync(at(dir))
    ? fs
        .readdirSync(at(dir), { recursive: true, withFileTypes: true })
        .flatMap((e) => (e.isFile() && e.name.endsWith(".ts") ? [path.relative(ROOT, path.join(e.parentPath ?? e.path, e.name))] : []))
    : [];

/** What an example's comment must say, for both audiences: its nodes, what to click, where to look, how to switch. */
function examplePhrases(flow) {
  const comment = flow.find((n) => n.type === "comment");
  if (!comment) return { problems: ["no comment node that explains it"] };
  const { name = "", info = "" } = comment;
  const problems = [];
  if (!/practice server/.test(name)) problems.push(`the comment's label "${name}" does not say "practice server"`);
  const says = (text, why) => info.includes(text) || problems.push(`the comment does not name ${why}: "${text}"`);
  // Every node of the flow by its name, every package node also by its palette name.
  for (const node of flow.filter((n) => n.name && !["comment", "tab"].includes(n.type) && !n.type.endsWith("-config"))) says(`**${node.name}**`, "a node");
  for (const type of new Set(flow.map((n) => n.type).filter((t) => nodeTypes.includes(t) && inPalette(t)))) says(`*${paletteLabelOf(type)}*`, "a palette node");
  const tryMe = flow.find((n) => n.type === "inject" && / \(try me\)$/.test(n.name));
  if (tryMe) says(`the square button on the left of **${tryMe.name}**`, "what to click");
  says("**Debug** sidebar", "where the answer is");
  says("**Practice** tab of the sidebar", "the live view");
  says("**Server: My server**", "how to switch to one's own server");
  says(flow.some((n) => n.type === "xassist-config") ? "user name and password" : "API token", "what one's own server needs");
  const repoOnly = /npm start|npm run|127\.0\.0\.1|practice server page|already done/i.exec(info);
  if (repoOnly) problems.push(`the comment names what only the repository has: "${repoOnly[0]}"`);
  return { problems };
}

/** The rules of one example file. */
function exampleProblems(file) {
  const text = read(`examples/${file}`);
  const flow = EXAMPLES.get(file);
  const problems = [];
  if (flow.filter((n) => n.type === "comment").length !== 1) problems.push("one comment node that explains it");
  if (!flow.some((n) => n.type.endsWith("-config"))) problems.push("its server node");
  if (!flow.some((n) => n.type === "inject" && / \(try me\)$/.test(n.name))) problems.push('an inject node "... (try me)" to click');
  const secret = /"credentials"|apiToken|"password"\s*:\s*"[^"]|"username"|127\.0\.0\.1|localhost|"serverURL"/.exec(text);
  if (secret) problems.push(`no URL, login or credentials (it has ${secret[0]})`);
  for (const server of flow.filter((n) => n.type.endsWith("-config")))
    if (server.server !== "practice") problems.push(`${server.type} is the practice server (server: "practice")`);
  problems.push(...examplePhrases(flow).problems);
  return problems;
}

describe(`adding an API: the rules of ${DOC}`, function () {
  for (const type of nodeTypes) {
    describe(type, function () {
      for (const rule of NODE_RULES.filter((r) => r.applies(type))) {
        it(`${rule.step} ${rule.rule}`, function () {
          if (rule.needs && !rule.needs(type)) this.skip(); // what it needs is missing: another rule says so
          const message = failure(rule, type);
          if (message) assert.fail(message);
        });
      }
    });
  }

  describe("the whole package", function () {
    it("(a) every operation table entry is a node of package.json", function () {
      const orphans = [...TABLES].filter(([type]) => !NODE_FILES[type]).map(([type, { source }]) => `${type} (${source})`);
      noProblems(orphans, "(b)", "package.json maps the node to nodes/<type>.js", "package.json (node-red.nodes)");
    });

    it("(a) every Chat&Messenger API the table calls has its facts in src/cam/cam-apis.ts", function () {
      const { CAM_APIS } = require("../../nodes/cam/cam-apis");
      const without = apisCalled(read("src/cam/cam-operations.ts")).filter((name) => !Object.hasOwn(CAM_APIS, name));
      noProblems(
        without.map((name) => `${name}: say what it reads, whether it only reads and what its success answer is`),
        "(a)",
        "every Chat&Messenger API the table calls has its facts in CAM_APIS",
        "src/cam/cam-apis.ts"
      );
    });

    it("(a) every input error's reason has its text under errors.input of its API's config catalogue", function () {
      const missing = [];
      for (const file of [...sourceFiles("src/core"), ...API_FOLDERS.flatMap((api) => sourceFiles(`src/${api}`))]) {
        for (const { reason, catalogue } of inputReasons(read(file))) {
          if (typeof catalogueOf(catalogue)?.errors?.input?.[reason] !== "string")
            missing.push(`${catalogueFile(catalogue)}: errors.input.${reason} (used in ${file})`);
        }
      }
      noProblems(
        [...new Set(missing)],
        "(a)",
        "every reason of an input error has its text under errors.input of its API's config catalogue",
        "the catalogues (and their translations)"
      );
    });

    it("(d) every en-US catalogue and help belongs to a node of package.json", function () {
      const orphans = fs
        .readdirSync(at("nodes/locales/en-US"))
        .filter((f) => !nodeTypes.includes(f.replace(/\.(json|html)$/, "")))
        .map((f) => `nodes/locales/en-US/${f}`);
      noProblems(orphans, "(d)", "every en-US catalogue and help belongs to a node of package.json", "nodes/locales/en-US/ or package.json");
    });

    for (const lang of texts.TRANSLATIONS) {
      it(`(d) ${lang} has exactly the files of en-US`, function () {
        const list = (l) =>
          fs
            .readdirSync(at(`nodes/locales/${l}`))
            .filter((f) => /\.(json|html)$/.test(f))
            .sort();
        const [en, tr] = [list("en-US"), list(lang)];
        const problems = [
          ...en.filter((f) => !tr.includes(f)).map((f) => `missing ${f}`),
          ...tr.filter((f) => !en.includes(f)).map((f) => `not in en-US: ${f}`),
        ];
        noProblems(problems, "(d)", "every other language has exactly the files of en-US", `nodes/locales/${lang}/`);
      });

      it(`(d) ${lang} is translated, not copied from en-US`, function () {
        let same = 0;
        let total = 0;
        for (const type of nodeTypes) {
          const [en, tr] = [catalogueOf(type), catalogueOf(type, lang)];
          if (!en || !tr) continue;
          const [enTexts, trTexts] = [texts.flatten(en), texts.flatten(tr)];
          for (const key of Object.keys(enTexts)) {
            total++;
            if (trTexts[key] === enTexts[key]) same++;
          }
        }
        // URLs, examples and words such as "Name" or "Server" may rightly stay the same
        noProblems(same / total < 0.2 ? [] : [`${same} of ${total} texts are en-US's`], "(d)", "every text translated", `nodes/locales/${lang}/`);
      });
    }

    for (const file of EXAMPLES.keys()) {
      it(`(e) examples/${file}: a comment that explains it for both audiences, its practice server node, an inject to try it`, function () {
        const problems = exampleProblems(file);
        noProblems(problems, "(e)", "each example has one comment, its practice server node and an inject", `examples/${file}`);
      });
    }

    it("(f) the fuzz test lets the nodes call their own paths only, an API name with digits too", function () {
      const { XASSIST_PATHS } = require("../../nodes/xassist/xassist-client");
      for (const good of ["/getFilteredCallLogsV2", "/sendMessage", ...Object.values(XASSIST_PATHS)])
        assert.ok(ownPath(good), `${FUZZ_FILE}: ${good} is refused`);
      for (const bad of ["/../steal", "/_practice/reset", "/rtc/unknown", "/2fa", "//evil.example/x"])
        assert.ok(!ownPath(bad), `${FUZZ_FILE}: ${bad} is accepted`);
    });
  });

  describe("the rules themselves", function () {
    it('the doc\'s section "What is derived or checked" states every rule this test checks', function () {
      const doc = read(DOC);
      assert.ok(doc, `${DOC} is missing`);
      const section = /\n## What is derived or checked\n([\s\S]*?)(?=\n## |$)/.exec(doc)?.[1].replace(/\s+/g, " ") ?? "";
      const unstated = [...new Set(NODE_RULES.filter((r) => !section.includes(r.doc)).map((r) => `${r.step} ${r.rule}: "${r.doc}"`))];
      assert.deepEqual(unstated, [], `${DOC}'s section "What is derived or checked" does not say these words: reword it or the rule's doc in this file`);
    });

    it("each rule fails for a node that has none of its steps, naming the step and the file", function () {
      const type = "cam-no-such-node";
      const failures = NODE_RULES.filter((r) => r.applies(type) && (!r.needs || r.needs(type)))
        .map((r) => failure(r, type))
        .filter(Boolean);
      for (const step of ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(h)"])
        assert.ok(
          failures.some((m) => m.startsWith(`${step} of ${DOC}`)),
          `no failure names step ${step}`
        );
      assert.ok(failures.some((m) => m.includes(`fix nodes/${type}.html`)));
      assert.ok(failures.some((m) => m.includes(`fix nodes/locales/en-US/${type}.json`)));
    });

    it("finds the APIs a table calls and the reasons of its input errors", function () {
      assert.deepEqual(
        apisCalled('call({ apiName: "getNothing" }); const apiName = x ? "sendMessage" : "getMore"; const apiName = text("apiName"); apiRequest("getV2", {})'),
        ["getNothing", "sendMessage", "getMore", "getV2"]
      );
      assert.deepEqual(inputReasons('throw inputError(field("users"), "noRecipients"); inputError(`${f}[${i}]`, "notCell", { a })'), [
        { reason: "noRecipients", catalogue: "cam-config" },
        { reason: "notCell", catalogue: "cam-config" },
      ]);
      assert.deepEqual(inputReasons('import { xassistInputError as inputError } from "./x"; inputError("callId", "noCallId")'), [
        { reason: "noCallId", catalogue: "xassist-config" },
      ]);
    });

    it("the Japanese check sees what Chromium shows as a space, and nothing else", function () {
      const spaced = texts.spacedJapanese;
      // a line break inside a sentence, also next to an inline tag, and a plain space around punctuation
      assert.equal(spaced("<p>この設定を\n    選択します。</p>").length, 1);
      assert.equal(spaced("<p>この設定を\n    <b>選択</b>します。</p>").length, 1);
      assert.equal(spaced("<p>ノードを <i>通話ログ</i> ノードに</p>").length, 2);
      assert.equal(spaced("会議 、ルーム").length, 1);
      assert.equal(spaced("（会議） 。").length, 1);
      assert.equal(spaced("会議&nbsp;ルーム").length, 1);
      // not a space on screen: between paragraphs or list items, a real line break in <pre>, next to Latin text
      assert.deepEqual(spaced("<p>終わり。</p>\n  <p>始まり。</p>"), []);
      assert.deepEqual(spaced("<li>一つ目</li>\n<li>二つ目</li>"), []);
      assert.deepEqual(spaced("<pre>一行目\n二行目</pre>"), []);
      assert.deepEqual(spaced("通話 ID を\n  <code>msg.callId</code> に"), []);
    });

    it("the palette estimate breaks labels where Chromium did (test/editor/palette-labels.test.js screenshots)", function () {
      // One line in Chromium's palette; two lines, broken between words; a word cut; too many lines.
      for (const label of ["update users", "modifier salon", "메시지 보내기", "クイック会議"]) assert.deepEqual(texts.paletteLines(label), [label]);
      assert.deepEqual(texts.paletteLines("send message"), ["send", "message"]);
      assert.deepEqual(texts.paletteLines("Anruf erstellen"), ["Anruf", "erstellen"]);
      assert.deepEqual(texts.paletteLines("réservations de salles"), ["réservations", "de salles"]);
      assert.match(texts.paletteMisfit("メッセージ送信", "ja"), /cut/);
      assert.match(texts.paletteMisfit("Benutzerverwaltungsexport", "de"), /cut/);
      assert.match(texts.paletteMisfit("send a message to a room now", "en-US"), /3 lines/);
    });
  });
});
