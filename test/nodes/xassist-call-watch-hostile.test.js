"use strict";
// Call watch reports each event of a call once, whatever order, ids or numbering the server uses,
// and stays bounded when the server makes up new events on every poll.
const assert = require("node:assert/strict");
const http = require("node:http");
const x = require("../support/xassist-support");
const trackerModule = require("../../nodes/xassist/xassist-call-tracker");
const { helper } = x;

const CALL_ID = "3f2a8c1e-0000-4000-8000-000000000021";
const { MAX_EVENTS_PER_POLL, MAX_REMEMBERED_EVENTS } = trackerModule;

/** Answers /login with a token and each /rtc/getCallLogById with the CallLog script(poll) returns (poll counts from 1). */
function scriptedServer() {
  const state = { script: () => null, polls: 0, waiters: [] };
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      let body;
      if (req.url.startsWith("/login")) body = { token: "scripted-token", refreshToken: "scripted-refresh" };
      else if (req.url.startsWith("/rtc/getCallLogById")) body = state.script(++state.polls);
      else return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      for (const w of state.waiters.filter((w) => state.polls >= w.n)) (state.waiters.splice(state.waiters.indexOf(w), 1), w.resolve());
    });
  });
  /** Resolves once the server has answered n polls; the watch asks again only after it has handled the previous answer. */
  state.polled = (n) => new Promise((resolve) => (state.polls >= n ? resolve() : state.waiters.push({ n, resolve })));
  return new Promise((resolve) =>
    srv.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${srv.address().port}`, state, close: () => new Promise((r) => (srv.closeAllConnections(), srv.close(r))) })
    )
  );
}

const callLog = (callEvents, callStatus = "Started") => ({ callId: CALL_ID, callStatus, callTitle: "pump", callEvents });
const contact = (userId) => ({ userId, displayName: `User ${userId}` });

describe("xassist-call-watch: each event once, and bounded", function () {
  let server;
  let trackers;
  const OriginalTracker = trackerModule.CallTracker;

  before(async () => (server = await scriptedServer()));
  after(() => server.close());
  beforeEach(() => {
    server.state.polls = 0;
    trackers = [];
  });
  afterEach(async () => {
    await helper.unload();
    trackerModule.CallTracker = OriginalTracker;
  });

  /** Records the trackers the node makes, optionally with a lower per-watch limit so that a test needs few polls. */
  function useTrackers(limits) {
    trackerModule.CallTracker = class extends OriginalTracker {
      constructor() {
        super(limits);
        trackers.push(this);
      }
    };
  }

  async function watch(script) {
    server.state.script = script;
    const flow = x.xassistFlow("xassist-call-watch", { interval: 0.5, timeout: 0 }, { url: server.url, outputs: 2 });
    await helper.load(x.allNodes, flow, { server: { username: "u", password: "p" } });
    const n1 = helper.getNode("n1");
    const seen = { events: x.collect("out"), final: x.collect("final"), errors: x.collect("err"), warnings: [], statuses: [] };
    n1.on("call:warn", (call) => seen.warnings.push(call.args[0]));
    n1.on("call:status", (call) => seen.statuses.push(call.args[0]));
    n1.receive({ _msgid: "w", payload: CALL_ID });
    return seen;
  }

  /** Stops the watch once the server has answered n polls and the watch has handled them all. */
  async function stopAfter(n, seen) {
    await server.state.polled(n + 1);
    helper.getNode("n1").receive({ _msgid: "stop", payload: CALL_ID, stop: true });
    await seen.final.count(1);
    assert.deepEqual(seen.errors.items, []);
  }

  const eventMessages = (seen) => seen.events.items.filter((m) => m.topic !== "status");

  it("reports a Leave that reuses the id of its Join as an event of its own", async () => {
    const created = { id: 1, type: "Created", contact: contact("glasses") };
    const join = { id: 7, type: "Join", contact: contact("expert") };
    const leave = { id: 7, type: "Leave", contact: contact("expert") };
    const seen = await watch((poll) => callLog(poll === 1 ? [created, join] : [created, join, leave]));
    await stopAfter(3, seen);
    assert.deepEqual(
      eventMessages(seen).map((m) => [m.topic, m.payload.eventId]),
      [
        ["Created", 1],
        ["Join", 7],
        ["Leave", 7],
      ]
    );
    assert.equal(seen.final.items[0].payload.events, 3);
  });

  it("reports each event without an id once, when the server reorders them or inserts newer ones first", async () => {
    const [a, b, c, d] = ["a", "b", "c", "d"].map((u) => ({ type: "Join", contact: contact(u) }));
    const twin = { type: "Join", contact: contact("a") };
    const polls = [
      [a, b, c],
      [c, b, a],
      [d, c, b, a],
      [a, twin, b, c, d],
    ];
    const seen = await watch((poll) => callLog(polls[Math.min(poll, polls.length) - 1]));
    await stopAfter(polls.length + 1, seen);
    assert.deepEqual(
      eventMessages(seen).map((m) => m.payload.contact.userId),
      ["a", "b", "c", "d", "a"],
      "a, b, c and d once each, then the second identical event of a as an event of its own"
    );
  });

  // The server numbers its 500 events afresh on each poll: id = poll * 1000 + position.
  const renumbered = (callStatus) => (poll) =>
    callLog(
      Array.from({ length: 500 }, (_, i) => ({ id: poll * 1000 + i, type: "Join", contact: contact(`u${i}`) })),
      callStatus(poll)
    );
  /** The event messages in groups by the poll whose answer held them, in order. */
  function byPoll(messages) {
    const groups = new Map();
    for (const m of messages) {
      const poll = Math.floor(m.payload.eventId / 1000);
      groups.set(poll, [...(groups.get(poll) ?? []), m]);
    }
    return [...groups.values()];
  }

  it("reports at most the per-poll limit of new events on each poll from a server that renumbers them, with one warning", async () => {
    useTrackers();
    const seen = await watch(renumbered(() => "Started"));
    await stopAfter(3, seen);
    const groups = byPoll(eventMessages(seen));
    assert.ok(groups.length >= 3, `${groups.length} polls handled`);
    for (const group of groups) {
      assert.deepEqual(
        group.map((m) => m.payload.eventId % 1000),
        Array.from({ length: MAX_EVENTS_PER_POLL }, (_, i) => i),
        "the oldest new events of that poll, up to the limit"
      );
    }
    const reported = eventMessages(seen).length;
    assert.equal(trackers.length, 1);
    assert.equal(trackers[0].remembered, reported, "remembers what it reported, nothing more");
    assert.ok(reported <= MAX_REMEMBERED_EVENTS);
    assert.equal(seen.final.items[0].payload.events, reported);
    assert.deepEqual(seen.warnings, [`Call ${CALL_ID}: more than ${MAX_EVENTS_PER_POLL} new events in one check; the others follow at the next checks.`]);
    assert.ok(seen.statuses.some((s) => s.fill === "yellow" && s.text === "event limit reached, watching 1"));
  });

  it("stops remembering and reporting events at the per-watch limit, and still follows the call until it ends", async () => {
    const perWatch = 2 * MAX_EVENTS_PER_POLL + 50;
    useTrackers({ perPoll: MAX_EVENTS_PER_POLL, perWatch });
    const seen = await watch(renumbered((poll) => (poll >= 6 ? "Ended" : "Started")));
    await seen.final.count(1);
    assert.deepEqual(seen.errors.items, []);
    assert.deepEqual(
      byPoll(eventMessages(seen)).map((group) => group.length),
      [MAX_EVENTS_PER_POLL, MAX_EVENTS_PER_POLL, 50]
    );
    assert.equal(trackers[0].remembered, perWatch);
    assert.deepEqual(seen.final.items[0].payload, { callId: CALL_ID, reason: "ended", callStatus: "Ended", events: perWatch });
    assert.equal(seen.final.items[0].call.events, 500, "the summary counts the events of the call log");
    assert.deepEqual(seen.warnings, [
      `Call ${CALL_ID}: more than ${MAX_EVENTS_PER_POLL} new events in one check; the others follow at the next checks.`,
      `Call ${CALL_ID}: ${perWatch} events reported, the most one watch keeps track of; further events are not reported, the watch goes on until the call ends.`,
    ]);
    assert.ok(seen.statuses.some((s) => s.fill === "yellow" && s.text === "event limit reached, watching 1"));
  });
});
