"use strict";
// The palette in every language of the editor: each node's label as Chromium lays it out in the
// palette's fixed-width box. Node-RED wraps a label that is too wide, and cuts a word that does not
// fit on a line in the middle ("メッセージ送/信"); our labels must show whole words only. Screenshots
// of the palette go to .artifacts/screenshots/. The rules test (test/unit/adding-an-api.test.js)
// estimates the same without a browser, so that a label that cannot fit fails in seconds.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { requireBrowser, launchBrowser, SCREENSHOTS } = require("../support/browser");
const { startNodeRed } = require("../support/node-red-process");
const { LOCALES, LANGUAGES } = require("../support/locale-rules");

/** Node types shown in the palette: configuration nodes are not. */
const PALETTE_TYPES = Object.keys(require("../../package.json")["node-red"].nodes).filter((type) => !/-config$/.test(type));
/** A label may take two lines, broken between words; more would make a palette entry stand out. */
const MAX_LINES = 2;

/** Scripts that the fallback fonts of a bare Linux do not have: without a font they show as boxes of another width. */
const NEEDS_FONT = { ja: "fonts-noto-cjk", ko: "fonts-noto-cjk" };

/** Whether the machine has a font for the language (fontconfig's list; a system without fontconfig has its own CJK fonts). */
function hasFontFor(lang) {
  const listed = spawnSync("fc-list", [`:lang=${lang}`, "family"], { encoding: "utf8" });
  return Boolean(listed.error) || listed.stdout.trim() !== "";
}

const paletteLabel = (lang, type) => JSON.parse(fs.readFileSync(path.join(LOCALES, lang, `${type}.json`), "utf8"))[type].paletteLabel;

/**
 * Runs in the page: for each palette node of ours, its label and the lines Chromium rendered it
 * on, found from the position of every character (Range.getClientRects), whatever made the break.
 */
function renderedLines(types) {
  return types.map((type) => {
    const node = document.querySelector(`#red-ui-palette-container .red-ui-palette-node[data-palette-type="${type}"]`);
    if (!node) return { type, missing: true };
    const element = node.querySelector(".red-ui-palette-label");
    const lines = [];
    let lastTop;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      for (let i = 0; i < text.data.length; i++) {
        const range = document.createRange();
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = [...range.getClientRects()].find((r) => r.width > 0);
        if (!rect) continue; // a collapsed space
        const top = Math.round(rect.top);
        if (lastTop === undefined || Math.abs(top - lastTop) > rect.height / 2) lines.push("");
        lastTop = top;
        lines[lines.length - 1] += text.data[i];
      }
    }
    const box = element.getBoundingClientRect();
    const nodeBox = node.getBoundingClientRect();
    return {
      type,
      label: node.getAttribute("data-palette-label"),
      lines: lines.map((l) => l.replace(/\s+/g, " ").trim()),
      overflows: box.right > nodeBox.right + 0.5,
    };
  });
}

describe("palette: labels fit without breaking a word (headless Chromium)", function () {
  this.timeout(120000);
  let red;
  let browser;

  before(async function () {
    requireBrowser(this);
    red = await startNodeRed({ flows: [{ id: "f1", type: "tab", label: "palette" }] });
    browser = await launchBrowser();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    if (browser) await browser.close();
    if (red) await red.stop();
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: every label on at most ${MAX_LINES} lines, broken only between words`, async function () {
      if (NEEDS_FONT[lang] && !hasFontFor(lang)) {
        const message = `no ${lang} font to measure the labels with (apt-get install -y ${NEEDS_FONT[lang]})`;
        if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${message}`);
        console.log(`      skipped: ${message}`);
        this.skip();
      }
      const page = await browser.context.newPage();
      try {
        // Node-RED's own language setting (View > Language) wins over the browser's
        await page.addInitScript((l) => localStorage.setItem("editor-language", l), lang);
        await page.goto(red.url, { waitUntil: "domcontentloaded" });
        await page.waitForFunction(
          (types) => window.RED && types.every((t) => document.querySelector(`.red-ui-palette-node[data-palette-type="${t}"]`)),
          PALETTE_TYPES
        );
        assert.equal(await page.evaluate(() => RED.i18n.lang()), lang);
        // the web fonts lay the labels out: measure once they are in
        await page.evaluate(() => document.fonts.ready);
        // A category may start closed (the palette's saved state): open ours, and measure once every
        // label is laid out (a page behind another may not be).
        await page.bringToFront();
        await page.evaluate((types) => {
          for (const type of types) {
            const category = document.querySelector(`.red-ui-palette-node[data-palette-type="${type}"]`).closest(".red-ui-palette-category");
            if (category?.classList.contains("red-ui-palette-closed")) category.querySelector(".red-ui-palette-header").click();
          }
        }, PALETTE_TYPES);
        await page.waitForFunction(
          (types) =>
            types.every((type) => {
              const label = document.querySelector(`.red-ui-palette-node[data-palette-type="${type}"] .red-ui-palette-label`);
              return label && label.getBoundingClientRect().width > 0;
            }),
          PALETTE_TYPES
        );
        const measured = await page.evaluate(renderedLines, PALETTE_TYPES);
        const problems = [];
        for (const { type, label, lines, overflows, missing } of measured) {
          if (missing) {
            problems.push(`${type}: not in the palette`);
            continue;
          }
          const expected = paletteLabel(lang, type);
          const shown = lines.join(" / ");
          if (label !== expected) problems.push(`${type}: the palette shows "${label}", ${lang}/${type}.json has "${expected}"`);
          // whole words: the lines put back together with a space are the label as written
          else if (lines.join(" ") !== expected.replace(/\s+/g, " ").trim()) problems.push(`${type}: "${expected}" is shown as "${shown}"`);
          else if (lines.length > MAX_LINES) problems.push(`${type}: "${expected}" takes ${lines.length} lines: "${shown}"`);
          // Japanese has no spaces to break at: one line
          else if (lang === "ja" && lines.length !== 1) problems.push(`${type}: "${expected}" is shown as "${shown}"`);
          if (overflows) problems.push(`${type}: "${expected}" runs out of its palette box`);
        }
        // our two palette categories, for a person to look at
        for (const [name, type] of [
          ["cam", "cam-send-message"],
          ["xassist", "xassist-create-call"],
        ]) {
          const category = page.locator(".red-ui-palette-category", { has: page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`) });
          await category.screenshot({ path: path.join(SCREENSHOTS, `palette-${lang}-${name}.png`) });
        }
        assert.deepEqual(problems, [], JSON.stringify(measured, null, 1));
      } finally {
        await page.close();
      }
    });
  }
});
