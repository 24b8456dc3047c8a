"use strict";
const assert = require("node:assert/strict");
const { camTestBed, assertApiRequest, transportErrorTests } = require("../support/cam-support");

describe("cam-conference-rooms", function () {
  const bed = camTestBed("cam-conference-rooms");

  for (const [api, props] of [
    ["getConferenceMaster", {}],
    ["getConferenceMaster", { api: "getConferenceMaster" }],
    ["getConferenceRooms", { api: "getConferenceRooms" }],
  ]) {
    it(`lists the meeting rooms with a bare GET /${api}${props.api ? "" : " by default"}`, async () => {
      await bed.load(props);
      const msg = await bed.ok({ payload: "anything", topic: "keep" });
      const requests = await bed.recorded();
      assert.equal(requests.length, 1);
      assertApiRequest(requests[0], { token: bed.practiceServer.tokens.admin, method: "GET", path: `/${api}`, form: false });
      assert.equal(requests[0].body, "");
      assert.equal(requests[0].headers["content-type"], undefined);
      assert.equal(msg.topic, "keep");
      assert.deepEqual(
        msg.payload.map((room) => room.name),
        ["会議室A", "会議室B", "Board Room", "Focus Booth"]
      );
      assert.deepEqual(msg.payload[0], { id: "cr-1", name: "会議室A", capacity: 8, location: "3F" });
    });
  }

  it("works with the non-administrator's token too", async () => {
    await bed.load({}, { token: bed.practiceServer.tokens.user });
    const msg = await bed.ok({});
    assert.equal(msg.payload.length, 4);
  });

  transportErrorTests(bed, { readOnly: true, full: true, apiName: "getConferenceMaster", msg: () => ({}) });
});
