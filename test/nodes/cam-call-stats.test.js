"use strict";
const assert = require("node:assert/strict");
const { camTestBed, formOf, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");

describe("cam-call-stats", function () {
  const bed = camTestBed("cam-call-stats");
  let call;

  /** A quick call made straight on the API, then the recorded requests forgotten. */
  beforeEach(async () => {
    const res = await fetch(`${bed.practiceServer.url}/createQuickCall`, {
      method: "POST",
      headers: { "x-cam-apiToken": bed.practiceServer.tokens.admin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ expiredDate: String(Date.now() + 3_600_000), title: "Line 3", password: "" }),
    });
    call = await res.json();
    assert.ok(call.sid);
    await bed.control("DELETE", "requests");
  });

  it("asks for the stats of the conference id in msg.payload", async () => {
    await bed.load();
    const msg = await bed.ok({ payload: call.sid, topic: "keep" });
    const [req] = await bed.recorded();
    assertApiRequest(req, { token: bed.practiceServer.tokens.admin, path: "/getCallStats" });
    assert.deepEqual(formOf(req), [["roomName", call.sid]]);
    assert.equal(msg.topic, "keep");
    assert.deepEqual(Object.keys(msg.payload).sort(), ["creationDate", "expiredDate", "inProgress", "participants", "roomName", "title"]);
    assert.equal(msg.payload.roomName, call.sid);
    assert.equal(msg.payload.title, "Line 3");
    assert.equal(msg.payload.participants, 0);
    assert.equal(msg.payload.inProgress, false);
  });

  it("counts the participants who joined", async () => {
    await bed.control("POST", `quickcalls/${call.sid}/join`, { name: "Anna" });
    await bed.control("POST", `quickcalls/${call.sid}/join`, { name: "Ben" });
    await bed.load();
    const msg = await bed.ok({ payload: call.sid });
    assert.equal(msg.payload.participants, 2);
    assert.equal(msg.payload.inProgress, true);
  });

  it("takes the create-quick-call node's output object (its sid)", async () => {
    await bed.load();
    const msg = await bed.ok({ payload: { ...call, expiredDate: 1 } });
    assert.equal(msg.payload.roomName, call.sid);
    assert.deepEqual(formOf((await bed.recorded())[0]), [["roomName", call.sid]]);
  });

  it("takes the id from another property, as configured", async () => {
    await bed.load({ roomName: "conference.id", roomNameType: "msg" });
    const msg = await bed.ok({ payload: "ignored", conference: { id: call.sid } });
    assert.equal(msg.payload.roomName, call.sid);
  });

  it("reports an unknown conference id with the server's code 405", async () => {
    await bed.load();
    const error = await bed.fail({ payload: "no-such-conference" });
    assert.equal(error.code, "405");
    assert.match(error.message, /^Chat&Messenger error 405: /);
  });

  transportErrorTests(bed, { readOnly: true, apiName: "getCallStats", msg: () => ({ payload: call.sid }) });

  inputErrorTests(bed, [
    ["a missing id", {}, {}, "roomName", "missing"],
    ["an empty id", {}, { payload: "" }, "roomName", "missing"],
    ["an array", {}, { payload: ["a"] }, "roomName", "notText"],
    ["an object without sid", {}, { payload: { title: "x" } }, "roomName", "missing"],
  ]);
});
