"use strict";
// docs/adding-an-api.md followed in a copy of the repository: one fake operation per API (its table
// entry and wire facts, practice server handler, package.json entry, panel, en-US texts and help and
// their translations, example, node test, fuzz values, README row), then the build, the lint of the
// new and changed files and the rules test (test/unit/adding-an-api.test.js) on the copy must pass;
// and with one piece removed, the rules test must fail naming that rule and file. Slow (a build and
// a lint): tagged @slow, so not in npm run test:fast; run it with npm run test:copy.
// When a step of the doc changes, the pieces below change with it.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFile } = require("node:child_process");

const ROOT = path.join(__dirname, "..", "..");
/** What a contributor works in: the sources, the panels and texts, the tests that run without Node-RED, and the tools' settings. */
const COPIED = [
  "src",
  "nodes/locales",
  "package.json",
  "tsconfig.json",
  "tsconfig.editor.json",
  "scripts",
  "test/unit",
  "test/support",
  "test/nodes",
  "examples",
  "docs",
  "icons",
  "README.md",
  "eslint.config.js",
  ".prettierrc.json",
  ".prettierignore",
  ".gitignore",
  ".mocharc.json",
];
const LANGUAGES = fs.readdirSync(path.join(ROOT, "nodes", "locales"));

/** Runs a command in the copy; resolves with its exit code and output, never rejects. */
function run(cwd, command, args) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, output: `${stdout}${stderr}` })
    );
  });
}
const npx = (cwd, ...args) => run(cwd, "npx", ["--no-install", ...args]);

/** A change to one file of the copy: `edit` gets its text (undefined for a new file) and returns the new text. */
class Copy {
  constructor(dir) {
    this.dir = dir;
    /** Every file the fake operations created or changed, by API. */
    this.touched = {};
  }

  file(name) {
    return path.join(this.dir, name);
  }

  read(name) {
    return fs.existsSync(this.file(name)) ? fs.readFileSync(this.file(name), "utf8") : undefined;
  }

  change(api, step, name, edit) {
    const before = this.read(name);
    const after = edit(before);
    assert.ok(
      typeof after === "string" && after !== before,
      `step ${step}: ${name} did not change: has its layout changed? Update test/unit/adding-an-api-copy.test.js`
    );
    fs.mkdirSync(path.dirname(this.file(name)), { recursive: true });
    fs.writeFileSync(this.file(name), after);
    (this.touched[api] ??= new Set()).add(name);
  }
}

/** text with `insert` put before (or after) the one place `anchor` is; fails naming the step when the anchor is gone. */
function insertAt(step, text, anchor, insert, { after = false } = {}) {
  const at = typeof anchor === "string" ? text.indexOf(anchor) : text.search(anchor);
  assert.ok(at >= 0, `step ${step}: ${anchor} is not where the doc says: update test/unit/adding-an-api-copy.test.js`);
  const length = typeof anchor === "string" ? anchor.length : text.match(anchor)[0].length;
  const where = after ? at + length : at;
  return text.slice(0, where) + insert + text.slice(where);
}

const replaceAll = (text, pairs) => pairs.reduce((t, [from, to]) => t.split(from).join(to), text);

