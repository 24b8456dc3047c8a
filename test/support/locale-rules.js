"use strict";
// What the rules test (test/unit/adding-an-api.test.js) knows about texts: the languages of the
// catalogues, how a catalogue and a help file are compared across languages, where Japanese text has a
// space a reader sees, and how wide a palette label is.
const fs = require("node:fs");
const path = require("node:path");

const LOCALES = path.join(__dirname, "..", "..", "nodes", "locales");
/** Every language of nodes/locales, en-US first: the others follow it. */
const LANGUAGES = [
  "en-US",
  ...fs
    .readdirSync(LOCALES)
    .filter((lang) => lang !== "en-US")
    .sort(),
];
const TRANSLATIONS = LANGUAGES.slice(1);

/** The h3 headings of Node-RED's own help translations, so our help reads like the core nodes'. */
const HEADINGS = {
  ja: { Inputs: "入力", Outputs: "出力", Details: "詳細", Example: "例", Properties: "プロパティ" },
  de: { Inputs: "Eingangsdaten", Outputs: "Ausgangsdaten", Details: "Details", Example: "Beispiel", Properties: "Eigenschaften" },
  ko: { Inputs: "입력", Outputs: "출력", Details: "상세", Example: "예", Properties: "프로퍼티" },
  fr: { Inputs: "Entrées", Outputs: "Sorties", Details: "Détails", Example: "Exemple", Properties: "Propriétés" },
};
/** Text in these languages must contain their own script. */
const SCRIPT = { ja: /[\u3040-\u30ff\u4e00-\u9fff]/, ko: /[\uac00-\ud7af]/ };

/** {"a.b.c": "text"} for every leaf. */
function flatten(obj, prefix = "", out = {}) {
  for (const [key, value] of Object.entries(obj)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object") flatten(value, full, out);
    else out[full] = value;
  }
  return out;
}

const all = (re, text) => [...text.matchAll(re)].map((m) => m[1]);
const placeholders = (text) => [...new Set(String(text).match(/__\w+?__/g) || [])].sort();
const stripTags = (html) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();
const helpName = (html) => all(/data-help-name="([^"]+)"/g, html);
const headings = (html, tag) => all(new RegExp(`<${tag}>([^<]*)</${tag}>`, "g"), html);
/** Example texts a reader would type in their own language; every other <code> stays as it is. */
const EXAMPLE_TEXTS = new Set(["Support"]);
/** Identifiers, codes and values in <code> that must stay as they are. */
const identifiers = (html) => new Set(all(/<code>([^<]*)<\/code>/g, html).filter((c) => !/\s/.test(c) && !EXAMPLE_TEXTS.has(c)));
/** The tags whose count a translated help keeps. */
const STRUCTURE_TAGS = ["<dt", "<li", "<pre", '<ol class="node-ports"'];

/**
 * How a translated help differs from en-US in node, sections and structure: h3 headings are Node-RED's
 * own translations of en-US's, as many h4, dt, li, pre and port lists, the same code identifiers,
 * translated text (in its own script for ja and ko).
 */
function helpDifferences(lang, en, tr) {
  const problems = [];
  if (helpName(tr).join() !== helpName(en).join()) problems.push(`data-help-name is ${helpName(tr)}, en-US has ${helpName(en)}`);
  const expected = headings(en, "h3").map((h) => HEADINGS[lang]?.[h] ?? `(no ${lang} heading for "${h}" in test/support/locale-rules.js)`);
  if (headings(tr, "h3").join(" | ") !== expected.join(" | "))
    problems.push(`h3 sections are ${headings(tr, "h3").join(", ")}; expected ${expected.join(", ")}`);
  if (headings(tr, "h4").length !== headings(en, "h4").length)
    problems.push(`${headings(tr, "h4").length} h4 sections, en-US has ${headings(en, "h4").length}`);
  for (const tag of STRUCTURE_TAGS) {
    const [count, enCount] = [tr.split(tag).length - 1, en.split(tag).length - 1];
    if (count !== enCount) problems.push(`${count} ${tag}, en-US has ${enCount}`);
  }
  const kept = identifiers(tr);
  const lost = [...identifiers(en)].filter((c) => !kept.has(c));
  if (lost.length) problems.push(`code identifiers must stay untranslated: ${lost.map((c) => `<code>${c}</code>`).join(", ")} missing`);
  const text = stripTags(tr);
  if (text === stripTags(en)) problems.push("the text is en-US's");
  else if (SCRIPT[lang] && !SCRIPT[lang].test(text)) problems.push(`no ${lang} text`);
  return problems;
}

