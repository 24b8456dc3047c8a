"use strict";
// Every node's editor panel in Chromium against a real Node-RED with this package: the palette
// entry, the dialog (no console errors), every field set, saved and reopened, invalid values
// marked, the help. Screenshots go to .artifacts/screenshots/.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { closeSharedEnvironment, useSharedEditor } = require("../support/browser");
const { operationTables } = require("../support/node-types");

const LOCALE = path.join(__dirname, "..", "..", "nodes", "locales", "en-US");
const nodeTypes = Object.keys(require("../../package.json")["node-red"].nodes).filter((t) => !t.endsWith("-config"));
const family = (type) => type.split("-")[0];
const CATEGORY = { cam: "Chat&Messenger", xassist: "xAssist" };

const catalogue = (type) => JSON.parse(fs.readFileSync(path.join(LOCALE, `${type}.json`), "utf8"))[type];

/** The help's first paragraph as plain text. */
function helpIntro(type) {
  const html = fs.readFileSync(path.join(LOCALE, `${type}.html`), "utf8");
  const first = /<p>([\s\S]*?)<\/p>/.exec(html)[1];
  const entities = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };
  return first
    .replace(/<[^>]+>/g, "")
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => entities[e])
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Text formats. What a text input must look like is checked by its operation's run() (with the
 * helpers of src/core/validate.ts and src/core/dates.ts) and by its panel's own validator (E.isEmail,
 * E.isExpiry, E.isPeriod...); the table entry says only the input's default, so nothing can derive a
 * valid or an invalid text of a format: both are written here, for the inputs that have a format.
 * Text fields without one get a generic value, and their invalid values are derived (invalidDialogs).
 */
const VALID_TEXT = {
  "cam-send-message": { recipients: "taro@example.com, hanako@example.com", room: "general" },
  "cam-create-quick-call": { expires: "2h" },
  "cam-room-status": { period: "201908" },
  "cam-api": { apiName: "getConferenceMaster" },
  "xassist-create-call": { contacts: "expert1@example.com", creatorUser: "10", planned: "2030-01-15T10:00" },
};

/**
 * Texts of a format that the panel must mark in red, per node: one dialog per entry, with every
 * value in it set ([type, value] for typed inputs) and marked; "given" holds choices made first.
 */
const INVALID_TEXT = {
  "cam-send-message": [{ recipients: ["str", "not-an-email"] }, { given: { sendTo: "room" }, room: ["str", " "] }],
  "cam-create-quick-call": [{ expires: ["str", "soon"] }, { expires: ["num", "1700000000"] }],
  "cam-room-status": [{ period: ["str", "2019-13"] }],
  "cam-api": [{ apiName: ["str", "send message"] }],
  "xassist-create-call": [{ creatorUser: ["str", "expert1"], planned: ["str", "next tuesday"] }],
};

/** Values Node-RED itself refuses for a typed input's type: a property path with an empty step, JSON that does not parse. */
const REFUSED = { msg: "payload..x", flow: "x..y", global: "x..y", json: "[{" };

/** What a setting of the table refuses: a number outside its range or not whole, a text its pattern does not match. */
function refusedSettings(setting) {
  if ("min" in setting) return [String(setting.min - 1), String(setting.max + 1), ...(setting.integer ? [String(setting.min + 0.5)] : [])];
  if ("pattern" in setting) return [" ", "a b", "\\"].filter((text) => !setting.pattern.test(text)).slice(0, 1);
  return []; // choices: the dialog offers only them
}

/**
 * The dialogs that must mark values in red, derived from the node's table entry and its dialog: every
 * setting's refused values (refusedSettings) and, for every typed input the dialog shows, a value its
 * type refuses (REFUSED) and, if the panel requires it, blank text; dialog n sets each field's n-th
 * such value. Then the hand-written INVALID_TEXT dialogs. The first dialog also leaves the server empty.
 */
