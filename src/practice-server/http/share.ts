// /share/{sid}: the quick-call page. A visitor counts as a participant for as long as the page's
// presence stream (/share/{sid}/presence, server-sent events) is open.
import type { IncomingMessage, ServerResponse } from "node:http";
import { findQuickCall } from "../cam/cam-calls";
import { escapeHtml, sendHtml } from "./http-util";
import type { PracticeState } from "../state";
import type { QuickCall } from "../types";

export class SharePresence {
  private streams = new Map<string, Set<ServerResponse>>();

  constructor(private state: PracticeState) {}

  /** after any change of a call's participants */
  notify(sid: string): void {
    const set = this.streams.get(sid);
    if (!set) return;
    const call = findQuickCall(this.state, sid);
    const text = `event: participants\ndata: ${JSON.stringify({ participants: call?.participants.length ?? 0 })}\n\n`;
    for (const res of set) res.write(text);
  }

  open(call: QuickCall, name: string, res: ServerResponse): void {
    const participant = { id: ++this.state.data.counters.participant, name, via: "page" as const, joinedAt: this.state.now() };
    call.participants.push(participant);
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" });
    let set = this.streams.get(call.sid);
    if (!set) this.streams.set(call.sid, (set = new Set()));
    set.add(res);
    res.on("close", () => {
      set!.delete(res);
      if (set!.size === 0) this.streams.delete(call.sid);
      const index = call.participants.indexOf(participant);
      if (index >= 0) call.participants.splice(index, 1);
      this.state.changed();
      this.notify(call.sid);
    });
    this.state.changed();
    this.notify(call.sid);
  }

  close(): void {
    for (const set of this.streams.values()) for (const res of set) res.end();
    this.streams.clear();
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#10243e;color:#eef3f8;display:grid;place-items:center;min-height:100vh}
main{background:#183354;padding:2rem 2.5rem;border-radius:12px;min-width:320px;max-width:560px;box-shadow:0 8px 30px #0006}
h1{margin:0 0 .5rem;font-size:1.4rem}.muted{color:#9fb3c8;font-size:.9rem}.count{font-size:3rem;font-weight:700}
input,button{font:inherit;padding:.4rem .6rem;border-radius:6px;border:1px solid #577;margin:.2rem 0}button{background:#2d7ff9;color:#fff;border:0}
</style></head><body><main>${body}</main></body></html>`;
}

export function handleSharePage(
  state: PracticeState,
  presence: SharePresence,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
  query: URLSearchParams
): void {
  const [sid, sub] = rest.split("/");
  const call = findQuickCall(state, decodeURIComponent(sid));
  if (!call) return sendHtml(res, 404, page("Not found", "<h1>Web conference not found</h1><p class=muted>No quick call has this id.</p>"));
  const userName = (query.get("userName") ?? "").trim() || "Guest";
  const passwordOk = call.password === "" || query.get("password") === call.password;
  const expired = state.now() >= call.expiredDate;
  if (sub === "presence") {
    if (!passwordOk || expired) return sendHtml(res, passwordOk ? 410 : 401, "");
    presence.open(call, userName, res);
    return;
  }
  const title = call.title || "Web conference";
  if (!passwordOk) {
    const wrong = query.has("password") ? "<p>Wrong password.</p>" : "";
    return sendHtml(
      res,
      401,
      page(
        title,
        `<h1>${escapeHtml(title)}</h1>${wrong}<form method=get>
<label>Name<br><input name=userName value="${escapeHtml(userName)}"></label><br>
<label>Password<br><input name=password type=password autofocus></label><br><button>Join</button></form>`
      )
    );
  }
  if (expired)
    return sendHtml(res, 410, page(title, `<h1>${escapeHtml(title)}</h1><p>This conference expired on ${new Date(call.expiredDate).toISOString()}.</p>`));
  const stream = `/share/${encodeURIComponent(call.sid)}/presence?${new URLSearchParams({ userName, password: call.password })}`;
  sendHtml(
    res,
    200,
    page(
      title,
      `<h1>${escapeHtml(title)}</h1>
<p>You are in the conference as <b>${escapeHtml(userName)}</b>.</p>
<p class=muted>Participants now</p><div class=count id=count>${call.participants.length + 1}</div>
<p class=muted id=status>connecting…</p><p class=muted>Web conference id ${escapeHtml(call.sid)}</p>
<script>
const es = new EventSource(${JSON.stringify(stream)});
es.addEventListener("participants", (e) => { document.getElementById("count").textContent = JSON.parse(e.data).participants; document.getElementById("status").textContent = "connected"; });
es.onerror = () => { document.getElementById("status").textContent = "reconnecting…"; };
addEventListener("pagehide", () => es.close());
</script>`
    )
  );
}
