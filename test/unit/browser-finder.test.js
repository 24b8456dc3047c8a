"use strict";
// The browser finder of the browser tests (test/support/find-browser.js), with the environment and
// the file system injected: the variables first, then the usual places, then Playwright's
// downloads; without a browser, one line for the whole run, or a failure with REQUIRE_BROWSER=1.
const assert = require("node:assert/strict");
const path = require("node:path");

const MODULE = require.resolve("../support/find-browser");
/** A private copy of the module (its "already reported" state starts empty); the shared one stays. */
function freshFinder() {
  const shared = require.cache[MODULE];
  delete require.cache[MODULE];
  const finder = require(MODULE);
  if (shared) require.cache[MODULE] = shared;
  else delete require.cache[MODULE];
  return finder;
}
const { findBrowser, missingMessage } = freshFinder();

/** A machine with these executable files and folders. */
const machine = (files, dirs = {}) => ({
  exists: (file) => files.includes(file),
  readDir: (dir) => dirs[dir] || [],
  home: "/home/ana",
  platform: "linux",
});

describe("browser finder (test/support/find-browser.js)", () => {
  it("takes CHROMIUM_PATH first, then CHROME_PATH, then PUPPETEER_EXECUTABLE_PATH", () => {
    const files = ["/opt/a", "/opt/b", "/opt/c", "/usr/bin/chromium"];
    const env = { CHROMIUM_PATH: "/opt/a", CHROME_PATH: "/opt/b", PUPPETEER_EXECUTABLE_PATH: "/opt/c" };
    assert.equal(findBrowser({ ...machine(files), env }).path, "/opt/a");
    assert.equal(findBrowser({ ...machine(files), env: { CHROME_PATH: "/opt/b", PUPPETEER_EXECUTABLE_PATH: "/opt/c" } }).path, "/opt/b");
    assert.equal(findBrowser({ ...machine(files), env: { PUPPETEER_EXECUTABLE_PATH: "/opt/c" } }).path, "/opt/c");
  });

  it("reports a variable that points nowhere instead of quietly using another browser", () => {
    const found = findBrowser({ ...machine(["/usr/bin/chromium"]), env: { CHROMIUM_PATH: "/nonexistent" } });
    assert.equal(found.path, null);
    assert.deepEqual(found.searched, ["CHROMIUM_PATH=/nonexistent"]);
    assert.match(missingMessage(found.searched), /CHROMIUM_PATH=\/nonexistent.*set CHROMIUM_PATH/);
  });

  it("looks in the usual places, in order", () => {
    const usual = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/snap/bin/chromium"];
    for (const [i, file] of usual.entries()) {
      const found = findBrowser({ ...machine([file, ...usual.slice(i + 1)]), env: {} });
      assert.equal(found.path, file);
    }
    const mac = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    assert.equal(findBrowser({ ...machine([mac]), platform: "darwin", env: {} }).path, mac);
  });

  it("falls back to the newest Chromium Playwright downloaded", () => {
    const cache = "/home/ana/.cache/ms-playwright";
    const dirs = { [cache]: ["chromium-999", "chromium-1140", "ffmpeg-1010", "chromium_headless_shell-1140"] };
    const newest = path.join(cache, "chromium-1140", "chrome-linux", "chrome");
    const older = path.join(cache, "chromium-999", "chrome-linux", "chrome");
    assert.equal(findBrowser({ ...machine([older, newest], dirs), env: {} }).path, newest);
    assert.equal(findBrowser({ ...machine([older], dirs), env: {} }).path, older);
    const custom = { "/srv/pw": ["chromium-1200"] };
    const file = path.join("/srv/pw", "chromium-1200", "chrome-linux64", "chrome");
    assert.equal(findBrowser({ ...machine([file], custom), env: { PLAYWRIGHT_BROWSERS_PATH: "/srv/pw" } }).path, file);
  });

  it("without a browser, names everything it searched", () => {
    const found = findBrowser({ ...machine([]), env: {} });
    assert.equal(found.path, null);
    const message = missingMessage(found.searched);
    for (const part of [
      "CHROMIUM_PATH",
      "/usr/bin/chromium",
      "/snap/bin/chromium",
      "/home/ana/.cache/ms-playwright/chromium-*/chrome-linux/chrome",
      "apt-get install -y chromium",
    ]) {
      assert.ok(message.includes(part), `${part} missing from: ${message}`);
    }
  });

  describe("needBrowser, in a suite's before() hook", () => {
    const context = () => ({
      skipped: 0,
      skip() {
        this.skipped++;
      },
    });
    let logged;
    let log;
    beforeEach(() => {
      logged = [];
      log = console.log;
      console.log = (...args) => logged.push(args.join(" "));
    });
    afterEach(() => {
      console.log = log;
    });

    it("returns the browser's path when there is one", () => {
      const { needBrowser } = freshFinder();
      const ctx = context();
      assert.equal(needBrowser(ctx, { ...machine(["/opt/a"]), env: { CHROMIUM_PATH: "/opt/a" } }), "/opt/a");
      assert.equal(ctx.skipped, 0);
      assert.deepEqual(logged, []);
    });

    it("skips every suite but prints one line for the whole run", () => {
      const { needBrowser } = freshFinder();
      const suites = [context(), context(), context()];
      for (const ctx of suites) needBrowser(ctx, { ...machine([]), env: { CHROMIUM_PATH: "/nonexistent" } });
      assert.deepEqual(
        suites.map((ctx) => ctx.skipped),
        [1, 1, 1]
      );
      assert.equal(logged.length, 1);
      assert.match(logged[0], /browser tests skipped: no browser found \(searched CHROMIUM_PATH=\/nonexistent\).*REQUIRE_BROWSER=1/);
    });

    it("fails with REQUIRE_BROWSER=1", () => {
      const { needBrowser } = freshFinder();
      const ctx = context();
      assert.throws(
        () => needBrowser(ctx, { ...machine([]), env: { REQUIRE_BROWSER: "1" } }),
        /^Error: REQUIRE_BROWSER=1 but no browser found \(searched CHROMIUM_PATH/
      );
      assert.equal(ctx.skipped, 0);
      assert.deepEqual(logged, []);
    });
  });
});
