// The live view of the practice server: a sidebar tab, one for both APIs, fed by the admin
// endpoints under cam-practice/ (relative URLs, so that jQuery sends the editor's login along) and
// refreshed when the runtime says "cam-practice/changed". Every server text goes in as textContent.
import { FACTS } from "./facts";

export const PRACTICE_TAB = "cam-practice";
/** How many of the newest recorded API calls the tab lists. */
const RECENT_CALLS = 8;

interface PracticeMessage {
  from: string;
  users: string[];
  text: string;
  sealed: boolean;
  time: number;
}
interface PracticeContact {
  displayName: string;
  userId: string | null;
}
interface PracticeState {
  running: boolean;
  requestsTotal: number;
  users: Array<{ email: string; name: string; admin: boolean }>;
  rooms: Array<{ name: string; messageCount: number; messages: PracticeMessage[] }>;
  directMessages: Array<{ email: string; name: string; messageCount: number; messages: PracticeMessage[] }>;
  quickCalls: Array<{ sid: string; title: string; participants: number; participantNames: string[] }>;
  xassist: {
    calls: Array<{
      callId: string;
      callTitle: string;
      callStatus: string;
      creatorContact: PracticeContact;
      invitedContacts: PracticeContact[];
      callEvents: Array<{ type: string; contact: PracticeContact; timestamp: string }>;
      presentUserIds: Array<string | null>;
    }>;
  };
}
interface PracticeRequests {
  requests: Array<{ seq: number; method: string; path: string; apiName?: string | null; outcome: { httpStatus: number | null; code: string | null } }>;
}

const PRACTICE_STYLE = `
.cam-practice { display: flex; flex-direction: column; height: 100%; }
.cam-practice-toolbar { display: flex; align-items: center; gap: 6px; }
.cam-practice-toolbar .cam-practice-summary { flex: 1; color: var(--red-ui-secondary-text-color); }
.cam-practice-body { flex: 1; overflow-y: auto; padding: 8px 10px; }
.cam-practice-body p { margin: 0 0 8px; }
.cam-practice details { margin-bottom: 10px; }
.cam-practice summary { cursor: pointer; font-weight: bold; padding: 3px 0; border-bottom: 1px solid var(--red-ui-secondary-border-color); }
.cam-practice-item { border: 1px solid var(--red-ui-secondary-border-color); background: var(--red-ui-secondary-background); border-radius: 3px; padding: 4px 6px; margin: 6px 0; }
.cam-practice-item h5 { margin: 0 0 3px; font-size: 1em; }
.cam-practice-quiet { color: var(--red-ui-secondary-text-color); font-size: 0.9em; }
.cam-practice-msg { border-top: 1px dotted var(--red-ui-secondary-border-color); padding: 3px 0; }
.cam-practice-msg:first-of-type { border-top: none; }
.cam-practice-text { white-space: pre-wrap; word-break: break-word; }
.cam-practice-chip { display: inline-block; margin: 0 3px; padding: 0 4px; border-radius: 8px; font-size: 0.85em; background: var(--red-ui-tertiary-background); }
.cam-practice-sealed { border: 1px solid var(--red-ui-text-color-warning); color: var(--red-ui-text-color-warning); }
.cam-practice-row { display: flex; align-items: center; gap: 4px; margin: 2px 0; }
.cam-practice-row > span { flex: 1; }
.cam-practice ol { margin: 2px 0 2px 18px; padding: 0; font-size: 0.9em; }
`;

