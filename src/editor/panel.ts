// What the panels share: the look of each API's nodes, their properties from the tables, typed inputs.
import { inRange, isMegabytes, isProxyURL, isServerURL } from "./checks";
import { FACTS, nodeFacts, regExp, type Setting } from "./facts";
import { PRACTICE_TAB } from "./practice-view";
import { templateProblem } from "../shared/message-text";

export const CONTEXT_TYPES = ["msg", "flow", "global", "env"];

const apiOf = (type: string) => type.split("-")[0];

/**
 * The palette's name and the node's label. Category, colour and icon are written in each panel as
 * literals: the Flow Library reads them from the panel's source (test/unit/adding-an-api.test.js
 * checks that the nodes of one API agree).
 */
export function nodeLook(type: string) {
  return {
    paletteLabel(this: EditedNode) {
      return this._(`${type}.paletteLabel`);
    },
    label(this: EditedNode) {
      return this.name || this._(`${type}.paletteLabel`);
    },
    labelStyle(this: EditedNode) {
      return this.name ? "node_label_italic" : "";
    },
  };
}

/**
 * The node's properties with the defaults of its table: name, the server, each setting, each
 * typed input with its type. `rules` adds to them (validate, required) and adds properties the table
 * does not have, which need a value.
 */
export function nodeDefaults(type: string, rules: Record<string, Partial<NodeProperty>> = {}): Record<string, NodeProperty> {
  const facts = nodeFacts(type);
  const props: Record<string, NodeProperty> = { name: { value: "" } };
  if (!type.endsWith("-config")) {
    props.server = { value: "", type: `${apiOf(type)}-config`, required: true };
    props.outputProperty = { value: FACTS.defaultOutput, validate: isOutputProperty };
  }
  // Settings first: a choice such as sendTo decides which inputs the dialog shows.
  for (const [name, setting] of Object.entries(facts.settings)) {
    props[name] = { value: setting.value, validate: settingCheck(setting), ...rules[name] };
  }
  for (const [name, input] of Object.entries(facts.inputs)) {
    props[name] = { value: input.value, ...rules[name] };
    props[`${name}Type`] = { value: input.type };
  }
  for (const [name, rule] of Object.entries(rules)) {
    if (props[name]) continue;
    if (!("value" in rule)) throw new Error(`${type}: ${name} is not in its table, so it needs a value`);
    props[name] = rule as NodeProperty;
  }
  return props;
}

/** undefined: missing from an imported flow, where the runtime uses its default. */
function settingCheck(setting: Setting): Validator {
  if ("choices" in setting) return (value) => value === undefined || setting.choices.includes(String(value));
  if ("pattern" in setting) return (value) => value === undefined || value === "" || regExp(setting.pattern).test(String(value));
  return (value) => inRange(value, setting);
}

/** The server choice that means the user's own server (the runtime takes anything but the practice server as that). */
const OWN_SERVER = "own";

/**
 * Whether a server node uses the built-in practice server: as its open dialog shows it, else as
 * saved. A node saved before the choice existed has none: the user's own server.
 */
function onPracticeServer(node: EditedNode): boolean {
  const select = $("#node-config-input-server");
  const open = select.length > 0 && RED.editor.getEditStack().slice(-1)[0] === node;
  return (open ? select.val() : node.server) === FACTS.practiceServer;
}

/** A credential the user's own server needs; the practice server needs none. */
export function neededForOwnServer(this: EditedNode, value: unknown): boolean {
  return onPracticeServer(this) || (value !== undefined && value !== "");
}

/**
 * A server node's properties: the server choice (new nodes: the practice server), the table's
 * settings and `rules`, address, response limit, proxy and TLS checked as the runtime does. On the
 * practice server the runtime ignores all of them, so every check passes there.
 */
