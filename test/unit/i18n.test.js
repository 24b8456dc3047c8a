"use strict";
// Every catalogue and help file of en-US exists in ja, de, ko and fr with the same keys,
// placeholders and help structure; runtime texts follow the runtime language.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const NODES = path.join(__dirname, "..", "..", "nodes");
const LOCALES = path.join(NODES, "locales");
const LANGUAGES = ["ja", "de", "ko", "fr"];

/** The h3 headings of Node-RED's own help translations, so our help reads like the core nodes'. */
const HEADINGS = {
  ja: { Inputs: "入力", Outputs: "出力", Details: "詳細", Example: "例", Properties: "プロパティ" },
  de: { Inputs: "Eingangsdaten", Outputs: "Ausgangsdaten", Details: "Details", Example: "Beispiel", Properties: "Eigenschaften" },
  ko: { Inputs: "입력", Outputs: "출력", Details: "상세", Example: "예", Properties: "프로퍼티" },
  fr: { Inputs: "Entrées", Outputs: "Sorties", Details: "Détails", Example: "Exemple", Properties: "Propriétés" },
};
/** Text in these languages must contain their own script. */
const SCRIPT = { ja: /[\u3040-\u30ff\u4e00-\u9fff]/, ko: /[\uac00-\ud7af]/ };

const files = (lang, ext) =>
  fs
    .readdirSync(path.join(LOCALES, lang))
    .filter((f) => f.endsWith(ext))
    .sort();
const read = (lang, file) => fs.readFileSync(path.join(LOCALES, lang, file), "utf8");
const catalogue = (lang, file) => JSON.parse(read(lang, file));

/** {"a.b.c": "text"} for every string leaf. */
function flatten(obj, prefix = "", out = {}) {
  for (const [key, value] of Object.entries(obj)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object") flatten(value, full, out);
    else out[full] = value;
  }
  return out;
}

const placeholders = (text) => [...new Set(String(text).match(/__\w+?__/g) || [])].sort();
const all = (re, text) => [...text.matchAll(re)].map((m) => m[1]);
const stripTags = (html) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();

