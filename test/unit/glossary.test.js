"use strict";
// The glossaries of docs/glossary/ (its README says what they are for): one per language of
// nodes/locales, all naming the same concepts; in each language, no variant its glossary says to avoid
// appears in what the editor shows (every catalogue value: palette, dialogs, status, errors, the
// Practice tab; and the help, tags and code left out), and the labels that name a concept
// (docs/glossary/labels.json) use its term; the Practice tab words every xAssist call state and event
// type. A failure names the language, the concept, the file and the key or line. Static and fast:
// files only.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { LOCALES, LANGUAGES, flatten } = require("../support/locale-rules");

const ROOT = path.join(__dirname, "..", "..");
const GLOSSARY_DIR = path.join(ROOT, "docs", "glossary");
const relative = (file) => path.relative(ROOT, file).split(path.sep).join("/");
const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));

const glossaryFile = (lang) => path.join(GLOSSARY_DIR, `${lang}.json`);
const glossaryOf = (lang) => (fs.existsSync(glossaryFile(lang)) ? readJson(glossaryFile(lang)) : undefined);
/** concept → the catalogue keys ("<catalogue>:<key>") whose text names it, in every language. */
const LABELS = readJson(path.join(GLOSSARY_DIR, "labels.json"));

/** Texts are compared folded: lower case, one kind of apostrophe. */
const fold = (text) => text.toLowerCase().replace(/[\u2019\u02bc]/g, "'");

/** Tags inside a line of text: the words on both sides run together. Any other tag separates words. */
const INLINE = /^(a|abbr|b|cite|em|i|kbd|q|s|small|span|strong|sub|sup|u|var)$/i;
/**
 * What a reader reads of a catalogue text or a help file: without code and pre (identifiers and values
 * that stay as they are: <code>Ended</code>), tags and comments; entities decoded. Line breaks stay,
 * so that a place in the result has the line of the file.
 */
