"use strict";
// The client on its own, for what the node path asks of it on close: abort a request, stop waiting.
const assert = require("node:assert/strict");
const x = require("../support/xassist-support");
const { XassistClient } = require("../../nodes/xassist/xassist-client");
const { xassistOptions } = require("../../nodes/xassist/xassist-settings");
const { CallScope } = require("../../nodes/core/transport/call-scope");

describe("xassist client", function () {
  let practiceServer;
  let client;
  before(async () => (practiceServer = await x.startPracticeServer()));
  after(() => practiceServer.close());
  beforeEach(() => {
    const { username, password, domain } = practiceServer.xassist;
    client = new XassistClient(xassistOptions({ serverURL: practiceServer.url, domain }, { username, password }));
  });
  afterEach(async () => {
    await client.close();
    await x.resetPracticeServer(practiceServer);
  });

  const getLog = (hooks) => client.call({ method: "GET", path: "/rtc/getCallLogById", query: { callId: "x" } }, hooks);

  it("aborts a request on the wire when the node's scope aborts its running calls, without retrying it", async () => {
    await x.control(practiceServer, "POST", "faults", { kind: "delay", delayMs: 5000, apiName: "rtc/getCallLogById" });
    const scope = new CallScope();
    const pending = getLog({ scope });
    while ((await x.recorded(practiceServer)).length < 2) await x.sleep(20); // login, then the request arrives
    scope.abortRunning();
    await assert.rejects(pending, (err) => err.code === "MAYBE_DELIVERED");
    assert.deepEqual(
      (await x.paths(practiceServer)).map((p) => p.split(" ")[1]),
      ["/login", "/rtc/getCallLogById"]
    );
  });

  it("stops waiting for a retry when told to, with CLOSED and no further attempt", async () => {
    await x.control(practiceServer, "POST", "faults", { kind: "http503", count: 5, apiName: "rtc/getCallLogById" });
    const scope = new CallScope();
    await assert.rejects(getLog({ scope, onRetry: () => scope.stopWaiting() }), (err) => err.code === "CLOSED");
    const statuses = (await x.recorded(practiceServer)).filter((r) => r.path === "/rtc/getCallLogById").map((r) => r.outcome.httpStatus);
    assert.deepEqual(statuses, [503]);
  });

  it("queues calls beyond its connections and fails at once with QUEUE_FULL when the queue is full", async () => {
    await client.close();
    const { username, password, domain } = practiceServer.xassist;
    client = new XassistClient({ ...xassistOptions({ serverURL: practiceServer.url, domain }, { username, password }), connections: 1, queueLimit: 2 });
    await x.control(practiceServer, "POST", "faults", { kind: "delay", delayMs: 100, count: 3, apiName: "rtc/getCallLogById" });
    const outcomes = Array.from({ length: 5 }, () =>
      getLog().then(
        () => "answered",
        (err) => err.code
      )
    );
    const settled = await Promise.all(outcomes);
    assert.deepEqual(settled.filter((o) => o === "QUEUE_FULL").length, 2, settled.join());
    assert.equal((await x.recorded(practiceServer)).filter((r) => r.path === "/rtc/getCallLogById").length, 3, "the three others reached the server");
  });

  it("fails fast with CLOSED once closed, and wakes a pending retry", async () => {
    await x.control(practiceServer, "POST", "faults", { kind: "http503", count: 5, apiName: "rtc/getCallLogById" });
    let retry;
    const waiting = new Promise((resolve) => (retry = resolve));
    const outcome = getLog({ onRetry: retry }).then(
      () => null,
      (err) => err
    );
    await waiting;
    await client.close();
    assert.equal((await outcome).code, "CLOSED");
    const statuses = (await x.recorded(practiceServer)).filter((r) => r.path === "/rtc/getCallLogById").map((r) => r.outcome.httpStatus);
    assert.deepEqual(statuses, [503], "no attempt after close");
    await assert.rejects(getLog(), (err) => err.code === "CLOSED");
  });
});