/** An element with a class and a text (as text, never as HTML). */
function el(tag: string, className = "", text?: string): HTMLElement {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A button; `label` is its accessible name where the text alone is ambiguous (one "Join" per call). */
function practiceButton(text: string, onClick: () => void, icon?: string, label?: string): HTMLElement {
  const button = el("button", "red-ui-button red-ui-button-small");
  button.setAttribute("type", "button");
  if (label) button.setAttribute("aria-label", label);
  if (icon) {
    const glyph = el("i", `fa ${icon}`);
    glyph.setAttribute("aria-hidden", "true");
    button.append(glyph, " ");
  }
  button.append(text);
  button.addEventListener("click", (event) => {
    event.preventDefault();
    onClick();
  });
  return button;
}

const clock = (time: number | string) => {
  const date = new Date(time);
  return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
};

/** The xAssist call states and event types the catalogue words (cam-config.practice.callStatus, .event). */
const WORDED = { callStatus: ["Planned", "Started", "Ended"], event: ["Created", "Join", "Leave", "Ended"] };

/**
 * Adds the sidebar tab "cam-practice" once (both server panels call it when they join the palette;
 * every panel loads this script, so "once" is told by the page, not by a variable).
 */
export function practiceView(): void {
  if (document.getElementById("cam-practice-view")) return;
  const definition = RED.nodes.getType("cam-config") || RED.nodes.getType("xassist-config");
  const t: Translate = (key, params) => (definition ? definition._(`cam-config.practice.${key}`, params) : key);
  /** A call state or event type in the editor's language (docs/glossary/); one the catalogue has no word for, as the server sent it. */
  const worded = (group: keyof typeof WORDED, value: string) => (WORDED[group].includes(value) ? t(`${group}.${value}`) : value);

  const style = el("style", "", PRACTICE_STYLE);
  const content = el("div", "cam-practice");
  content.id = "cam-practice-view";
  const toolbar = el("div", "red-ui-sidebar-header cam-practice-toolbar");
  const summary = el("span", "cam-practice-summary");
  const body = el("div", "cam-practice-body");
  content.append(style, toolbar, body);
  toolbar.append(
    summary,
    practiceButton(t("refresh"), () => refresh(), "fa-refresh"),
    changeButton(
      t("reset"),
      () => {
        if (window.confirm(t("resetConfirm"))) post("reset");
      },
      "fa-undo"
    )
  );

  /** A button that changes the practice data: disabled for a login without the write permission (the server would refuse). */
  function changeButton(text: string, onClick: () => void, icon?: string, label?: string): HTMLElement {
    const button = practiceButton(text, onClick, icon, label) as HTMLButtonElement;
    if (!RED.user.hasPermission("cam-practice.write")) {
      button.disabled = true;
      button.title = t("readOnly");
    }
    return button;
  }

  /** Which sections are open, by key: kept across refreshes. */
  const open = new Map<string, boolean>();
  function section(key: string, title: string, children: Array<HTMLElement | string>, openFirst = true): HTMLElement {
    const details = el("details") as HTMLDetailsElement;
    details.open = open.get(key) ?? openFirst;
    details.addEventListener("toggle", () => open.set(key, details.open));
    details.append(el("summary", "", title), ...children);
    return details;
  }

  function post(path: string, data: Record<string, unknown> = {}): void {
    $.ajax<unknown>({ url: `cam-practice/${path}`, type: "POST", contentType: "application/json", data: JSON.stringify(data), dataType: "json" })
      .done(() => refresh())
      .fail((xhr) => RED.notify(t("failed", { error: String(xhr.responseJSON?.error ?? `${xhr.status} ${xhr.statusText}`) }), "error"));
  }

  function render(state: PracticeState, requests: PracticeRequests | undefined): void {
    if (!state.running) {
      summary.textContent = t("stopped");
      body.replaceChildren(el("p", "", t("notRunning")), el("p", "cam-practice-quiet", t("examples")));
      return;
    }
    summary.textContent = t("apiCalls", { count: state.requestsTotal });
    const names = new Map(state.users.map((u) => [u.email, u.name]));
    const nameOf = (email: string) => names.get(email) ?? email;
    const quietLine = (text: string) => el("div", "cam-practice-quiet", text);

    const message = (m: PracticeMessage, mentions: boolean) => {
      const box = el("div", "cam-practice-msg");
      const head = el("div", "cam-practice-quiet");
      head.append(el("b", "", nameOf(m.from)), ` ${clock(m.time)}`);
      if (m.sealed) head.append(el("span", "cam-practice-chip cam-practice-sealed", t("sealed")));
      if (mentions) for (const user of m.users) head.append(el("span", "cam-practice-chip", `@${nameOf(user)}`));
      box.append(head, el("div", "cam-practice-text", m.text));
      return box;
    };
    const item = (title: string, note: string, children: HTMLElement[]) => {
      const box = el("div", "cam-practice-item");
      const head = el("h5", "", title);
      if (note) head.append(" ", el("span", "cam-practice-quiet", note));
      box.append(head, ...children);
      return box;
    };
    const newest = (messages: PracticeMessage[], mentions: boolean) =>
      messages
        .slice()
        .reverse()
        .map((m) => message(m, mentions));

    const active = state.rooms.filter((r) => r.messages.length > 0);
    const quiet = state.rooms.filter((r) => r.messages.length === 0).map((r) => r.name);
    const rooms = active.map((r) => item(r.name, t("messages", { count: r.messageCount }), newest(r.messages, true)));
    if (quiet.length) rooms.push(quietLine(t(active.length ? "quietRooms" : "noMessages", { rooms: quiet.join(", ") })));

    const direct = state.directMessages.map((d) => item(t("to", { name: d.name }), t("messages", { count: d.messageCount }), newest(d.messages, false)));

    const quickCalls = state.quickCalls
      .slice()
      .reverse()
      .map((c) => {
        const row = el("div", "cam-practice-row");
        row.append(
          el("span", "", t("participants", { count: c.participants, names: c.participantNames.join(", ") || "–" })),
          changeButton(t("join"), () => post(`quickcalls/${encodeURIComponent(c.sid)}/join`), undefined, `${t("join")}: ${c.title || c.sid}`),
          changeButton(t("leave"), () => post(`quickcalls/${encodeURIComponent(c.sid)}/leave`), undefined, `${t("leave")}: ${c.title || c.sid}`)
        );
        return item(c.title || t("noTitle"), "", [row]);
      });

    const users = state.users.map((u) => {
      const row = el("div", "cam-practice-row");
      const who = el("span", "", u.name);
      who.append(" ", el("span", "cam-practice-quiet", u.email));
      row.append(who);
      if (u.admin) row.append(el("span", "cam-practice-chip", t("admin")));
      return row;
    });

    const xassistCalls = state.xassist.calls
      .slice()
      .reverse()
      .map((c) => {
        const callPath = `xassist/calls/${encodeURIComponent(c.callId)}`;
        const ended = c.callStatus === "Ended";
        const contacts = [c.creatorContact, ...c.invitedContacts];
        const present = c.presentUserIds.map((id) => contacts.find((x) => id !== null && x.userId === id)?.displayName ?? id ?? t("guest"));
        const children = [el("div", "cam-practice-quiet cam-practice-present", t("inCall", { names: present.join(", ") || t("nobody") }))];
        if (!ended) {
          // The caller too: a broker call is made on behalf of the smart glasses, which then join it.
          const joinable = new Map(contacts.filter((x) => x.userId).map((x) => [x.userId as string, x]));
          for (const [userId, contact] of joinable) {
            const inCall = c.presentUserIds.includes(userId);
            const row = el("div", "cam-practice-row");
            row.dataset.userId = userId;
            row.append(
              el("span", "", `${contact.displayName} (${userId})`),
              changeButton(
                t(inCall ? "leave" : "join"),
                () => post(`${callPath}/${inCall ? "leave" : "join"}`, { userId }),
                undefined,
                `${t(inCall ? "leave" : "join")}: ${contact.displayName}`
              )
            );
            children.push(row);
          }
          const end = el("div", "cam-practice-row");
          end.append(
            el("span"),
            changeButton(t("end"), () => post(`${callPath}/end`), "fa-stop", `${t("end")}: ${c.callTitle || c.callId}`)
          );
          children.push(end);
        }
        const events = el("ol");
        for (const e of c.callEvents)
          events.append(el("li", "", `${worded("event", e.type)} · ${e.contact.displayName || e.contact.userId || t("guest")} · ${clock(e.timestamp)}`));
        children.push(events);
        const box = item(c.callTitle || t("noTitle"), worded("callStatus", c.callStatus), children);
        box.dataset.callId = c.callId;
        box.dataset.callStatus = c.callStatus;
        return box;
      });

    const recent = (requests?.requests ?? [])
      .slice()
      .reverse()
      .map((r) => {
        const outcome = [r.outcome.httpStatus, r.outcome.code].filter((x) => x !== null && x !== undefined).join(" / ");
        return el("div", "cam-practice-row", `${r.apiName || `${r.method} ${r.path}`} · ${outcome || "…"}`);
      });

    body.replaceChildren(
      section("rooms", t("rooms"), rooms.length ? rooms : [quietLine(t("noRooms"))]),
      section("direct", t("directMessages"), direct.length ? direct : [quietLine(t("noDirectMessages"))]),
      section("quickCalls", t("quickCalls"), quickCalls.length ? quickCalls : [quietLine(t("noQuickCalls"))]),
      section("xassist", t("xassistCalls"), xassistCalls.length ? xassistCalls : [quietLine(t("noXassistCalls"))]),
      section("users", t("users"), users, false),
      section("requests", t("requests"), recent.length ? recent : [quietLine(t("noRequests"))], false)
    );
  }

  // One refresh at a time; a change announced meanwhile makes one more. A hidden tab waits until shown.
  let loading = false;
  let again = false;
  let stale = true;
  const shown = () => content.offsetParent !== null;
  function refresh(): void {
    if (!shown()) {
      stale = true;
      return;
    }
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    stale = false;
    const done = () => {
      loading = false;
      if (again) {
        again = false;
        refresh();
      }
    };
    const failed = (xhr: Failure) => {
      summary.textContent = t("loadFailed", { error: String(xhr.responseJSON?.error ?? `${xhr.status} ${xhr.statusText}`) });
      done();
    };
    $.ajax<PracticeState>({ url: "cam-practice/state", type: "GET", dataType: "json", cache: false })
      .done((state) => {
        if (!state.running) {
          render(state, undefined);
          return done();
        }
        $.ajax<PracticeRequests>({
          url: `cam-practice/requests?since=${Math.max(0, state.requestsTotal - RECENT_CALLS)}`,
          type: "GET",
          dataType: "json",
          cache: false,
        })
          .done((requests) => render(state, requests))
          .fail(() => render(state, undefined))
          .always(done);
      })
      .fail(failed);
  }

  RED.sidebar.addTab({
    id: PRACTICE_TAB,
    label: t("tab"),
    name: t("name"),
    iconClass: "fa fa-graduation-cap",
    content,
    enableOnEdit: true,
    onchange: () => setTimeout(refresh, 0), // the tab's content is shown right after this call
  });
  RED.comms.subscribe(FACTS.practiceTopic, () => refresh());
  RED.events.on("sidebar:resize", () => stale && refresh());
}
