"use strict";
// The layout shows the architecture: src/core is the shared core (its node path in core/node, its
// HTTP in core/transport), src/cam and src/xassist the two APIs, src/practice-server the practice
// server (a standalone program), and src/servers the two server nodes that put them together, with
// the practice server's life inside Node-RED (the other nodes' files are made by the build from the
// tables). Imports only go downward (an API folder uses the core, never the other API; the core uses neither), and no
// module depends on itself through others, type-only imports included. The practice server is a
// program of its own, an independent other side for the nodes: of the rest of src it reads only the
// two APIs' wire contracts (src/cam/cam-apis.ts, src/xassist/xassist-apis.ts: names and paths,
// methods, form fields, admin-only, success answer shapes), so that the facts both sides must agree on
// are written once. Those two files are data: they import types only, so the practice server runs no
// client code and keeps its own behaviour (handlers, errors, the bodies it answers).
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const SRC = path.join(__dirname, "..", "..", "src");
/** The APIs' wire contracts: the only files outside its folder the practice server may import. */
const WIRE_CONTRACTS = ["cam/cam-apis.ts", "xassist/xassist-apis.ts"];
/** Which folders (or single files) each folder may import from; no file lives at the top of src. */
const ALLOWED = {
  // What the runtime and the panels' script both run (the words of a message and its preview): no Node-RED, no Node.js.
  shared: ["shared"],
  core: ["core", "shared"],
  cam: ["core", "shared", "cam"],
  xassist: ["core", "shared", "xassist"],
  "practice-server": ["practice-server", ...WIRE_CONTRACTS],
  servers: ["core", "cam", "xassist", "practice-server", "servers"],
  // The panels' script (runs in the browser): the tables' facts reach it as the module "virtual:operation-tables" that scripts/build-editor.js makes.
  editor: ["editor", "shared"],
};

const MAX_FILES_PER_FOLDER = 15;

function sources(dir = SRC) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every relative module a file names: import, import type, export … from, require(). */
function imports(file) {
  const text = fs.readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*|^import\s+)["'](\.{1,2}\/[^"']+)["']/gm)].map((m) => m[1]);
  return specs.map((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const target = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
    return { spec, target };
  });
}

/** A file's path in src/, written with "/". */
const srcPath = (file) => path.relative(SRC, file).split(path.sep).join("/");

const folderOf = (file) => {
  const rel = path.relative(SRC, file);
  return rel.includes(path.sep) ? rel.split(path.sep)[0] : ".";
};

describe("architecture (src/)", () => {
  const files = sources();
  const graph = new Map(files.map((file) => [file, imports(file)]));

  it("has only the known folders", () => {
    assert.deepEqual(
      [...new Set(files.map(folderOf))].filter((f) => !(f in ALLOWED)),
      []
    );
  });

  it("keeps every folder small enough to take in: at most 15 files directly in it", () => {
    const crowded = [];
    const visit = (dir) => {
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      const count = entries.filter((entry) => entry.isFile()).length;
      if (count > MAX_FILES_PER_FOLDER) crowded.push(`${path.relative(SRC, dir) || "src"}: ${count} files`);
      for (const entry of entries) if (entry.isDirectory()) visit(path.join(dir, entry.name));
    };
    visit(SRC);
    assert.deepEqual(crowded, [], "group the files of a crowded folder by what they are for");
  });

  it("resolves every relative import to a source file inside src/", () => {
    const broken = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) if (!dep.target) broken.push(`${path.relative(SRC, file)} → ${dep.spec}`);
    }
    assert.deepEqual(broken, []);
  });

  it("imports only downward: the API folders use the core, never each other; the core uses neither", () => {
    const wrong = [];
    for (const [file, deps] of graph) {
      const from = folderOf(file);
      for (const { target } of deps) {
        if (target && !ALLOWED[from].some((allowed) => allowed === folderOf(target) || allowed === srcPath(target)))
          wrong.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    assert.deepEqual(wrong, [], "see docs/adding-an-api.md for where code belongs");
  });

  it("keeps the wire contracts data: they import types only, so the practice server runs no client code", () => {
    const valueImports = WIRE_CONTRACTS.flatMap((file) => {
      const text = fs.readFileSync(path.join(SRC, file), "utf8");
      return [...text.matchAll(/^(?:import|export)\b(?!\s+type\b)[^;]*\bfrom\s+["'][^"']+["']|^import\s+["']|\brequire\(|\bimport\(/gm)].map(
        (m) => `${file}: ${m[0]}`
      );
    });
    assert.deepEqual(valueImports, []);
  });

  it("has no import cycle, type-only imports included", () => {
    const state = new Map();
    const cycles = [];
    const visit = (file, trail) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(" → "));
        return;
      }
      state.set(file, "open");
      for (const { target } of graph.get(file) ?? []) if (target) visit(target, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });
});
