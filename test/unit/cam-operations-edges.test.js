"use strict";
// The Chat&Messenger operations on their own, with a fake server call: what each sends, what it makes
// of an answer, and the field and reason of what it refuses (the node tests cover the path around them).
const assert = require("node:assert/strict");
const ops = require("../../nodes/cam/cam-operations.js");
const { apiError } = require("../../nodes/cam/cam-errors.js");
const { MAX_FILE_BYTES } = require("../../nodes/core/validate.js");

/** Runs an operation against a fake server; `answer(req)` gives the response (or throws its error). */
async function run(op, values, { settings = {}, answer = () => ({ data: { status: 200 } }) } = {}) {
  const requests = [];
  const call = async (req) => {
    requests.push(req);
    return answer(req);
  };
  const outcome = await op.run({ values, settings, msg: {} }, call);
  return { outcome, requests };
}

/** The error an operation ends with (it must end with one). */
async function failure(op, values, options) {
  try {
    await run(op, values, options);
  } catch (err) {
    return err;
  }
  assert.fail("the operation succeeded");
}

/** Checks an INVALID_INPUT error's field and message. */
function assertInput(err, field, message) {
  assert.equal(err.code, "INVALID_INPUT", err.message);
  assert.equal(err.details.field, field);
  if (message instanceof RegExp) assert.match(err.message, message);
  else assert.equal(err.message, message);
}

const failWith = (code, apiMessage) => () => {
  throw apiError(code, apiMessage);
};

/** The message items of a sendMessages request. */
const itemsOf = (req) => JSON.parse(req.form.messages);
/** A sendMessages answer confirming the whole batch. */
const confirmAll = (req) => ({ data: { status: 200, count: itemsOf(req).length } });

