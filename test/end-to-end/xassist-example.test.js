"use strict";
// The broker example as shipped: only the server URL points at this test's sandbox and the debug
// nodes become helper nodes to read what they would show.
const assert = require("node:assert/strict");
const x = require("../support/xassist-support");
const { helper } = x;
const example = require("../../examples/xassist-broker.json");

const coreNodes = [
  require("@node-red/nodes/core/common/20-inject.js"),
  require("@node-red/nodes/core/common/90-comment.js"),
  require("@node-red/nodes/core/function/15-change.js"),
];

describe("examples/xassist-broker.json", function () {
  let sandbox;
  before(async () => (sandbox = await x.startSandbox()));
  after(() => sandbox.close());
  afterEach(() => helper.unload());

  it("needs no credentials in the file, and uses the sandbox's demo users", () => {
    const text = JSON.stringify(example);
    assert.ok(!/"(password|username|credentials)"\s*:/.test(text), "no login in the example file");
    const create = example.find((n) => n.type === "xassist-create-call");
    assert.equal(create.creatorUser, String(sandbox.xassist.glassesUserDbId));
    assert.equal(create.contacts, `${sandbox.xassist.expertUsername}, ${sandbox.xassist.username}`);
    assert.ok(example.some((n) => n.type === "comment" && n.info.includes("Broker pattern")));
  });

  it("deploys, calls the expert on behalf of the glasses, and reports the call until it ends", async () => {
    const flow = example.map((n) => {
      if (n.type === "debug") return { id: n.id, z: n.z, type: "helper" };
      if (n.type === "xassist-config") return { ...n, serverURL: sandbox.url };
      return n;
    });
    await helper.load([...x.allNodes, ...coreNodes], flow, { "xab-server": { username: "node-red", password: sandbox.xassist.password } });
    const created = x.collect("xab-created");
    const events = x.collect("xab-events");
    const finished = x.collect("xab-finished");
    const errors = x.collect("xab-errors");

    helper.getNode("xab-alarm").receive({});
    const [call] = await created.count(1);
    assert.equal(call.payload.callTitle, "Machine 7: spindle overheating");
    assert.equal(call.payload.creatorContact.userId, sandbox.xassist.glassesUsername);
    assert.deepEqual(
      call.payload.invitedContacts.map((c) => c.userId),
      ["expert1", "node-red"]
    );
    const [body] = (await x.recorded(sandbox)).filter((r) => r.path === "/rtc/createCall").map((r) => JSON.parse(r.body));
    assert.equal(body.creatorUser, sandbox.xassist.glassesUserDbId);
    assert.equal(body.callType, "SFU");

    await events.until((items) => items.some((m) => m.payload === "The call is now Started"));
    const act = (action, userId) => x.control(sandbox, "POST", `xassist/calls/${call.payload.callId}/${action}`, { userId });
    await act("join", "expert1"); // the expert answers; then the glasses are rung and join
    await act("join", "glasses1");
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
