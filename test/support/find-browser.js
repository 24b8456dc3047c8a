"use strict";
// Finds a Chromium (or Chrome) for the browser tests and scripts/screenshots.js:
//   1. CHROMIUM_PATH, else CHROME_PATH, else PUPPETEER_EXECUTABLE_PATH: when one is set, that file
//      is the browser and nothing else is searched (a wrong path is reported, never replaced);
//   2. otherwise the usual install locations, then Playwright's download folder.
// Without a browser, needBrowser() skips the suite and prints one line for the whole run, or fails
// with REQUIRE_BROWSER=1 (CI). `node test/support/find-browser.js` prints the path, or the reason
// and exit code 1 (.ci/run uses it).
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const VARIABLES = ["CHROMIUM_PATH", "CHROME_PATH", "PUPPETEER_EXECUTABLE_PATH"];
const LOCATIONS = {
  linux: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/snap/bin/chromium"],
  darwin: ["/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"],
};
/** Inside one chromium-<revision> folder of Playwright's downloads, by platform. */
const PLAYWRIGHT_EXECUTABLES = {
  linux: ["chrome-linux/chrome", "chrome-linux64/chrome"],
  darwin: ["chrome-mac/Chromium.app/Contents/MacOS/Chromium", "chrome-mac-arm64/Chromium.app/Contents/MacOS/Chromium"],
};
const INSTALL_HINT = "install one (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable";

function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function listDir(dir) {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Playwright's download folder: PLAYWRIGHT_BROWSERS_PATH, else its per-platform cache. */
function playwrightFolder(env, home, platform) {
  if (env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== "0") return env.PLAYWRIGHT_BROWSERS_PATH;
  if (platform === "darwin") return path.join(home, "Library", "Caches", "ms-playwright");
  return path.join(env.XDG_CACHE_HOME || path.join(home, ".cache"), "ms-playwright");
}

/**
 * The browser to use: { path, searched } with path null when none was found; searched names what
 * was looked at, for the message. Everything it reads from the machine can be injected (tests).
 */
function findBrowser({ env = process.env, exists = isExecutableFile, readDir = listDir, home = os.homedir(), platform = process.platform } = {}) {
  const variable = VARIABLES.find((name) => env[name]);
  if (variable) {
    const file = env[variable];
    return { path: exists(file) ? file : null, searched: [`${variable}=${file}`] };
  }
  const searched = [`${VARIABLES.join(", ")} (none set)`];
  for (const file of LOCATIONS[platform] || []) {
    searched.push(file);
    if (exists(file)) return { path: file, searched };
  }
  const folder = playwrightFolder(env, home, platform);
  const inside = PLAYWRIGHT_EXECUTABLES[platform] || [];
  searched.push(path.join(folder, "chromium-*", inside[0] || "…"));
  // the newest revision first
  const revisions = readDir(folder)
    .filter((name) => /^chromium-\d+$/.test(name))
    .sort((a, b) => Number(b.slice(9)) - Number(a.slice(9)));
  for (const revision of revisions) {
    for (const relative of inside) {
      const file = path.join(folder, revision, relative);
      if (exists(file)) return { path: file, searched };
    }
  }
  return { path: null, searched };
}

/** The one line that says why there is no browser and what to do. */
function missingMessage(searched) {
  return `no browser found (searched ${searched.join(", ")}); ${INSTALL_HINT}`;
}

let reported = false;

/**
 * For a before() hook of a suite that needs a browser: returns the browser's path. Without one it
 * throws when REQUIRE_BROWSER=1; otherwise it skips the suite, and the first suite to skip prints
 * one line for the whole run.
 */
function needBrowser(context, options) {
  const found = findBrowser(options);
  if (found.path) return found.path;
  const message = missingMessage(found.searched);
  if ((options?.env || process.env).REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${message}`);
  if (!reported) {
    reported = true;
    console.log(`      browser tests skipped: ${message}; REQUIRE_BROWSER=1 makes this a failure`);
  }
  context.skip();
  return null;
}

/** Chromium's flags for every test and script: headless, and no network beyond what a page asks for. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

module.exports = { findBrowser, missingMessage, needBrowser, VARIABLES, CHROMIUM_FLAGS };

if (require.main === module) {
  const found = findBrowser();
  if (found.path) {
    console.log(found.path);
  } else {
    console.error(missingMessage(found.searched));
    process.exitCode = 1;
  }
}