/** How a translated catalogue differs from en-US: keys, placeholders, empty texts, text left in English. */
function catalogueDifferences(lang, en, tr) {
  const [enTexts, trTexts] = [flatten(en), flatten(tr)];
  const problems = [];
  for (const key of Object.keys(enTexts)) {
    const value = trTexts[key];
    if (!(key in trTexts)) problems.push(`${key} is missing`);
    else if (typeof value !== "string" || !value.trim()) problems.push(`${key} is empty or not text`);
    else if (placeholders(value).join() !== placeholders(enTexts[key]).join()) {
      problems.push(`${key} has the placeholders ${placeholders(value).join(", ") || "(none)"}, en-US ${placeholders(enTexts[key]).join(", ") || "(none)"}`);
    } else if (value !== enTexts[key] && SCRIPT[lang] && /[a-z]{4,} [a-z]{4,}/i.test(enTexts[key]) && !/[{<]/.test(enTexts[key]) && !SCRIPT[lang].test(value)) {
      problems.push(`${key} looks untranslated: ${value}`);
    }
  }
  for (const key of Object.keys(trTexts)) if (!(key in enTexts)) problems.push(`${key} is not in en-US`);
  return problems;
}

// Japanese: no space between two Japanese characters. A source line break inside a sentence counts:
// Chromium shows a line break between two Japanese characters as a space ("この設定を 選択し"), so the
// text is checked as the browser lays it out.

/** Kana, kanji, CJK punctuation (、。「」) and full-width forms (（）：). */
const JAPANESE = "\\u3000-\\u303f\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef";
const SPACED = new RegExp(`[${JAPANESE}]\\s+(?=[${JAPANESE}])`, "g");
/** Tags that sit inside a line of text: the text on both sides runs together. Any other tag (p, li, dt, br…) breaks the text. */
const INLINE = /^(a|abbr|b|cite|code|em|i|kbd|q|s|small|span|strong|sub|sup|u|var)$/i;
const BREAK = "\u0000";

/**
 * The runs of text a browser lays out on one line, from help HTML or a catalogue text: inline tags
 * dropped, other tags and line breaks inside <pre> (where they are real line breaks) end a run.
 */
function textRuns(html) {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/(<pre\b[^>]*>)([\s\S]*?)(<\/pre>)/gi, (_, open, body, close) => open + body.replace(/\n/g, BREAK) + close)
    .replace(/<\/?([a-zA-Z][\w-]*)[^>]*>/g, (_, name) => (INLINE.test(name) ? "" : BREAK))
    .replace(/&(nbsp|#160|#xa0);/gi, " ")
    .replace(/&[#\w]+;/g, "&");
  return text.split(BREAK);
}

/** Each place where whitespace separates two Japanese characters, with a little context. */
function spacedJapanese(html) {
  const found = [];
  for (const run of textRuns(html)) {
    for (const m of run.matchAll(SPACED)) found.push(JSON.stringify(run.slice(Math.max(0, m.index - 10), m.index + m[0].length + 10)));
  }
  return found;
}

// The palette: Node-RED breaks a label into lines itself (setLabel in its editor, red.js): between
// words (at a space or a hyphen) where a line would reach its width, and through a word that alone
// reaches it ("メッセージ送/信"). It measures the text at 13 px in "Helvetica Neue", Arial (Liberation
// Sans on Linux, Arial's widths); a CJK or Hangul character is 1 em wide. A label must show whole words
// on at most two lines; Japanese, which has no spaces, on one. test/editor/palette-labels.test.js
// measures the labels in Chromium; this finds a label that cannot fit without a browser.

/** The width Node-RED gives a palette label, read from its editor (setLabel's nodeWidth). */
const PALETTE_LABEL_PX = (() => {
  const editor = fs.readFileSync(require.resolve("@node-red/editor-client/public/red/red.js"), "utf8");
  const width = /function setLabel\(type, el, ?label, ?info\) \{\s*var nodeWidth = (\d+);/.exec(editor);
  if (!width) throw new Error("Node-RED's editor no longer has setLabel's nodeWidth: update test/support/locale-rules.js");
  return Number(width[1]);
})();
const PALETTE_FONT_PX = 13;
const MAX_PALETTE_LINES = 2;
/** Arial's advance widths (1/1000 em) of printable ASCII, from " " (32) to "~" (126). */
// prettier-ignore
const ARIAL = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
  556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const WIDE = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;

/** A character's width in px: Arial's, an accented letter's base letter's, a CJK or Hangul character's 1 em, else 0.6 em. */
function charPx(ch) {
  const ascii = (c) => ARIAL[c.charCodeAt(0) - 32];
  const base = ch.normalize("NFD")[0];
  const em = ascii(ch) ?? (base !== ch ? ascii(base) : undefined) ?? (WIDE.test(ch) ? 1000 : 600);
  return (em * PALETTE_FONT_PX) / 1000;
}
/** A text's width in px, its runs of white space shown as one space as the browser does. */
const textPx = (text) => [...text.replace(/\s+/g, " ")].reduce((sum, ch) => sum + charPx(ch), 0);

/** The lines Node-RED makes of a palette label: its setLabel, with widths estimated by textPx. */
function paletteLines(label) {
  const fits = (text) => textPx(text) < PALETTE_LABEL_PX;
  const words = label.split(/([ -])/);
  const lines = [];
  let line = "";
  for (let i = 0; i < words.length; i++) {
    let word = words[i];
    const sep = i === 0 ? "" : " ";
    if (fits(line + sep + word)) {
      line += sep + word;
      continue;
    }
    if (i > 0) lines.push(line);
    while (!fits(word)) {
      let cut = word.length - 1;
      while (cut > 1 && !fits(word.slice(0, cut))) cut--;
      lines.push(word.slice(0, cut));
      word = word.slice(cut);
    }
    line = word;
  }
  lines.push(line);
  return lines.map((l) => l.replace(/\s+/g, " ").trim()).filter(Boolean);
}

/** Why a palette label does not fit (a word cut, too many lines), or undefined. */
function paletteMisfit(label, lang) {
  const lines = paletteLines(label);
  const shown = `"${label}" is shown as "${lines.join(" / ")}"`;
  const max = lang === "ja" ? 1 : MAX_PALETTE_LINES;
  if (lines.join(" ") !== label.replace(/\s+/g, " ").trim()) return `${shown}: a word is cut (a line is ${PALETTE_LABEL_PX} px wide)`;
  if (lines.length > max) return `${shown}: ${lines.length} lines, at most ${max}${lang === "ja" ? " in Japanese" : ""}`;
  return undefined;
}

module.exports = {
  LOCALES,
  LANGUAGES,
  TRANSLATIONS,
  SCRIPT,
  flatten,
  headings,
  helpDifferences,
  catalogueDifferences,
  spacedJapanese,
  paletteLines,
  paletteMisfit,
  textPx,
};