describe("i18n: catalogues", function () {
  const enCatalogues = files("en-US", ".json");

  it("en-US has a catalogue and a help file for every node of package.json", () => {
    const types = Object.keys(require("../../package.json")["node-red"].nodes);
    for (const type of types) {
      assert.ok(enCatalogues.includes(`${type}.json`), `${type}.json`);
      assert.ok(files("en-US", ".html").includes(`${type}.html`), `${type}.html`);
    }
  });

  for (const lang of LANGUAGES) {
    describe(lang, () => {
      it("has exactly the catalogue files of en-US", () => {
        assert.deepEqual(files(lang, ".json"), enCatalogues);
      });

      for (const file of enCatalogues) {
        it(`${file}: the same keys and placeholders as en-US, every text filled in`, () => {
          const en = flatten(catalogue("en-US", file));
          const tr = flatten(catalogue(lang, file));
          const missing = Object.keys(en).filter((k) => !(k in tr));
          const extra = Object.keys(tr).filter((k) => !(k in en));
          assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${lang}/${file}`);
          for (const key of Object.keys(en)) {
            assert.equal(typeof tr[key], "string", `${lang}/${file} ${key} is text`);
            assert.ok(tr[key].trim(), `${lang}/${file} ${key} is empty`);
            assert.deepEqual(placeholders(tr[key]), placeholders(en[key]), `${lang}/${file} ${key}: placeholders`);
          }
        });
      }

      it("is translated, not copied from en-US", () => {
        let same = 0;
        let total = 0;
        for (const file of enCatalogues) {
          const en = flatten(catalogue("en-US", file));
          const tr = flatten(catalogue(lang, file));
          for (const key of Object.keys(en)) {
            total++;
            if (tr[key] === en[key]) same++;
            else if (SCRIPT[lang] && /[a-z]{4,} [a-z]{4,}/i.test(en[key]) && !/[{<]/.test(en[key])) {
              assert.match(tr[key], SCRIPT[lang], `${lang}/${file} ${key} looks untranslated: ${tr[key]}`);
            }
          }
        }
        // URLs, examples and words such as "Name" or "Server" may rightly stay the same
        assert.ok(same / total < 0.2, `${same} of ${total} texts are the same as en-US`);
      });
    });
  }
});

describe("i18n: help", function () {
  const enHelp = files("en-US", ".html");
  const helpName = (html) => all(/data-help-name="([^"]+)"/g, html);
  const headings = (html, tag) => all(new RegExp(`<${tag}>([^<]*)</${tag}>`, "g"), html);
  /** Example texts a reader would type in their own language; every other <code> stays as it is. */
  const EXAMPLE_TEXTS = new Set(["Support"]);
  /** Identifiers, codes and values in <code> that must stay as they are. */
  const identifiers = (html) => new Set(all(/<code>([^<]*)<\/code>/g, html).filter((c) => !/\s/.test(c) && !EXAMPLE_TEXTS.has(c)));

  for (const lang of LANGUAGES) {
    describe(lang, () => {
      it("has exactly the help files of en-US", () => {
        assert.deepEqual(files(lang, ".html"), enHelp);
      });

      for (const file of enHelp) {
        it(`${file}: same node, sections and structure as en-US`, () => {
          const en = read("en-US", file);
          const tr = read(lang, file);
          assert.deepEqual(helpName(tr), helpName(en));
          const expected = headings(en, "h3").map((h) => {
            assert.ok(HEADINGS[lang][h], `no ${lang} heading for "${h}"`);
            return HEADINGS[lang][h];
          });
          assert.deepEqual(headings(tr, "h3"), expected, "h3 sections");
          assert.equal(headings(tr, "h4").length, headings(en, "h4").length, "h4 sections");
          for (const tag of ["<dt", "<li", "<pre", '<ol class="node-ports"']) {
            assert.equal(tr.split(tag).length, en.split(tag).length, `number of ${tag}`);
          }
          const kept = identifiers(tr);
          const lost = [...identifiers(en)].filter((c) => !kept.has(c));
          assert.deepEqual(lost, [], "code identifiers must stay untranslated");
          const text = stripTags(tr);
          assert.notEqual(text, stripTags(en));
          if (SCRIPT[lang]) assert.match(text, SCRIPT[lang]);
        });
      }
    });
  }
});

describe("i18n: panels", function () {
  it("every key a panel uses exists in en-US and every language", () => {
    for (const file of files("en-US", ".json")) {
      const type = file.replace(/\.json$/, "");
      const panel = path.join(NODES, `${type}.html`);
      if (!fs.existsSync(panel)) continue;
      const html = fs.readFileSync(panel, "utf8");
      const keys = new Set([...all(/data-i18n="(?:\[[^\]]+\])?([^"]+)"/g, html), ...all(/\b_\(\s*["']([^"']+)["']/g, html)]);
      for (const key of keys) {
        if (key.includes(":") || key.endsWith(".")) continue; // another namespace, or built at run time
        for (const lang of ["en-US", ...LANGUAGES]) {
          const messages = flatten(catalogue(lang, file));
          assert.ok(key in messages, `${type}.html uses "${key}", missing in ${lang}/${file}`);
        }
      }
    }
  });
});

/**
 * Node-RED in its own process with settings.lang. Like support/node-red-process.js startNodeRed,
 * whose start-up check reads the English "Server now running at" line and so never sees a
 * runtime that speaks another language.
 */
async function startLocalizedNodeRed({ flows, credentials, lang }) {
  const { spawn } = require("node:child_process");
  const os = require("node:os");
  const { linkPackage } = require("../support/node-red-process");
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-i18n-"));
  linkPackage(userDir, path.join(__dirname, "..", ".."));
  fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(flows));
  fs.writeFileSync(path.join(userDir, "flows_cred.json"), JSON.stringify(credentials));
  const settings = {
    lang,
    uiHost: "127.0.0.1",
    uiPort: 0,
    flowFile: "flows.json",
    credentialSecret: false,
    telemetry: { enabled: false },
    editorTheme: { tours: false, palette: { catalogues: [] } },
    logging: { console: { level: "info", metrics: false, audit: false } },
  };
  fs.writeFileSync(path.join(userDir, "settings.js"), `module.exports = ${JSON.stringify(settings)};\n`);
  const redJs = process.env.NODE_RED_PATH ? path.resolve(process.env.NODE_RED_PATH, "red.js") : require.resolve("node-red/red.js");
  const child = spawn(process.execPath, [redJs, "-u", userDir, "-s", path.join(userDir, "settings.js")], {
    env: { ...process.env, LANG: "en_US.UTF-8" }, // settings.lang wins over the environment
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  return { output: () => output, exited, stop };
}

describe("i18n: runtime language", function () {
  this.timeout(180000); // a busy CI machine can take long to start Node-RED
  let practiceServer;

  before(async () => (practiceServer = await require("../../nodes/practice-server").start({ port: 0, quiet: true })));

  const sendMessage = (id) => ({
    id,
    z: "f1",
    type: "cam-send-message",
    server: "server",
    sendTo: "room",
    room: "general",
    roomType: "str",
    message: "payload",
    messageType: "msg",
    sealed: "false",
    sealedType: "bool",
    wires: [[]],
  });
  const flows = (url) => [
    { id: "f1", type: "tab", label: "i18n" },
    { id: "server", type: "cam-config", serverURL: url, retries: 0 },
    {
      id: "go",
      z: "f1",
      type: "inject",
      once: true,
      onceDelay: 0.1,
      repeat: "",
      payload: "hello",
      payloadType: "str",
      topic: "",
      wires: [["send", "uncaught"]],
    },
    sendMessage("send"),
    sendMessage("uncaught"), // no Catch node for this one: Node-RED logs its error
    { id: "catcher", z: "f1", type: "catch", scope: ["send"], uncaught: false, wires: [["dbg"]] },
    { id: "dbg", z: "f1", type: "debug", active: true, tosidebar: false, console: true, complete: "error.message", targetType: "msg" },
  ];

  /** Waits for the log to show something (bounded, so a missing text fails instead of hanging). */
  async function until(predicate, what) {
    const deadline = Date.now() + 90000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  // Node-RED takes seconds to start: the languages start side by side, each test reads its own log.
  const running = {};
  before(() => {
    for (const lang of LANGUAGES) {
      running[lang] = startLocalizedNodeRed({ flows: flows(practiceServer.url), credentials: { server: { apiToken: "wrong-token-for-i18n" } }, lang });
    }
  });
  after(async () => {
    await Promise.all(Object.values(running).map((red) => red.then((r) => r.stop())));
    if (practiceServer) await practiceServer.close();
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: a wrong token's error 805 is logged and caught in ${lang}`, async () => {
      const messages = catalogue(lang, "cam-config.json");
      const meaning = messages.errors.codes["805"];
      const english = catalogue("en-US", "cam-config.json").errors.codes["805"];
      const red = await running[lang];
      const lines = () =>
        red
          .output()
          .split("\n")
          .filter((l) => l.includes(meaning));
      await until(
        () => lines().length >= 2,
        () => `the ${lang} text of 805 in the log:\n${red.output()}`
      );
      const prefix = messages.errors.api.split("__code__")[0];
      const errorLine = lines().find((l) => l.includes("[cam-send-message:uncaught]"));
      const caughtLine = lines().find((l) => l.includes("[debug:dbg]"));
      assert.ok(errorLine, `logged by the node:\n${red.output()}`);
      assert.ok(errorLine.includes(`${prefix}805`), errorLine);
      assert.ok(caughtLine, `the Catch node's msg.error.message:\n${red.output()}`);
      assert.ok(!red.output().includes(english), "no English text of 805");
      assert.ok(!red.output().includes("wrong-token-for-i18n"), "the token is never logged");
    });
  }
});