export function serverDefaults(type: string, rules: Record<string, Partial<NodeProperty>> = {}): Record<string, NodeProperty> {
  const props = nodeDefaults(type, { server: { value: FACTS.practiceServer }, ...rules, ...connectionDefaults(type) });
  for (const prop of Object.values(props)) {
    const check = prop.validate;
    if (check) {
      prop.validate = function (value, options) {
        return onPracticeServer(this) || check.call(this, value, options);
      };
    }
  }
  return props;
}

function connectionDefaults(type: string): Record<string, NodeProperty> {
  const message = (check: (value: unknown) => boolean, reason: string): Validator =>
    function (value, _options) {
      // (value, options): the editor reads a returned text as "invalid" only from two-parameter validators
      return check(value) || this._(`${type}.validation.${reason}`);
    };
  return {
    serverURL: { value: "", validate: message(isServerURL, "serverURL") },
    maxResponse: { value: "", validate: message(isMegabytes, "maxResponse") },
    proxy: { value: "", validate: message(isProxyURL, "proxy") },
    ca: { value: "" },
    insecure: { value: false },
    skipHostCheck: { value: false },
  };
}

/** A server node's label: its name, else which practice server, else its address, else `api`. */
export function serverLabel(type: string, api: string) {
  return function (this: EditedNode): string {
    return this.name || (this.server === FACTS.practiceServer ? this._(`${type}.practice.label`) : String(this.serverURL || "") || api);
  };
}

/**
 * A server dialog's first row, the server choice: the practice server hides every row of the
 * user's own server (#node-config-<api>-own) and shows a line about it with a button that opens
 * the live view.
 */
export function prepareServerChoice(node: EditedNode, type: string): void {
  const api = apiOf(type);
  const select = $("#node-config-input-server");
  for (const [value, key] of [
    [FACTS.practiceServer, "practice"],
    [OWN_SERVER, "own"],
  ]) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = node._(`${type}.server.${key}`);
    select.append(option);
  }
  select
    .val(node.server === FACTS.practiceServer ? FACTS.practiceServer : OWN_SERVER)
    .on("change", function () {
      const practice = $(this).val() === FACTS.practiceServer;
      $(`#node-config-${api}-own`).toggle(!practice);
      $(`#node-config-${api}-practice`).toggle(practice);
    })
    .trigger("change");
  $(`#node-config-${api}-practice-open`).on("click", (event) => {
    event.preventDefault();
    RED.sidebar.show(PRACTICE_TAB);
  });
}

/** A server node's dialog: the advanced section folded, the host-name choice only with relaxed certificate checks. */
export function prepareConnection(type: string): void {
  const api = apiOf(type);
  const advanced = $(`#node-config-${api}-advanced`).toggle(false);
  $(`#node-config-${api}-advanced-toggle`).on("click", function (event) {
    event.preventDefault();
    advanced.toggle();
    $(this).find("i").toggleClass("fa-caret-right fa-caret-down");
  });
  $("#node-config-input-insecure")
    .on("change", function () {
      $(`#node-config-${api}-skipHostCheck-row`).toggle($(this).is(":checked"));
    })
    .trigger("change");
}

/** What the editor shows, and posts, in place of a saved secret. */
const SAVED_SECRET = "__PWRD__";

/**
 * A server dialog's "Test connection" button: posts the connection fields both server nodes share,
 * the API's own `fields` and the typed `secret` (never the placeholder of a saved one: the runtime
 * then uses the saved one, only for the deployed destination) to `<type>/test`, and shows the answer.
 */
