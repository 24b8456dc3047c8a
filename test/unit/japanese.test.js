"use strict";
// Native Japanese: no space between two Japanese characters in the ja help and catalogues. A source
// line break inside a sentence counts: Chromium shows a line break between two Japanese characters
// as a space ("この設定を 選択し"), so the text is checked as the browser lays it out.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const JA = path.join(__dirname, "..", "..", "nodes", "locales", "ja");

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

/** Every string leaf of a catalogue, with its key. */
function* texts(obj, prefix = "") {
  for (const [key, value] of Object.entries(obj)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object") yield* texts(value, full);
    else if (typeof value === "string") yield [full, value];
  }
}

describe("Japanese: no space between two Japanese characters", function () {
  it("the check sees what Chromium shows as a space, and nothing else", () => {
    // a line break inside a sentence, also next to an inline tag, and a plain space around punctuation
    assert.equal(spacedJapanese("<p>この設定を\n    選択します。</p>").length, 1);
    assert.equal(spacedJapanese("<p>この設定を\n    <b>選択</b>します。</p>").length, 1);
    assert.equal(spacedJapanese("<p>ノードを <i>通話ログ</i> ノードに</p>").length, 2);
    assert.equal(spacedJapanese("会議 、ルーム").length, 1);
    assert.equal(spacedJapanese("（会議） 。").length, 1);
    assert.equal(spacedJapanese("会議&nbsp;ルーム").length, 1);
    // not a space on screen: between paragraphs or list items, a real line break in <pre>, next to Latin text
    assert.deepEqual(spacedJapanese("<p>終わり。</p>\n  <p>始まり。</p>"), []);
    assert.deepEqual(spacedJapanese("<li>一つ目</li>\n<li>二つ目</li>"), []);
    assert.deepEqual(spacedJapanese("<pre>一行目\n二行目</pre>"), []);
    assert.deepEqual(spacedJapanese("通話 ID を\n  <code>msg.callId</code> に"), []);
  });

  const files = fs.readdirSync(JA).sort();

  for (const file of files.filter((f) => f.endsWith(".html"))) {
    it(`ja/${file}`, () => {
      assert.deepEqual(spacedJapanese(fs.readFileSync(path.join(JA, file), "utf8")), []);
    });
  }

  for (const file of files.filter((f) => f.endsWith(".json"))) {
    it(`ja/${file}`, () => {
      const catalogue = JSON.parse(fs.readFileSync(path.join(JA, file), "utf8"));
      const found = [];
      for (const [key, text] of texts(catalogue)) for (const place of spacedJapanese(text)) found.push(`${key}: ${place}`);
      assert.deepEqual(found, []);
    });
  }
});