/** The two fake operations, one per API: each says what it adds in which step of the doc. */
const FAKES = [
  {
    api: "cam",
    type: "cam-room-members",
    model: "cam-call-stats",
    input: ["roomName", "chatRoomId"],
    labels: { "en-US": "room members", de: "Mitglieder", fr: "membres du salon", ja: "メンバー一覧", ko: "방 멤버" },
    server: "API token",
    plausible: 'chatRoomId: fc.constantFrom("general", "alerts", "no such room"),\n',
    steps(copy) {
      const { api, type } = this;
      copy.change(api, "(a)", "src/cam/cam-apis.ts", (text) =>
        insertAt(
          "(a)",
          text,
          "} as const satisfies Record<string, CamApi>;",
          '  getChatRoomMembersV2: { fields: ["chatRoomId"], readOnly: true, answer: json({ members: "array" }) },\n'
        )
      );
      copy.change(
        api,
        "(a)",
        "src/cam/cam-operations.ts",
        (text) => `${text}
export const roomMembers: CamOperation = {
  type: "${type}",
  inputs: { chatRoomId: fromMsg("payload") },
  async run({ values }, call) {
    const res = await call(apiRequest("getChatRoomMembersV2", { chatRoomId: text("chatRoomId", values.chatRoomId) }));
    return { payload: res.data };
  },
};
`
      );
      copy.change(api, "(g)", "src/practice-server/cam/cam-rooms.ts", (text) => {
        const handler = `function getChatRoomMembersV2(ctx: CamContext<"getChatRoomMembersV2">): Reply {
  const room = ctx.state.data.rooms.find((r) => r.id === ctx.fields.chatRoomId);
  if (!room) throw badRequest("no such chat room");
  return ok({ members: Object.keys(room.memberUids) });
}

`;
        let changed = insertAt("(g)", text, "export const ROOM_HANDLERS", handler);
        changed = insertAt("(g)", changed, "export const ROOM_HANDLERS: CamHandlers<", '"getChatRoomMembersV2" | ', { after: true });
        return insertAt("(g)", changed, /export const ROOM_HANDLERS: CamHandlers<[^>]*> = \{\n/, "  getChatRoomMembersV2,\n", { after: true });
      });
    },
  },
  {
    api: "xassist",
    type: "xassist-call-list",
    model: "xassist-call-log",
    input: ["callId", "status"],
    labels: { "en-US": "call list", de: "Anrufliste", fr: "liste d'appels", ja: "通話一覧", ko: "통화 목록" },
    server: "user name and password",
    plausible: 'status: fc.constantFrom("", "Started", "Ended"),\n',
    steps(copy) {
      const { api, type } = this;
      copy.change(api, "(a)", "src/xassist/xassist-apis.ts", (text) =>
        insertAt(
          "(a)",
          text,
          "} as const satisfies Record<string, XassistApi>;",
          '  getFilteredCallLogsV2: { method: "GET", path: "/rtc/getFilteredCallLogsV2", query: ["status"], answer: { kind: "json", fields: { calls: "array" } } },\n'
        )
      );
      copy.change(
        api,
        "(a)",
        "src/xassist/xassist-operations.ts",
        (text) => `${text}
export const callList: XOperation = {
  type: "${type}",
  inputs: { status: fromMsg("payload") },
  async run({ values }, call) {
    const res = await call(xassistRequest("getFilteredCallLogsV2", { query: { status: text("status", values.status, { optional: true }) } }));
    return { payload: res.data };
  },
};
`
      );
      copy.change(api, "(g)", "src/practice-server/xassist/xassist-api.ts", (text) =>
        insertAt(
          "(g)",
          text,
          /\n {2}getCallLogById,\n\};/,
          "\n  getFilteredCallLogsV2(state, sessions, req) {\n    authenticated(state, sessions, req);\n    return ok({ calls: [] });\n  },"
        )
      );
    },
  },
];

