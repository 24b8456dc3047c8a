"use strict";
// Reads a .cpuprofile (node --cpu-prof) and prints where the time went: top functions by self
// time and by file/package.  node scripts/bench/profile-summary.js FILE [--top 30]
const fs = require("node:fs");

const file = process.argv[2];
const top = Number(process.argv[process.argv.indexOf("--top") + 1]) || 30;
const profile = JSON.parse(fs.readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map();
const places = new Map();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const key = `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "~/").replace(/^file:\/\//, "")}:${lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const place = !url
    ? functionName
    : (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith("node:") ? "node core" : url.replace(/^.*\/work\/main\//, "")));
  places.set(place, (places.get(place) ?? 0) + us);
}
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
/** --callers NAME: the call stacks (3 frames up) under which NAME spends its self time. */
const callersOf = process.argv.includes("--callers") ? process.argv[process.argv.indexOf("--callers") + 1] : undefined;
const frame = (id) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  return `${functionName || "(anonymous)"}@${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
};
const stacks = new Map();
if (callersOf) {
  for (const [id, us] of self) {
    if (byId.get(id).callFrame.functionName !== callersOf) continue;
    const chain = [];
    for (let p = parent.get(id); p !== undefined && chain.length < 4; p = parent.get(p)) chain.push(frame(p));
    const key = chain.join(" < ");
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
}
const show = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([k, us]) => console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`));
console.log(`total ${(total / 1000).toFixed(0)} ms sampled\n-- by place`);
show(places, 25);
console.log("-- by function (self)");
show(fns, top);
/** --inclusive a,b,c: time of samples with that function anywhere on the stack. */
const inclusive = process.argv.includes("--inclusive") ? process.argv[process.argv.indexOf("--inclusive") + 1].split(",") : [];
if (inclusive.length) {
  console.log("-- inclusive");
  for (const name of inclusive) {
    let us = 0;
    for (const [id, t] of self) {
      for (let p = id; p !== undefined; p = parent.get(p)) {
        const f = byId.get(p).callFrame;
        if (`${f.functionName}@${f.url.split("/").pop()}` === name || f.functionName === name) {
          us += t;
          break;
        }
      }
    }
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  }
}
if (callersOf) {
  console.log(`-- ${callersOf} called from`);
  show(stacks, 15);
}
