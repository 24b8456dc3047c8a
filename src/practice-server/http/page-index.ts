// The read-only page at "/": what arrived, updated live from /_practice/events.
export const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Chat&amp;Messenger practice server</title>
<style>
:root{--bg:#f4f6f9;--card:#fff;--ink:#1d2733;--muted:#6b7a8c;--line:#e2e7ee;--accent:#1f6feb;--warn:#b35900;--ok:#1a7f37}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,"Noto Sans CJK JP","Noto Sans",sans-serif;background:var(--bg);color:var(--ink)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;padding:.8rem 1.2rem;background:#15263b;color:#fff}
header h1{font-size:1.1rem;margin:0}header .meta{color:#b9c7d8;font-size:.85rem}
#live{margin-left:auto;font-size:.8rem;color:#9fe0b0}#live.off{color:#f2b8a0}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;padding:1rem 1.2rem;align-items:start}
@media (max-width:900px){main{grid-template-columns:1fr}}
section>h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:.2rem 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;margin-bottom:.8rem;overflow:hidden}
.card h3{margin:0;padding:.5rem .8rem;font-size:.95rem;border-bottom:1px solid var(--line);display:flex;gap:.6rem;align-items:baseline}
.card h3 small{color:var(--muted);font-weight:400}.empty{color:var(--muted);padding:.5rem .8rem;font-size:.85rem}
.msg{padding:.45rem .8rem;border-top:1px solid var(--line)}.msg:first-of-type{border-top:0}
.msg .head{font-size:.78rem;color:var(--muted);display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.msg .text{white-space:pre-wrap;word-break:break-word;margin-top:.1rem}
.chip{display:inline-block;background:#e8f0fe;color:var(--accent);border-radius:10px;padding:0 .45rem;font-size:.75rem}
.badge{display:inline-block;border-radius:4px;padding:0 .35rem;font-size:.72rem;font-weight:600;border:1px solid}
.sealed{color:var(--warn);border-color:#f0c48a;background:#fff6e8}.live{color:var(--ok);border-color:#9bd3a8;background:#eefaf0}
.ended{color:var(--muted);border-color:var(--line)}.planned{color:var(--accent);border-color:#b7cff9}
.quiet{color:var(--muted)}table{width:100%;border-collapse:collapse;font-size:.85rem}td{padding:.3rem .8rem;border-top:1px solid var(--line);vertical-align:top}
td a{word-break:break-all}tr:first-child td{border-top:0}.room-name{display:inline-block;margin:.1rem 1.2rem .1rem 0}
ol.events{margin:0;padding:.3rem .8rem .5rem 2rem;font-size:.82rem}.big{font-size:1.3rem;font-weight:700}
#banner{display:none;background:#fff3cd;color:#6b4e00;padding:.4rem 1.2rem;font-size:.85rem}
</style></head>
<body>
<header><h1>Chat&amp;Messenger practice server</h1><span class="meta" id="url"></span><span class="meta" id="counts"></span><span id="live" class="off">connecting…</span></header>
<div id="banner"></div>
<main>
  <section><h2>Chat rooms</h2><div id="rooms"></div></section>
  <div>
    <section><h2>Direct messages</h2><div id="dms"></div></section>
    <section><h2>Quick calls</h2><div id="calls"></div></section>
    <section><h2>xAssist calls</h2><div id="xcalls"></div></section>
  </div>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
const count = (n, word) => n + " " + word + (n === 1 ? "" : "s");
const time = (ms) => new Date(ms).toLocaleString();
function badge(cls, text) { return el("span", "badge " + cls, text); }

function messageView(m, nameOf, isRoom) {
  const box = el("div", "msg");
  const head = el("div", "head");
  head.append(el("b", "", nameOf(m.from)), el("span", "", time(m.time)));
  if (m.sealed) head.append(badge("sealed", "sealed"));
  if (isRoom) for (const u of m.users) head.append(el("span", "chip", "@" + u));
  else head.append(el("span", "", "to " + m.users.join(", ")));
  box.append(head, el("div", "text", m.text));
  return box;
}

function card(title, note, children) {
  const c = el("div", "card"); const h = el("h3", "", title);
  if (note) h.append(el("small", "", note));
  c.append(h, ...children); return c;
}

function render(s) {
  $("url").textContent = s.url;
  $("counts").textContent = count(s.requestsTotal, "API request");
  const banner = [];
  if (s.maintenance) banner.push("Maintenance mode: every Chat&Messenger call answers 503.");
  if (s.faults.length) banner.push(s.faults.length + " fault(s) pending.");
  $("banner").textContent = banner.join(" "); $("banner").style.display = banner.length ? "block" : "none";
  const names = new Map(s.users.map((u) => [u.email, u.name]));
  const nameOf = (email) => names.has(email) ? names.get(email) + " <" + email + ">" : email;

  const rooms = s.rooms.slice().sort((a, b) => (b.messages.at(-1)?.time ?? 0) - (a.messages.at(-1)?.time ?? 0));
  const roomNote = (r) => count(r.members.length, "member") + (r.isPublic ? "" : " · private") + (r.locked ? " · locked" : "");
  const active = rooms.filter((r) => r.messages.length), quiet = rooms.filter((r) => !r.messages.length);
  const quietList = el("div", "empty");
  quietList.append(...quiet.map((r) => { const s = el("span", "room-name"); s.append(el("b", "", r.name), " " + roomNote(r)); return s; }));
  $("rooms").replaceChildren(...active.map((r) => card(r.name, roomNote(r) + " · " + count(r.messageCount, "message"),
    r.messages.slice().reverse().map((m) => messageView(m, nameOf, true)))),
    ...(quiet.length ? [card(active.length ? "Rooms without messages" : "No messages in any room yet", "", [quietList])] : []));

  $("dms").replaceChildren(...(s.directMessages.length ? s.directMessages.map((d) => card(d.name, d.email + " · " + count(d.messageCount, "message"),
    d.messages.slice().reverse().map((m) => messageView(m, nameOf, false)))) : [el("div", "card empty", "No direct messages yet")]));

  $("calls").replaceChildren(...(s.quickCalls.length ? s.quickCalls.slice().reverse().map((c) => {
    const t = el("table"); const row = (k, v) => { const tr = el("tr"); tr.append(el("td", "quiet", k), v instanceof Node ? (() => { const td = el("td"); td.append(v); return td; })() : el("td", "", v)); t.append(tr); };
    const link = el("a", "", c.sid); link.href = c.url; link.target = "_blank";
    row("Participants", el("span", "big", String(c.participants)));
    if (c.participantNames.length) row("Who", c.participantNames.join(", "));
    row("Id", link); row("Expires", time(c.expiredDate)); row("Password", c.hasPassword ? "yes" : "no");
    return card(c.title || "(no title)", "", [t]);
  }) : [el("div", "card empty", "No quick calls yet")]));

  $("xcalls").replaceChildren(...(s.xassist.calls.length ? s.xassist.calls.slice().reverse().map((c) => {
    const h = card(c.callTitle || "(no title)", "#" + c.id + " · " + c.callType + " · " + c.present + " in call", []);
    h.querySelector("h3").append(badge(c.callStatus === "Started" ? "live" : c.callStatus === "Ended" ? "ended" : "planned", c.callStatus));
    const invited = el("div", "empty", "Creator " + c.creatorContact.displayName + " · invited " + (c.invitedContacts.map((x) => x.displayName).concat(c.invitedTeams.map((t) => "team " + t.name)).join(", ") || "nobody"));
    const ol = el("ol", "events");
    for (const e of c.callEvents) ol.append(el("li", "", e.type + " · " + (e.contact.displayName || e.contact.userId || "guest") + " · " + time(e.timestamp)));
    h.append(invited, ol); return h;
  }) : [el("div", "card empty", "No xAssist calls yet")]));
}

let loading = false, again = false;
async function refresh() {
  if (loading) { again = true; return; }
  loading = true;
  try { render(await (await fetch("/_practice/state", { cache: "no-store" })).json()); }
  catch (e) { $("live").textContent = "cannot reach the practice server"; }
  finally { loading = false; if (again) { again = false; refresh(); } }
}
const es = new EventSource("/_practice/events");
es.addEventListener("hello", () => { $("live").textContent = "live"; $("live").className = ""; refresh(); });
es.addEventListener("changed", refresh);
es.onerror = () => { $("live").textContent = "reconnecting…"; $("live").className = "off"; };
refresh();
</script>
</body></html>
`;