describe("Chat&Messenger operations", function () {
  describe("an unknown address (451/452) named in the error", function () {
    const direct = (recipients) => ({ recipients, message: "hello", sealed: false, room: "" });

    it("names the one recipient there is when the server's message names no address", async () => {
      const err = await failure(ops.sendMessage, direct("anna@example.com"), { answer: failWith("452", undefined) });
      assert.equal(err.code, "452");
      assert.equal(err.message, "recipients: anna@example.com is not a Chat&Messenger user (error 452).");
      assert.equal(err.details.field, "recipients");
      assert.equal(err.details.address, "anna@example.com");
    });

    it("names no address of several recipients when the server's message names none", async () => {
      const err = await failure(ops.sendMessage, direct("anna@example.com, bob@example.com"), { answer: failWith("452", undefined) });
      assert.equal(err.code, "452");
      assert.equal(err.message, "Chat&Messenger error 452: the user is not registered.");
      assert.equal(err.details.field, undefined);
    });

    it("names the first recipient the server's message mentions, past other addresses in it", async () => {
      const err = await failure(ops.sendMessage, direct("anna@example.com, bob@example.com"), {
        answer: failWith("452", "from admin@example.com: bob@example.com is not registered"),
      });
      assert.equal(err.details.address, "bob@example.com");
      const both = await failure(ops.sendMessage, direct("anna@example.com, bob@example.com"), {
        answer: failWith("452", "anna@example.com, bob@example.com are not registered"),
      });
      assert.equal(both.details.address, "anna@example.com");
      assert.equal(both.message, "recipients: anna@example.com is not a Chat&Messenger user (error 452).");
    });

    it("names no chat room for a 405 to a direct message", async () => {
      const err = await failure(ops.sendMessage, direct("anna@example.com"), { answer: failWith("405", undefined) });
      assert.equal(err.code, "405");
      assert.equal(err.message, "Chat&Messenger error 405: the chat room does not exist.");
      assert.equal(err.details.field, undefined);
    });

    it("leaves a 451 to a chat room message without mentions as the server said it", async () => {
      const err = await failure(
        ops.sendMessage,
        { room: "general", recipients: "", message: "hello", sealed: false },
        { settings: { sendTo: "room" }, answer: failWith("451", undefined) }
      );
      assert.equal(err.code, "451");
      assert.equal(err.details.field, undefined);
    });

    it("names no item of a bulk send whose batch has several recipients and a message that names none", async () => {
      const messages = [
        { message: "one", users: "anna@example.com" },
        { message: "two", users: "bob@example.com" },
      ];
      const err = await failure(ops.sendMessages, { messages }, { answer: failWith("452", undefined) });
      assert.equal(err.code, "452");
      assert.equal(err.details.field, undefined);
      assert.match(err.message, /^1 of 1 batches failed\. First error: Chat&Messenger error 452: the user is not registered\.$/);
    });
  });

  describe("sendMessages batches", function () {
    const items = (n) => Array.from({ length: n }, (_, i) => ({ message: `m${i}`, users: "anna@example.com" }));

    it("sends one request per full batch and no empty one after them", async () => {
      const { requests, outcome } = await run(ops.sendMessages, { messages: items(4) }, { settings: { batchSize: 2 }, answer: confirmAll });
      assert.deepEqual(
        requests.map((req) => itemsOf(req).length),
        [2, 2]
      );
      assert.equal(outcome.payload.count, 4);
    });

    it("takes a confirmed count from 0 to the batch's size", async () => {
      for (const count of [0, 2]) {
        const { outcome } = await run(ops.sendMessages, { messages: items(2) }, { answer: () => ({ data: { status: 200, count } }) });
        assert.deepEqual(outcome.payload, { count, batches: [{ from: 0, size: 2, ok: true, count }] });
      }
    });

    it("calls a count the batch cannot have BAD_RESPONSE, with the count and the batch's size", async () => {
      const err = await failure(ops.sendMessages, { messages: items(2) }, { answer: () => ({ data: { status: 200, count: 3 } }) });
      assert.equal(err.code, "BAD_RESPONSE");
      assert.equal(
        err.message,
        "1 of 1 batches failed. First error: The server confirmed 3 messages for a batch of 2 (sendMessages): not a count it can have sent."
      );
      for (const count of [-1, 1.5, "2", null]) {
        const bad = await failure(ops.sendMessages, { messages: items(2) }, { answer: () => ({ data: { status: 200, count } }) });
        assert.equal(bad.code, "BAD_RESPONSE", JSON.stringify(count));
        assert.equal(bad.details.count, 0);
        assert.equal(bad.details.batches[0].ok, false);
      }
    });

    it("takes a million items and refuses more, naming the limit", async () => {
      // A million items whose first is wrong: refused for that item, not for their number.
      const million = new Array(1_000_000).fill(5);
      assertInput(await failure(ops.sendMessages, { messages: million }), "messages[0]", "messages[0]: must be an object, not number.");
      million.push(5);
      assertInput(await failure(ops.sendMessages, { messages: million }), "messages", "messages: has more than 1000000 items.");
    });

    it("treats an item sent to the panel messenger as the direct message it is", async () => {
      const { requests } = await run(ops.sendMessages, { messages: [{ send: "messenger", users: "anna@example.com", message: "hi" }] }, { answer: confirmAll });
      assert.deepEqual(itemsOf(requests[0]), [{ message: "hi", property: { users: "anna@example.com" } }]);
    });

    it("names the send field of an item with a blank room", async () => {
      assertInput(await failure(ops.sendMessages, { messages: [{ send: "  ", message: "hi" }] }), "messages[0].send", /^messages\[0\]\.send: /);
    });
  });

  describe("the manual's messages JSON text", function () {
    const send = async (text) => itemsOf((await run(ops.sendMessages, { messages: text }, { answer: confirmAll })).requests[0]);

    it("is read as the manual writes it: messages = [...], trailing commas, line breaks and indentation", async () => {
      const text = '\n  messages = [\n  {\n    "message": "a",\n    "users": "anna@example.com",\n  },\n]\n';
      assert.deepEqual(await send(text), [{ message: "a", property: { users: "anna@example.com" } }]);
    });

    it("may have a trailing comma right before the bracket", async () => {
      assert.deepEqual(await send('[{"message":"a","users":"anna@example.com"},]'), [{ message: "a", property: { users: "anna@example.com" } }]);
    });

    it("keeps messages = and ,] inside a message text, next to an escaped quote", async () => {
      const text = '[{"message":"new messages = 3","users":"anna@example.com"},{"message":"5\\" screen,]","users":"anna@example.com"},]';
      assert.deepEqual(
        (await send(text)).map((item) => item.message),
        ["new messages = 3", '5" screen,]']
      );
    });

    it("drops the trailing comma before checking the items: [5,] is refused for its item", async () => {
      assertInput(await failure(ops.sendMessages, { messages: "[5,]" }), "messages[0]", "messages[0]: must be an object, not number.");
    });

    it("is taken up to the size limit and refused beyond it, naming the limit in MB", async () => {
      assertInput(await failure(ops.sendMessages, { messages: " ".repeat(MAX_FILE_BYTES) }), "messages", "messages: is not valid JSON.");
      assertInput(await failure(ops.sendMessages, { messages: " ".repeat(MAX_FILE_BYTES + 1) }), "messages", "messages: is larger than 64 MB.");
    });
  });

  describe("createQuickCall", function () {
    it("adds the login to a conference URL that has a query with &", async () => {
      const { outcome } = await run(
        ops.createQuickCall,
        { expires: "1h", title: "", password: "", userName: "Anna" },
        { answer: () => ({ data: { sid: "abc", url: "https://chat.example.com/share/abc?lang=ja" } }) }
      );
      assert.equal(outcome.payload.joinUrl, "https://chat.example.com/share/abc?lang=ja&userName=Anna");
    });
  });

  describe("exportUsers", function () {
    const csv = { data: "email\nanna@example.com\n", contentType: "text/csv" };

    it("takes a file name of 255 characters and refuses a longer one", async () => {
      const name = "u".repeat(251) + ".csv";
      const { requests } = await run(ops.exportUsers, { path: name }, { answer: () => csv });
      assert.equal(requests[0].form.path, name);
      assertInput(await failure(ops.exportUsers, { path: "u" + name }), "path", "path: must be a plain file name.");
    });

    it("names the file as the server does, else as asked", async () => {
      const named = await run(ops.exportUsers, { path: "users.csv" }, { answer: () => ({ ...csv, filename: "export-2026.csv" }) });
      assert.equal(named.outcome.extra.filename, "export-2026.csv");
      const unnamed = await run(ops.exportUsers, { path: "users.csv" }, { answer: () => csv });
      assert.equal(unnamed.outcome.extra.filename, "users.csv");
    });
  });

  describe("updateUsers", function () {
    it("names the upload updateUsers.csv when the file name is blank", async () => {
      const { requests } = await run(ops.updateUsers, { csv: "email\nanna@example.com\n", filename: "" });
      assert.equal(requests[0].file.filename, "updateUsers.csv");
      assert.equal(requests[0].file.field, "file");
    });
  });

  describe("updateChatRoom", function () {
    const sent = async (chatRoom) => {
      const { requests } = await run(ops.updateChatRoom, { chatRoom }, { answer: () => ({ data: { chatRoom: { id: "1" } } }) });
      return JSON.parse(requests[0].form.chatRoom);
    };

    it("leaves out a blank id: the room is created by its name", async () => {
      assert.deepEqual(await sent({ id: "", name: "Team" }), { name: "Team" });
    });

    for (const key of ["id", "createUserId", "adminUserId"]) {
      it(`names chatRoom.${key} when it is not text`, async () => {
        const err = await failure(ops.updateChatRoom, { chatRoom: { name: "Team", id: "1", [key]: { uid: "x" } } });
        assertInput(err, `chatRoom.${key}`, /must be text/);
      });
    }
  });

  describe("roomStatus", function () {
    it("gives the status as the server sent it when it has no list of rooms", async () => {
      const { outcome } = await run(ops.roomStatus, { period: "20261130" }, { answer: () => ({ data: { conferenceRoomStatus: { date: "20261130" } } }) });
      assert.deepEqual(outcome.payload, { date: "20261130" });
      assert.deepEqual(outcome.extra, { period: "20261130" });
    });

    const rooms = [
      "not a room",
      { id: "r1", name: "Fuji" },
      {
        id: "r2",
        name: "Aso",
        reservedSchedules: [{ id: "b2", startDate: 2000, endDate: "later" }, "not a booking", { id: "b1", startDate: 1000, endDate: 1500 }],
      },
      { id: "r3", name: "Zao", reservedSchedules: [{ id: "b3", startDate: 1200, endDate: 1300 }] },
    ];
    const answer = () => ({ data: { conferenceRoomStatus: { conferenceRooms: rooms } } });
    const local = (ms) => ops.localIsoTime(ms);

    it("adds local times to each booking it can read and leaves the rest as they are", async () => {
      const { outcome } = await run(ops.roomStatus, { period: "20261130" }, { answer });
      assert.deepEqual(outcome.payload, [
        "not a room",
        { id: "r1", name: "Fuji" },
        {
          id: "r2",
          name: "Aso",
          reservedSchedules: [
            { id: "b2", startDate: 2000, endDate: "later", startLocal: local(2000) },
            "not a booking",
            { id: "b1", startDate: 1000, endDate: 1500, startLocal: local(1000), endLocal: local(1500) },
          ],
        },
        { id: "r3", name: "Zao", reservedSchedules: [{ id: "b3", startDate: 1200, endDate: 1300, startLocal: local(1200), endLocal: local(1300) }] },
      ]);
      assert.equal(outcome.each, undefined);
    });

    for (const shape of ["bookings", "each"]) {
      it(`gives the readable bookings of every room by start time, each with its room, as ${shape}`, async () => {
        const { outcome } = await run(ops.roomStatus, { period: "20261130" }, { answer, settings: { shape } });
        assert.deepEqual(
          outcome.payload.map((b) => [b.id, b.roomId, b.roomName]),
          [
            ["b1", "r2", "Aso"],
            ["b3", "r3", "Zao"],
            ["b2", "r2", "Aso"],
          ]
        );
        assert.equal(outcome.each, shape === "each");
      });
    }
  });

  describe("local times of bookings", function () {
    const zone = process.env.TZ;
    afterEach(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });

    const inZone = (tz, values) => {
      process.env.TZ = tz;
      return values.map(ops.localIsoTime);
    };
    // 2026-11-30T09:00Z as Unix ms, as digits (with blanks around them) and as date texts
    const SAME_TIME = [1796029200000, "1796029200000", " 1796029200000 ", "2026-11-30T09:00:00Z"];

    it("are written in the zone Node-RED runs in, with its offset east of UTC", () => {
      assert.deepEqual(inZone("Asia/Tokyo", SAME_TIME), Array(4).fill("2026-11-30T18:00:00+09:00"));
      assert.deepEqual(inZone("Asia/Tokyo", ["2026-11-30"]), ["2026-11-30T09:00:00+09:00"]);
    });

    it("are written with a negative offset of hours and minutes west of UTC", () => {
      assert.deepEqual(inZone("America/St_Johns", SAME_TIME), Array(4).fill("2026-11-30T05:30:00-03:30"));
    });

    it("write a year before 1000 with four digits", () => {
      assert.deepEqual(inZone("UTC", [Date.UTC(999, 0, 1, 8)]), ["0999-01-01T08:00:00+00:00"]);
    });

    it("are left out for what is no time", () => {
      assert.deepEqual(inZone("UTC", [undefined, null, "", "  ", "soon", {}, NaN]), Array(7).fill(undefined));
    });
  });
});