/** The steps every node takes, whatever its API: (b) package.json, (c) panel, (d) texts, (e) example, (f) test and fuzz values, (h) README. */
function addNode(copy, fake) {
  const { api, type, model, input, labels } = fake;
  const swap = (text) => replaceAll(text, [[model, type], input]);
  copy.change(api, "(b)", "package.json", (text) => {
    const pkg = JSON.parse(text);
    pkg["node-red"].nodes[type] = `nodes/${type}.js`;
    return `${JSON.stringify(pkg, null, 2)}\n`;
  });
  // (c): "Start from a small panel such as nodes/cam-call-stats.html"
  copy.change(api, "(c)", `nodes/${type}.html`, () => swap(fs.readFileSync(path.join(ROOT, "nodes", `${model}.html`), "utf8")));
  // (d): en-US, then the other languages (translations: not counted as files the operation touches)
  for (const lang of LANGUAGES) {
    const kind = lang === "en-US" ? api : `${api} translations`;
    copy.change(kind, "(d)", `nodes/locales/${lang}/${type}.json`, () => {
      const catalogue = JSON.parse(swap(fs.readFileSync(path.join(ROOT, "nodes", "locales", lang, `${model}.json`), "utf8")));
      catalogue[type].paletteLabel = labels[lang] ?? labels["en-US"];
      return `${JSON.stringify(catalogue, null, 2)}\n`;
    });
    copy.change(kind, "(d)", `nodes/locales/${lang}/${type}.html`, () =>
      swap(fs.readFileSync(path.join(ROOT, "nodes", "locales", lang, `${model}.html`), "utf8"))
    );
  }
  // (e): a flow with the node, its server node, an inject to try it and a comment that explains it
  const name = `Fake ${labels["en-US"]}`;
  const flow = [
    {
      id: `${type}-comment`,
      type: "comment",
      z: `${type}-tab`,
      name: `${name} (try me on the practice server)`,
      info: [
        `**${name}** is a *${labels["en-US"]}* node; **Ask (try me)** sends it a message and **Answer** shows what it answered.`,
        "**Try it:** click **Deploy**, then the square button on the left of **Ask (try me)**: the **Debug** sidebar shows the answer, the **Practice** tab of the sidebar shows the practice server.",
        `**Practice server and your own:** double-click **${name}**, click the pencil next to **Server**, choose **Server: My server** and enter your server's URL and ${fake.server}.`,
      ].join("\n\n"),
      x: 200,
      y: 60,
      wires: [],
    },
    {
      id: `${type}-ask`,
      type: "inject",
      z: `${type}-tab`,
      name: "Ask (try me)",
      props: [{ p: "payload" }],
      payload: "",
      payloadType: "str",
      x: 150,
      y: 120,
      wires: [[`${type}-node`]],
    },
    { id: `${type}-node`, type, z: `${type}-tab`, name, server: `${type}-server`, x: 350, y: 120, wires: [[`${type}-answer`]] },
    {
      id: `${type}-answer`,
      type: "debug",
      z: `${type}-tab`,
      name: "Answer",
      active: true,
      tosidebar: true,
      complete: "payload",
      targetType: "msg",
      x: 550,
      y: 120,
      wires: [],
    },
    { id: `${type}-server`, type: `${api}-config`, name: "", server: "practice" },
  ];
  copy.change(api, "(e)", `examples/90 - ${name}.json`, () => `${JSON.stringify(flow, null, 2)}\n`);
  // (f): the node's test, run in Node-RED against the practice server (only linted here), and its fuzz values
  const bed =
    api === "cam"
      ? `const { camTestBed } = require("../support/cam-support");

describe("${type}", function () {
  const bed = camTestBed("${type}");

  it("answers the practice server's list", async () => {
    await bed.load();
    const msg = await bed.ok({ payload: "general" });
    assert.ok(Array.isArray(msg.payload.members));
  });
});
`
      : `const x = require("../support/xassist-support");

describe("${type}", function () {
  let practiceServer;
  before(async () => (practiceServer = await x.startPracticeServer()));
  after(() => practiceServer.close());
  afterEach(() => x.helper.unload());

  it("answers the practice server's list", async () => {
    await x.helper.load(x.allNodes, x.xassistFlow("${type}", {}, { url: practiceServer.url }), x.demoCredentials(practiceServer));
    const { msg } = await x.outcome({ payload: "" });
    assert.ok(Array.isArray(msg.payload.calls));
  });
});
`;
  copy.change(api, "(f)", `test/nodes/${type}.test.js`, () => `"use strict";\nconst assert = require("node:assert/strict");\n${bed}`);
  copy.change(api, "(f)", "test/support/fuzz-values.js", (text) => {
    const plausible = api === "cam" ? "const plausible = {\n" : "  return {\n";
    let changed = insertAt(
      "(f)",
      text,
      api === "cam" ? plausible : /function plausibleXassist[\s\S]*?\n {2}return \{\n/,
      `${api === "cam" ? "  " : "    "}${fake.plausible}`,
      {
        after: true,
      }
    );
    changed = insertAt("(f)", changed, "const SUCCESS = {\n", `  "${type}": (p) => isObject(p),\n`, { after: true });
    return changed;
  });
  // (h): a row in README's table "The nodes"
  copy.change(api, "(h)", "README.md", (text) =>
    insertAt(
      "(h)",
      text,
      `| (server settings) | \`${api}-config\``,
      `| ${labels["en-US"]} | \`${type}\` | A fake operation of test/unit/adding-an-api-copy.test.js. |\n`
    )
  );
}

describe("adding an API, followed in a copy of the repository (docs/adding-an-api.md) @slow", function () {
  this.timeout(600_000);
  let copy;

  before(async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-adding-an-api-"));
    for (const name of COPIED) if (fs.existsSync(path.join(ROOT, name))) fs.cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
    for (const panel of fs.readdirSync(path.join(ROOT, "nodes")).filter((f) => f.endsWith(".html")))
      fs.copyFileSync(path.join(ROOT, "nodes", panel), path.join(dir, "nodes", panel));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    copy = new Copy(dir);
    for (const fake of FAKES) {
      fake.steps(copy);
      addNode(copy, fake);
    }
  });

  after(function () {
    if (!copy) return;
    if (process.env.KEEP_COPY) console.log(`      the copy stays in ${copy.dir}`);
    else fs.rmSync(copy.dir, { recursive: true, force: true });
  });

  it("touches these files per API, besides the translations", function () {
    for (const { api, type } of FAKES) {
      const files = [...copy.touched[api]].sort();
      console.log(`      ${type}: ${files.length} files besides ${copy.touched[`${api} translations`].size} translation files: ${files.join(", ")}`);
      assert.ok(files.length > 0);
    }
  });

  it("builds", async function () {
    const { code, output } = await run(copy.dir, "npm", ["run", "build", "--silent"]);
    assert.equal(code, 0, output);
    for (const { type } of FAKES) assert.ok(fs.existsSync(copy.file(`nodes/${type}.js`)), `the build made nodes/${type}.js`);
  });

  it("formats and lints the new and changed files (npm run format, ESLint and Prettier as npm run lint)", async function () {
    const files = Object.values(copy.touched)
      .flatMap((set) => [...set])
      .filter((f) => /\.(ts|js|html)$/.test(f) && !f.startsWith("nodes/locales/"));
    const formatted = files.filter((f) => /\.(ts|js)$/.test(f));
    const format = await npx(copy.dir, "prettier", "--write", ...formatted);
    assert.equal(format.code, 0, format.output);
    const eslint = await npx(copy.dir, "eslint", "--max-warnings", "0", ...files);
    assert.equal(eslint.code, 0, eslint.output);
    const prettier = await npx(copy.dir, "prettier", "--check", ...formatted);
    assert.equal(prettier.code, 0, prettier.output);
  });

  it("passes the rules test", async function () {
    const { code, output } = await npx(copy.dir, "mocha", "test/unit/adding-an-api.test.js");
    assert.equal(code, 0, output);
    for (const { type } of FAKES) assert.match(output, new RegExp(`\\b${type}\\b`), `the rules test checked ${type}`);
  });

  /** Takes one piece away, runs the rules test and puts the piece back: the test must fail naming the rule and the file. */
  const without = (what, file, edit, expected) =>
    it(`fails without ${what}, naming the rule and ${file}`, async function () {
      const before = copy.read(file);
      fs.writeFileSync(copy.file(file), edit(before));
      try {
        const { code, output } = await npx(copy.dir, "mocha", "test/unit/adding-an-api.test.js");
        assert.notEqual(code, 0, `the rules test passed without ${what}`);
        assert.ok(output.includes(expected), `the rules test did not say ${JSON.stringify(expected)}:\n${output}`);
      } finally {
        fs.writeFileSync(copy.file(file), before);
      }
    });

  without(
    "the help's Outputs section",
    "nodes/locales/en-US/cam-room-members.html",
    (help) => help.replace(/ *<h3>Outputs<\/h3>[\s\S]*?(?=<h3>)/, ""),
    `(d) of docs/adding-an-api.md, "the help has the sections of the core nodes' help, each tag closed": fix nodes/locales/en-US/cam-room-members.html`
  );
  without(
    "the README row",
    "README.md",
    (readme) => readme.replace(/^\| call list \| `xassist-call-list` \|.*\n/m, ""),
    `(h) of docs/adding-an-api.md, "README's table "The nodes" has a row for the node, named as in the palette": fix README.md (xassist-call-list)`
  );
  without(
    "the input's fuzz value",
    "test/support/fuzz-values.js",
    (values) => values.replace(/^ *status: fc\.constantFrom\("", "Started", "Ended"\),\n/m, ""),
    `(f) of docs/adding-an-api.md, "the fuzz test has a plausible value for each input and the node's success shape": fix test/support/fuzz-values.js (xassist-call-list):\n  no plausible value for the input status in plausibleXassist`
  );
  without(
    "a German palette label that fits",
    "nodes/locales/de/cam-room-members.json",
    (catalogue) => catalogue.replace('"Mitglieder"', '"Chatraummitgliederliste"'),
    `(d) of docs/adding-an-api.md, "de: the palette label fits its box, whole words on at most two lines (Japanese: one)": fix nodes/locales/de/cam-room-members.json`
  );
});