function invalidDialogs(type, fields, required) {
  const { settings = {} } = operationTables().get(type)?.entry ?? {};
  const perField = [];
  for (const f of fields.filter((field) => field.shown)) {
    if (settings[f.name]) perField.push([f.name, refusedSettings(settings[f.name])]);
    if (f.kind !== "typed") continue;
    const offered = f.types.map((t) => t.value);
    const values = [];
    const expression = ["msg", "flow", "global"].find((t) => offered.includes(t));
    if (expression) values.push([expression, REFUSED[expression]]);
    if (offered.includes("json")) values.push(["json", REFUSED.json]);
    if (required.includes(f.name) && offered.includes("str")) values.push(["str", ""]);
    perField.push([f.name, values]);
  }
  const count = Math.max(1, ...perField.map(([, values]) => values.length));
  const derived = Array.from({ length: count }, (_, n) =>
    Object.fromEntries(perField.filter(([, values]) => values[n] !== undefined).map(([name, values]) => [name, values[n]]))
  );
  return [...derived, ...(INVALID_TEXT[type] ?? [])];
}

const CONTEXT_TYPES = ["msg", "flow", "global", "env"];
const contextValue = (type, name) => ({ msg: `data.${name}`, flow: `flow_${name}`, global: `global_${name}`, env: `ENV_${name.toUpperCase()}` })[type];

/** A valid value of a typed input's own type. */
function ownTypeValue(nodeType, field, type) {
  const spec = field.types.find((t) => t.value === type) || {};
  if (spec.options && spec.options.length) return spec.options.find((o) => o !== field.value) || spec.options[0];
  if (type === "str") return (VALID_TEXT[nodeType] || {})[field.name] ?? `Edited ${field.name}`;
  if (CONTEXT_TYPES.includes(type)) return contextValue(type, field.name);
  return { json: '{"edited":true}', jsonata: "$string(payload)", num: "42", bool: "true" }[type];
}

/**
 * What to set each field to: round 1 switches every typed input to another type; round 2 puts it
 * back on its first type with a new value. Returns [{field, set: [type, value] | value}].
 */
function plan(nodeType, fields, round, configId) {
  return fields
    .filter((f) => f.kind !== "hidden")
    .map((f) => {
      if (f.name === "server") return { field: f, set: configId };
      if (f.kind === "typed") {
        const other = f.types.map((t) => t.value).find((t) => CONTEXT_TYPES.includes(t) && t !== f.type);
        const type = round === 1 && other ? other : f.type;
        return { field: f, set: [type, round === 1 && other ? contextValue(other, f.name) : ownTypeValue(nodeType, f, type)] };
      }
      if (f.kind === "select") return { field: f, set: round === 1 ? (f.options.find((o) => o !== f.value) ?? f.value) : f.value };
      if (f.kind === "checkbox") return { field: f, set: round === 1 ? !f.value : f.value };
      if (f.name === "name") return { field: f, set: round === 1 ? `My ${nodeType}` : `Renamed ${nodeType}` };
      if (/^\d+(\.\d+)?$/.test(f.value)) return { field: f, set: String(round === 1 ? Math.max(1, Math.floor(+f.value / 2)) : +f.value) };
      return { field: f, set: (VALID_TEXT[nodeType] || {})[f.name] ?? `Edited ${f.name}` };
    });
}

after(closeSharedEnvironment); // a root hook: once every editor test file is done