function readable(html) {
  const lineBreaks = (text) => text.replace(/[^\n]/g, "");
  return html
    .replace(/<!--[\s\S]*?-->/g, lineBreaks)
    .replace(/<(code|pre)\b[^>]*>[\s\S]*?<\/\1>/gi, (m) => ` ${lineBreaks(m)}`)
    .replace(/<\/?([a-zA-Z][\w-]*)[^>]*>/g, (m, name) => (INLINE.test(name) ? "" : " ") + lineBreaks(m))
    .replace(/&(nbsp|#160);/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&(#39|apos);/g, "'")
    .replace(/&amp;/g, "&");
}

/**
 * The text with its runs of white space as one space (`shown`), the same folded (`folded`, to search),
 * and for each of its characters the line it came from.
 */
function searchable(text) {
  let shown = "";
  const lines = [];
  let line = 1;
  for (const ch of text) {
    if (/\s/.test(ch)) {
      if (!shown.endsWith(" ")) {
        shown += " ";
        lines.push(line);
      }
      if (ch === "\n") line++;
      continue;
    }
    shown += ch;
    for (let i = 0; i < ch.length; i++) lines.push(line);
  }
  const folded = fold(shown);
  return { shown: folded.length === shown.length ? shown : folded, folded, lines };
}

const every = (text, word) => {
  const at = [];
  for (let i = text.indexOf(word); word && i !== -1; i = text.indexOf(word, i + 1)) at.push(i);
  return at;
};
/** A variant that starts with a Latin letter counts only at the start of a word: "fini" is not in "définie". */
const LATIN_START = /^[a-z\u00c0-\u024f]/;
const LETTER = /\p{L}/u;

/**
 * Where the variants to avoid of a concept stand in a folded text: [index, variant]. A variant inside
 * the term or one of its forms is the term ("グラス" in "スマートグラス", "Brille" in "Datenbrille").
 */
function avoidedIn(folded, concept) {
  const spans = [concept.term, ...(concept.forms ?? [])].flatMap((word) => every(folded, fold(word)).map((i) => [i, i + fold(word).length]));
  const found = [];
  for (const variant of concept.avoid) {
    const v = fold(variant);
    for (const i of every(folded, v)) {
      if (LATIN_START.test(v) && i > 0 && LETTER.test(folded[i - 1])) continue;
      if (spans.some(([start, end]) => start <= i && i + v.length <= end)) continue;
      found.push([i, variant]);
    }
  }
  return found;
}

const around = (shown, i, length) => JSON.stringify(shown.slice(Math.max(0, i - 20), i + length + 20).trim());

/** The surfaces of a language: each catalogue value (file and key) and each help file (file, by line). */
function surfaces(lang) {
  const dir = path.join(LOCALES, lang);
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (name.endsWith(".json")) {
      for (const [key, value] of Object.entries(flatten(readJson(file)))) {
        if (typeof value === "string") out.push({ file: relative(file), where: () => key, ...searchable(readable(value)) });
      }
    } else if (name.endsWith(".html")) {
      const text = searchable(readable(fs.readFileSync(file, "utf8")));
      out.push({ file: relative(file), where: (i) => `line ${text.lines[i]}`, ...text });
    }
  }
  return out;
}

/** The glossary's own problems: its language, its concepts against en-US's, the shape of each entry. */
function glossaryProblems(lang) {
  const glossary = glossaryOf(lang);
  const file = relative(glossaryFile(lang));
  if (!glossary) return [`${lang}: no glossary: write ${file} (see docs/glossary/README.md)`];
  const problems = [];
  if (glossary.language !== lang) problems.push(`${lang}: ${file} says "language": ${JSON.stringify(glossary.language)}`);
  const concepts = glossary.concepts ?? {};
  const english = Object.keys(glossaryOf("en-US")?.concepts ?? {});
  for (const id of english) if (!(id in concepts)) problems.push(`${lang}: concept "${id}" is missing from ${file} (en-US has it)`);
  for (const [id, concept] of Object.entries(concepts)) {
    const at = `${lang}: concept "${id}" in ${file}`;
    if (!english.includes(id)) problems.push(`${at}: en-US has no such concept (add it there, with its meaning, first)`);
    if (lang === "en-US" && !concept.meaning) problems.push(`${at}: no "meaning" (what the concept is, for translators)`);
    if (typeof concept.term !== "string" || !concept.term.trim()) {
      problems.push(`${at}: no "term"`);
      continue;
    }
    const isList = (list) => Array.isArray(list) && list.every((x) => typeof x === "string" && x.trim());
    if (concept.forms !== undefined && !isList(concept.forms)) problems.push(`${at}: "forms" must be a list of texts`);
    if (!isList(concept.avoid) || !concept.avoid.length) {
      problems.push(`${at}: "avoid" must list the variants not to use`);
      continue;
    }
    const right = [concept.term, ...(concept.forms ?? [])].map(fold);
    for (const variant of concept.avoid) if (right.includes(fold(variant))) problems.push(`${at}: "${variant}" is both to use and to avoid`);
  }
  return problems;
}

describe("glossary: one per language, used by every surface (docs/glossary/)", function () {
  it("every language of nodes/locales has a glossary of the same concepts as en-US", () => {
    assert.deepEqual(LANGUAGES.flatMap(glossaryProblems), []);
  });

  it("labels.json maps concepts of the glossaries to catalogue keys of the form <catalogue>:<key>", () => {
    const concepts = Object.keys(glossaryOf("en-US").concepts);
    const problems = [];
    for (const [concept, keys] of Object.entries(LABELS)) {
      if (!concepts.includes(concept)) problems.push(`docs/glossary/labels.json: "${concept}" is not a concept of docs/glossary/en-US.json`);
      for (const ref of keys) if (!/^[\w-]+:[\w.-]+$/.test(ref)) problems.push(`docs/glossary/labels.json: "${concept}": "${ref}" is not <catalogue>:<key>`);
    }
    assert.deepEqual(problems, []);
  });

  for (const lang of LANGUAGES) {
    describe(lang, () => {
      it("no variant the glossary says to avoid appears in the catalogues and help", function () {
        const glossary = glossaryOf(lang);
        if (!glossary) this.skip(); // the first test names the missing glossary
        const problems = [];
        for (const surface of surfaces(lang)) {
          for (const [id, concept] of Object.entries(glossary.concepts)) {
            if (!Array.isArray(concept.avoid) || typeof concept.term !== "string") continue;
            for (const [i, variant] of avoidedIn(surface.folded, concept)) {
              problems.push(
                `${lang}: concept "${id}": ${surface.file} ${surface.where(i)} says "${variant}" (use "${concept.term}"): ${around(surface.shown, i, variant.length)}`
              );
            }
          }
        }
        assert.deepEqual(problems, []);
      });

      it("the labels that name a concept use its term", function () {
        const glossary = glossaryOf(lang);
        if (!glossary) this.skip();
        const problems = [];
        const catalogues = new Map();
        const catalogue = (name) => {
          const file = path.join(LOCALES, lang, `${name}.json`);
          if (!catalogues.has(name)) catalogues.set(name, fs.existsSync(file) ? flatten(readJson(file)) : undefined);
          return catalogues.get(name);
        };
        for (const [id, refs] of Object.entries(LABELS)) {
          const concept = glossary.concepts[id];
          if (typeof concept?.term !== "string") continue; // the first test names it
          const right = [concept.term, ...(concept.forms ?? [])];
          for (const ref of refs) {
            const [name, key] = ref.split(":");
            const file = `nodes/locales/${lang}/${name}.json`;
            const value = catalogue(name)?.[key];
            if (typeof value !== "string") {
              problems.push(`${lang}: concept "${id}": ${file} has no text ${key}`);
              continue;
            }
            const text = searchable(readable(value)).folded;
            if (!right.some((word) => text.includes(fold(word)))) {
              const also = concept.forms?.length ? ` (or ${concept.forms.map((f) => `"${f}"`).join(", ")})` : "";
              problems.push(`${lang}: concept "${id}": ${file} ${key} is ${JSON.stringify(value)}, without the term "${concept.term}"${also}`);
            }
          }
        }
        assert.deepEqual(problems, []);
      });
    });
  }

  it("the Practice tab words every xAssist call state and event type the practice server makes, in every language", () => {
    const source = (file) => fs.readFileSync(path.join(ROOT, file), "utf8");
    const quoted = (text) => [...text.matchAll(/"(\w+)"/g)].map((m) => m[1]);
    const made = {
      callStatus: quoted(/callStatus: ("\w+"(?: \| "\w+")*)/.exec(source("src/practice-server/types.ts"))?.[1] ?? ""),
      event: [...new Set([...source("src/practice-server/xassist/xassist-calls.ts").matchAll(/addEvent\(state, call, "(\w+)"/g)].map((m) => m[1]))],
    };
    assert.ok(made.callStatus.length && made.event.length, "the states and events are found in src/practice-server/ (update this test if they moved)");
    const worded = /const WORDED = \{ callStatus: \[([^\]]*)\], event: \[([^\]]*)\] \}/.exec(source("src/editor/practice-view.ts"));
    const problems = [];
    for (const [i, group] of ["callStatus", "event"].entries()) {
      const shown = quoted(worded?.[i + 1] ?? "");
      for (const value of made[group]) {
        if (!shown.includes(value)) problems.push(`src/editor/practice-view.ts: WORDED.${group} does not word "${value}"`);
        for (const lang of LANGUAGES) {
          const texts = flatten(readJson(path.join(LOCALES, lang, "cam-config.json")));
          if (typeof texts[`cam-config.practice.${group}.${value}`] !== "string") {
            problems.push(`${lang}: nodes/locales/${lang}/cam-config.json has no text cam-config.practice.${group}.${value}`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it("finds a variant outside the term only, and names its line", () => {
    const concept = { term: "スマートグラス", avoid: ["グラス"] };
    assert.deepEqual(avoidedIn(fold("スマートグラスを呼ぶ"), concept), []);
    assert.deepEqual(
      avoidedIn(fold("グラスを呼ぶ"), concept).map(([, v]) => v),
      ["グラス"]
    );
    assert.deepEqual(avoidedIn(fold("Une valeur définie"), { term: "terminé", avoid: ["fini"] }), []);
    assert.equal(avoidedIn(fold("die Konferenzraum-Reservierungen"), { term: "Buchung", avoid: ["Reservierung"] }).length, 1);
    const help = searchable(readable("<p>one\n  <code>glasses</code> two\n  smart\n  glasses and the glasses</p>"));
    const found = avoidedIn(help.folded, { term: "smart glasses", avoid: ["glasses"] });
    assert.deepEqual(
      found.map(([i]) => help.lines[i]),
      [4]
    );
  });
});
