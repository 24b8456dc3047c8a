"use strict";
// The broker example as shipped, on the built-in practice server: only the debug nodes become helper
// nodes to read what they would show. The other side of the call (the expert, the glasses) joins and
// leaves through the live view's admin endpoints, as the Join and Leave buttons of the Practice tab do.
const assert = require("node:assert/strict");
const x = require("../support/xassist-support");
const { helper } = x;
const { XA_DEMO } = require("../../nodes/practice-server/demo-data");
const example = require("../../examples/xassist-broker.json");

const coreNodes = [
  require("@node-red/nodes/core/common/20-inject.js"),
  require("@node-red/nodes/core/common/90-comment.js"),
  require("@node-red/nodes/core/function/15-change.js"),
];

describe("examples/xassist-broker.json", function () {
  this.timeout(60_000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  it("needs no login in the file, uses the practice server and its demo users, and explains both", () => {
    const text = JSON.stringify(example);
    assert.ok(!/"(password|username|credentials|serverURL)"\s*:/.test(text), "no login or URL in the example file");
    const server = example.find((n) => n.type === "xassist-config");
    assert.equal(server.server, "practice");
    const create = example.find((n) => n.type === "xassist-create-call");
    assert.equal(create.creatorUser, String(XA_DEMO.glasses.userDbId));
    assert.equal(create.contacts, `${XA_DEMO.expert.userId}, ${XA_DEMO.connector.userId}`);
    const { info } = example.find((n) => n.type === "comment");
    for (const words of ["Broker pattern", "(try me)", "Practice", "Join", "expert1", "glasses1", "My server"]) {
      assert.ok(info.includes(words), `the comment says "${words}"`);
    }
  });

  it("deploys, calls the expert on behalf of the glasses, and reports who joins until the call ends", async () => {
    const flow = example.map((n) => (n.type === "debug" ? { id: n.id, z: n.z, type: "helper" } : n));
    await helper.load([...x.allNodes, ...coreNodes], flow);
    const created = x.collect("xab-created");
    const events = x.collect("xab-events");
    const finished = x.collect("xab-finished");
    const errors = x.collect("xab-errors");

    helper.getNode("xab-alarm").receive({});
    const [call] = await created.count(1);
    assert.equal(call.payload.callTitle, "Machine 7: spindle overheating");
    assert.equal(call.payload.creatorContact.userId, XA_DEMO.glasses.userId);
    assert.deepEqual(
      call.payload.invitedContacts.map((c) => c.userId),
      ["expert1", "node-red"]
    );
    const { body: requests } = await helper.request().get("/cam-practice/requests").expect(200);
    const [body] = requests.requests.filter((r) => r.path === "/rtc/createCall").map((r) => JSON.parse(r.body));
    assert.equal(body.creatorUser, XA_DEMO.glasses.userDbId);
    assert.equal(body.callType, "SFU");

    await events.until((items) => items.some((m) => m.payload === "The call is now Started"));
    const act = (action, userId) => helper.request().post(`/cam-practice/xassist/calls/${call.payload.callId}/${action}`).send({ userId }).expect(200);
    await act("join", "expert1"); // the expert answers; then the glasses are rung and join
    await act("join", "glasses1");
    const { body: view } = await helper.request().get("/cam-practice/state").expect(200);
    const shown = view.xassist.calls.find((c) => (c.callId ?? c.id) === call.payload.callId);
    assert.deepEqual([...shown.presentUserIds].sort(), ["expert1", "glasses1"], "the live view shows both in the call");
    await act("leave", "expert1");
    await act("leave", "glasses1");
    const [final] = await finished.count(1);
    await events.until((items) => items.some((m) => m.payload === "The call is now Ended")); // one node hop more than "finished"

    assert.deepEqual(
      events.items.map((m) => m.payload),
      [
        "Smart Glasses (Line 3): Created",
        "The call is now Started",
        "Erika Expert: Join",
        "Smart Glasses (Line 3): Join",
        "Erika Expert: Leave",
        "Smart Glasses (Line 3): Leave",
        "Smart Glasses (Line 3): Ended",
        "The call is now Ended",
      ]
    );
    assert.equal(final.payload.reason, "ended");
    assert.equal(errors.items.length, 0);
  });
});