describe("editor: every node's panel in Chromium", function () {
  this.timeout(120000);
  let env;
  let editor;

  const bed = useSharedEditor();
  before(() => ({ env, editor } = bed));

  async function set(name, value) {
    if (Array.isArray(value)) await editor.setTyped(name, value[0], value[1]);
    else await editor.setField(name, value);
  }

  async function read(field) {
    return field.kind === "typed" ? editor.readTyped(field.name) : editor.readField(field.name);
  }

  /**
   * In the open dialog: sets every field per the plan that the dialog shows at that moment (earlier
   * choices may hide some), each without a red mark; Done; checks what the node saved. Returns the
   * steps taken.
   */
  async function applyPlan(id, steps) {
    const taken = [];
    for (const step of steps) {
      if (!(await editor.shown(step.field.name))) continue;
      await set(step.field.name, step.set);
      assert.equal(await editor.hasError(step.field.name, undefined, false), false, `${step.field.name} = ${JSON.stringify(step.set)} is marked invalid`);
      taken.push(step);
    }
    await editor.done();
    const state = await editor.nodeState(id);
    for (const { field, set: value } of taken) {
      // A typed input of one type (the output property) keeps no type field: only its value is saved.
      if (field.kind === "typed" && !field.typeField) assert.deepEqual([field.type, state.props[field.name]], value, `saved ${field.name}`);
      else if (field.kind === "typed") assert.deepEqual([state.props[field.typeField], state.props[field.name]], value, `saved ${field.name}`);
      else assert.equal(field.kind === "checkbox" ? state.props[field.name] : String(state.props[field.name]), value, `saved ${field.name}`);
    }
    assert.equal(state.valid, true, `valid after saving: ${state.validationErrors.join("; ")}`);
    assert.equal(await editor.invalidMarker(id).isVisible(), false, "no invalid marker");
    return taken;
  }

  /** Reopens the dialog and checks that it shows what was saved; leaves it open. */
  async function expectKept(id, steps) {
    await editor.edit(id);
    for (const { field, set: value } of steps) assert.deepEqual(await read(field), value, `${field.name} kept after reopening`);
  }

  /** The palette section that holds a node type. */
  const paletteCategory = (type) =>
    editor.page.locator(".red-ui-palette-category", { has: editor.page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`) });

  for (const [prefix, category] of Object.entries(CATEGORY)) {
    it(`shows the palette section "${category}" with its name as written`, async () => {
      const group = paletteCategory(nodeTypes.find((t) => family(t) === prefix));
      await group.scrollIntoViewIfNeeded();
      await editor.screenshot(`palette-${prefix}`, group);
      // Node-RED shows "Chat Messenger" for "Chat&Messenger" unless a catalogue names the section
      assert.equal(await group.locator(".red-ui-palette-header span").first().innerText(), category);
    });
  }

  for (const type of nodeTypes) {
    const category = CATEGORY[family(type)];

    describe(type, () => {
      it(`is in the palette under ${category} with its icon and label`, async () => {
        const node = editor.paletteNode(type);
        await node.scrollIntoViewIfNeeded();
        const group = paletteCategory(type);
        assert.equal(await group.evaluate((e) => $(e).data("category")), category);
        assert.equal(await group.locator(`.red-ui-palette-node[data-palette-type="${type}"]`).count(), 1);
        assert.equal((await node.locator(".red-ui-palette-label").innerText()).replace(/\s+/g, " ").trim(), catalogue(type).paletteLabel);
        // One icon per kind of action: Font Awesome's, or an SVG of the package that loads.
        const declared = await editor.page.evaluate((t) => RED.nodes.getType(t).icon, type);
        if (declared.startsWith("font-awesome/")) {
          const glyph = node.locator(`.red-ui-palette-icon-fa.${declared.slice("font-awesome/".length)}`);
          assert.equal(await glyph.count(), 1, `the palette shows ${declared}`);
        } else {
          const icon = await node.locator(".red-ui-palette-icon").evaluate((e) => getComputedStyle(e).backgroundImage);
          assert.match(icon, new RegExp(`/${declared.replace(".", "\\.")}"?\\)$`));
          const loaded = await editor.page.evaluate(
            async (u) => {
              const res = await fetch(u);
              return [res.status, res.headers.get("content-type")];
            },
            /url\("?([^")]+)"?\)/.exec(icon)[1]
          );
          assert.deepEqual([loaded[0], /svg/.test(loaded[1])], [200, true], `icon ${icon} loads as SVG`);
        }
        assert.deepEqual(editor.errors.take(), []);
      });

      it("opens without errors; every field is set, saved and kept (type switches included)", async () => {
        const id = await editor.drop(type);
        const configId = env.configs[`${family(type)}-config`];
        await editor.edit(id);
        await editor.screenshot(type, editor.tray());
        assert.deepEqual(editor.errors.take(), [], "no errors while the dialog opens");
        const fields = await editor.fields(id);
        assert.deepEqual(
          fields.filter((f) => f.kind === "missing").map((f) => f.name),
          [],
          "every property has a field in the dialog"
        );

        const round1 = await applyPlan(id, plan(type, fields, 1, configId));
        await expectKept(id, round1);
        const round2 = await applyPlan(id, plan(type, await editor.fields(id), 2, configId));
        await expectKept(id, round2);
        await editor.cancel();
        const set = new Set([...round1, ...round2].map((s) => s.field.name));
        assert.deepEqual(
          fields.filter((f) => f.kind !== "hidden" && !set.has(f.name)).map((f) => f.name),
          [],
          "every field was set"
        );
        assert.deepEqual(editor.errors.take(), []);
      });

      it("marks invalid values in red and the node as invalid, until fixed", async () => {
        const id = await editor.drop(type);
        const configId = env.configs[`${family(type)}-config`];
        await editor.edit(id);
        const valid = plan(type, await editor.fields(id), 2, configId);
        const validValue = Object.fromEntries(valid.map((s) => [s.field.name, s.set]));
        const fixAll = async (names) => {
          for (const name of names) if (await editor.shown(name)) await set(name, validValue[name]);
        };
        const required = await editor.page.evaluate(
          (t) => Object.keys(RED.nodes.getType(t).defaults).filter((name) => RED.nodes.getType(t).defaults[name].required),
          type
        );
        // each dialog first fixes what the one before broke (the first one: everything)
        let broken = valid.map((s) => s.field.name);
        for (const [n, { given = {}, ...bad }] of invalidDialogs(type, await editor.fields(id), required).entries()) {
          await fixAll(broken);
          if (n === 0) bad.server = "_ADD_";
          for (const [name, value] of Object.entries({ ...given, ...bad })) await set(name, value);
          for (const [name, value] of Object.entries(bad))
            assert.equal(await editor.hasError(name, undefined, true), true, `${name} = ${JSON.stringify(value)} is marked in red`);
          await editor.screenshot(`${type}-invalid${n ? `-${n + 1}` : ""}`, editor.tray());
          await editor.done();
          const state = await editor.nodeState(id);
          assert.equal(state.valid, false, `the node is invalid with ${JSON.stringify(bad)}`);
          await editor.invalidMarker(id).waitFor();
          await editor.edit(id);
          broken = Object.keys({ ...given, ...bad });
        }
        await fixAll(broken);
        await editor.done();
        const state = await editor.nodeState(id);
        assert.equal(state.valid, true, `valid again once fixed: ${state.validationErrors.join("; ")}`);
        assert.equal(await editor.invalidMarker(id).isVisible(), false, "the invalid marker is gone");
        assert.deepEqual(editor.errors.take(), []);
      });

      it("shows its help in the help sidebar", async () => {
        const id = await editor.drop(type);
        await editor.select(id);
        await editor.showHelp();
        const help = editor.page.locator(".red-ui-sidebar-help-stack", { hasText: helpIntro(type) });
        await help.waitFor();
        for (const section of ["Inputs", "Outputs", "Details"]) await help.locator("h3", { hasText: section }).first().waitFor();
        await editor.screenshot(`${type}-help`, editor.page.locator("#red-ui-sidebar"));
        assert.deepEqual(editor.errors.take(), []);
      });
    });
  }
});
