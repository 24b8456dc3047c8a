"use strict";
// Runtime texts follow the runtime language: Node-RED started in each language logs and hands a Catch
// node the error in that language. The catalogues and help files themselves (every language has
// en-US's files, keys, placeholders and help structure, translated) are checked for every node by the
// rules test, test/unit/adding-an-api.test.js.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { TRANSLATIONS: LANGUAGES } = require("../support/locale-rules");

const LOCALES = path.join(__dirname, "..", "..", "nodes", "locales");
const catalogue = (lang, file) => JSON.parse(fs.readFileSync(path.join(LOCALES, lang, file), "utf8"));

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
