"use strict";
const assert = require("node:assert/strict");
const { camTestBed, formOf, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");

// uids of the practice server's demo users (the manual's updateChatRoom sample)
const ADMIN = "11u1pu9d32p8vuvjoZdd";
const USER1 = "1lmn7hoh3s1ja26fsazw";
const USER2 = "hhx10sfdv1jyou4la1ny";
const SECRET_ROOM = "1564831284702237059";
const LOCKED_ROOM = "1564831284700000008";

describe("cam-update-chat-room", function () {
  const bed = camTestBed("cam-update-chat-room");

  async function sentRoom() {
    const requests = await bed.recorded();
    assert.equal(requests.length, 1);
    assertApiRequest(requests[0], { token: bed.practiceServer.tokens.admin, path: "/updateChatRoom" });
    const form = formOf(requests[0]);
    assert.deepEqual(
      form.map(([name]) => name),
      ["chatRoom"]
    );
    return JSON.parse(form[0][1]);
  }

  it("creates a room when there is no id, with members from an array", async () => {
    await bed.load();
    const msg = await bed.ok({
      topic: "keep",
      payload: { name: "Line 3 & 4", createUserId: ADMIN, adminUserId: USER1, isPublic: false, isMessageThread: "true", memberUids: [USER1, USER2] },
    });
    assert.deepEqual(await sentRoom(), {
      name: "Line 3 & 4",
      createUserId: ADMIN,
      adminUserId: USER1,
      isPublic: false,
      isMessageThread: true,
      memberUids: { [USER1]: true, [USER2]: true },
    });
    assert.equal(msg.topic, "keep");
    assert.match(msg.payload.id, /^\d+$/);
    assert.equal(msg.payload.name, "Line 3 & 4");
    assert.deepEqual(msg.payload.memberUids, { [USER1]: true, [USER2]: true });
    assert.equal(msg.payload.isPublic, false);
  });

  it("treats a blank id as a new room", async () => {
    await bed.load();
    await bed.ok({ payload: { id: "", name: "Fresh" } });
    assert.deepEqual(await sentRoom(), { name: "Fresh" });
  });

  it("updates the room with the given id, members as the API's object", async () => {
    await bed.load();
    const msg = await bed.ok({ payload: { id: SECRET_ROOM, name: "秘密会議 2", memberUids: { [ADMIN]: true, [USER1]: true, [USER2]: false } } });
    assert.deepEqual(await sentRoom(), { id: SECRET_ROOM, name: "秘密会議 2", memberUids: { [ADMIN]: true, [USER1]: true, [USER2]: false } });
    assert.equal(msg.payload.id, SECRET_ROOM);
    assert.equal(msg.payload.name, "秘密会議 2");
    assert.deepEqual(msg.payload.memberUids, { [ADMIN]: true, [USER1]: true });
  });

  it("takes the room as JSON text, and only the members when that is all that changes", async () => {
    await bed.load({ chatRoom: JSON.stringify({ id: SECRET_ROOM, memberUids: [ADMIN] }), chatRoomType: "json" });
    const msg = await bed.ok({ payload: "ignored" });
    assert.deepEqual(await sentRoom(), { id: SECRET_ROOM, memberUids: { [ADMIN]: true } });
    assert.equal(msg.payload.name, "秘密会議");
  });

  for (const [name, payload, code] of [
    ["an unknown room id as 405", { id: "42", name: "x" }, "405"],
    ["a locked room as 406", { id: LOCKED_ROOM, name: "x" }, "406"],
    ["an unknown member as 452", { name: "With a ghost", memberUids: ["no-such-uid"] }, "452"],
    ["a duplicate room name as 400", { name: "general" }, "400"],
  ]) {
    it(`reports ${name}`, async () => {
      await bed.load();
      const error = await bed.fail({ payload });
      assert.equal(error.code, code);
      assert.match(error.message, new RegExp(`^Chat&Messenger error ${code}: `));
    });
  }

  transportErrorTests(bed, { apiName: "updateChatRoom", msg: () => ({ payload: { id: SECRET_ROOM, isPublic: false } }) });

  inputErrorTests(bed, [
    ["no room", {}, {}, "chatRoom", "notObject"],
    ["text that is no JSON", {}, { payload: "{name:" }, "chatRoom", "json"],
    ["an array", {}, { payload: [{ name: "x" }] }, "chatRoom", "notObject"],
    ["a new room without a name", {}, { payload: { isPublic: true } }, "chatRoom.name", "missing"],
    ["a name that is an object", {}, { payload: { id: SECRET_ROOM, name: { ja: "x" } } }, "chatRoom.name", "notText"],
    ["isPublic that is not a boolean", {}, { payload: { name: "x", isPublic: "maybe" } }, "chatRoom.isPublic", "notBoolean"],
    ["a member id that is not text", {}, { payload: { name: "x", memberUids: [USER1, {}] } }, "chatRoom.memberUids[1]", "notText"],
    ["a member flag that is not a boolean", {}, { payload: { name: "x", memberUids: { [USER1]: "yes" } } }, `chatRoom.memberUids.${USER1}`, "notBoolean"],
    ["an admin id that is an array", {}, { payload: { name: "x", adminUserId: [ADMIN] } }, "chatRoom.adminUserId", "notText"],
  ]);
});