export function prepareConnectionTest(node: EditedNode, type: string, secret: string, fields: string[], flags: string[] = []): void {
  const api = apiOf(type);
  const input = (name: string) => $(`#node-config-input-${name}`);
  $(`#node-config-${api}-test`).on("click", function (event) {
    event.preventDefault();
    const result = $(`#node-config-${api}-test-result`)
      .removeClass(`${api}-ok ${api}-failed`)
      .text(node._(`${type}.test.running`));
    const body: Record<string, unknown> = { id: node.id };
    for (const name of ["serverURL", "timeout", "proxy", "proxyUsername", "proxyPassword", "ca", ...fields]) body[name] = input(name).val();
    for (const name of ["insecure", "skipHostCheck", ...flags]) body[name] = input(name).is(":checked");
    const typed = input(secret).val();
    body[secret] = typed && typed !== SAVED_SECRET ? typed : undefined;
    const failed = (code: unknown, message: unknown) =>
      result.addClass(`${api}-failed`).text(node._(`${type}.test.failed`, { code, message: withLabel(String(message)) }));
    $.ajax({ url: `${type}/test`, type: "POST", contentType: "application/json", data: JSON.stringify(body) })
      .done((answer) => (answer.ok ? result.addClass(`${api}-ok`).text(node._(`${type}.test.ok`, answer)) : failed(answer.code, answer.message)))
      .fail((xhr) => failed(xhr.status, xhr.statusText));
  });
}

/** The Output property: a message property (the runtime's rule); blank or missing means the default. */
function isOutputProperty(value: unknown): boolean {
  return value === undefined || value === "" || RED.utils.validatePropertyExpression(String(value));
}

/**
 * What every operation panel's dialog does first: the Output row (where the node puts its result,
 * msg. only), and for a new node a server node rather than "none": the one the API's other nodes on
 * this flow use when they agree, else the first of the list.
 */
export function prepareOperation(node: EditedNode): void {
  $("#node-input-outputProperty").typedInput({ types: ["msg"] });
  const select = $("#node-input-server")[0] as HTMLSelectElement | undefined;
  if (node.server || !select) return;
  const listed = Array.from(select.options)
    .map((option) => option.value)
    .filter((value) => value && value !== NEW_CONFIG_NODE);
  const used = new Set<unknown>();
  RED.nodes.eachNode((other) => {
    if (other !== node && other.z === node.z && apiOf(String(other.type)) === apiOf(String(node.type)) && other.server) used.add(other.server);
  });
  const [shared] = used;
  const pick = used.size === 1 && listed.includes(String(shared)) ? String(shared) : listed[0];
  if (pick) $(select).val(pick).trigger("change");
}

/** The value of the editor's "none" and "add new…" entries of a server list. */
const NEW_CONFIG_NODE = "_ADD_";

/** Words with {{placeholders}} from the message, as in Node-RED's template node (the runtime's TEMPLATE_TYPE). */
export const TEMPLATE: TypedInputType = {
  value: FACTS.templateType,
  label: "{{template}}",
  icon: "fa fa-file-text-o",
  hasValue: true,
  validate: (value) => templateProblem(value) === undefined,
};

/** "serverURL: enter a URL…" as the dialog names the field: "Server URL: enter a URL…". */
function withLabel(message: string): string {
  return message.replace(/^([\w.]+)(\s?:\s)/, (whole, field: string, colon: string) => {
    const label = $(`label[for="node-config-input-${field}"]`).text().trim();
    return label ? `${label}${colon}` : whole;
  });
}

/** Makes #node-input-<field> a TypedInput with these types, its type kept in <field>Type. */
export function typedInput(field: string, types: TypedInputOptions["types"]): JQuery {
  return $(`#node-input-${field}`).typedInput({ types, typeField: `#node-input-${field}Type` });
}

/** A typed input's validator for the common case: any value of its type, undefined (the runtime default) and optionally blank. */
export function typedCheck(field: string, { blank = false } = {}): Validator {
  return RED.validators.typedInput({ typeField: `${field}Type`, allowUndefined: true, allowBlank: blank });
}

/** A property as the open dialog shows it, else as the node has it. */
export function current(node: EditedNode, field: string): unknown {
  return $(`#node-input-${field}`).val() || node[field];
}

/** Checks a typed input's value: text with `checkText`, other types as the editor checks them. */
export function typedValue(node: EditedNode, field: string, value: unknown, checkText: (text: string) => boolean = () => true): boolean {
  const type = String(current(node, `${field}Type`));
  return type === "str" ? checkText(String(value ?? "")) : RED.utils.validateTypedProperty(value, type) === true;
}
