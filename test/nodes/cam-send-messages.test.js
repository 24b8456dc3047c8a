"use strict";
const assert = require("node:assert/strict");
const { camTestBed, formOf, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");

/** The manual's messages.json, as `curl -d @messages.json` would read it: with its trailing comma. */
const MANUAL_FILE = `messages=[
 {"message":"こんにちは 1","property":{"users":"user1@test.com,user2@test.com"}},
 {"message":"こんにちは 2","property":{"users":"user1@test.com,user2@test.com"}},
 {"message":"こんにちは 3","property":{"users":"user1@test.com,user2@test.com"}},
 {"message":"こんにちは 4","property":{"users":"user1@test.com,user2@test.com"}},
]`;

const sentItems = (req) => JSON.parse(new URLSearchParams(req.body).get("messages"));

describe("cam-send-messages", function () {
  const bed = camTestBed("cam-send-messages");

  it("sends direct and room items in one documented request", async () => {
    await bed.load();
    const msg = await bed.ok({
      topic: "keep",
      payload: [
        { message: "to two & more + text", users: ["user1@xxx.com", "user2@xxx.com"] },
        { message: "documented item", property: { users: "user1@test.com, user2@test.com" } },
        { send: "ルーム名", message: "room item\nsecond line" },
        { room: "test", message: "room shorthand" },
      ],
    });
    assert.deepEqual(msg.payload, { count: 4, batches: [{ from: 0, size: 4, ok: true, count: 4 }] });
    assert.equal(msg.topic, "keep");
    const requests = await bed.recorded();
    assert.equal(requests.length, 1);
    assertApiRequest(requests[0], { token: bed.practiceServer.tokens.admin, path: "/sendMessages" });
    assert.deepEqual(
      formOf(requests[0]).map(([name]) => name),
      ["messages"]
    );
    assert.deepEqual(sentItems(requests[0]), [
      { message: "to two & more + text", property: { users: "user1@xxx.com,user2@xxx.com" } },
      { message: "documented item", property: { users: "user1@test.com,user2@test.com" } },
      { send: "ルーム名", message: "room item\nsecond line" },
      { send: "test", message: "room shorthand" },
    ]);
  });

  it("accepts the manual's messages JSON text with its trailing comma", async () => {
    await bed.load();
    const msg = await bed.ok({ payload: MANUAL_FILE });
    assert.equal(msg.payload.count, 4);
    const [req] = await bed.recorded();
    assert.deepEqual(
      sentItems(req).map((item) => item.message),
      ["こんにちは 1", "こんにちは 2", "こんにちは 3", "こんにちは 4"]
    );
    assert.equal(sentItems(req)[3].property.users, "user1@test.com,user2@test.com");
  });

  it("keeps commas before brackets inside the texts of the manual's JSON", async () => {
    await bed.load();
    const text = "Status: [ok, }, ] done, ]";
    await bed.ok({ payload: `[{"message": ${JSON.stringify(text)}, "property": {"users": "user1@test.com"}},]` });
    const [req] = await bed.recorded();
    assert.equal(sentItems(req)[0].message, text);
  });

  it("takes a {message, users} shorthand with users as a comma string", async () => {
    await bed.load();
    await bed.ok({ payload: [{ message: "hi", users: "user1@xxx.com,user2@xxx.com" }] });
    const [req] = await bed.recorded();
    assert.deepEqual(sentItems(req), [{ message: "hi", property: { users: "user1@xxx.com,user2@xxx.com" } }]);
  });

  it("splits into batches of batchSize and reports each batch", async () => {
    await bed.load({ batchSize: 2 });
    const payload = [1, 2, 3, 4, 5].map((n) => ({ message: `m${n}`, users: "user1@xxx.com" }));
    const msg = await bed.ok({ payload });
    assert.deepEqual(msg.payload, {
      count: 5,
      batches: [
        { from: 0, size: 2, ok: true, count: 2 },
        { from: 2, size: 2, ok: true, count: 2 },
        { from: 4, size: 1, ok: true, count: 1 },
      ],
    });
    const requests = await bed.recorded();
    assert.deepEqual(
      requests.map((r) => sentItems(r).map((i) => i.message)),
      [["m1", "m2"], ["m3", "m4"], ["m5"]]
    );
  });

  it("reports a failing batch with msg.error.cause.batches and still sends the other batches", async () => {
    await bed.load({ batchSize: 2 });
    const payload = [
      { message: "a", users: "user1@xxx.com" },
      { message: "b", users: "user2@xxx.com" },
      { message: "c", users: "nobody@unknown.test" },
      { message: "d", users: "user1@xxx.com" },
      { message: "e", users: "user2@xxx.com" },
    ];
    const error = await bed.fail({ payload });
    assert.equal(error.code, "452");
    assert.match(error.message, /^1 of 3 batches failed\. First error: .*452/);
    assert.equal(error.cause.count, 3);
    assert.deepEqual(
      error.cause.batches.map(({ from, size, ok, code, count }) => ({ from, size, ok, code, count })),
      [
        { from: 0, size: 2, ok: true, code: undefined, count: 2 },
        { from: 2, size: 2, ok: false, code: "452", count: undefined },
        { from: 4, size: 1, ok: true, code: undefined, count: 1 },
      ]
    );
    const outcomes = (await bed.recorded()).map((r) => r.outcome.code);
    assert.deepEqual(outcomes, [null, "452", null], "all three batches went out");
  });

  it("stops after an error no other batch can escape (a wrong token), and says which batches were not sent", async () => {
    await bed.load({ batchSize: 1 }, { token: "CANARY-wrong-token-batches" });
    const payload = ["a", "b", "c"].map((message) => ({ message, users: "user1@xxx.com" }));
    const error = await bed.fail({ payload });
    assert.equal(error.code, "805");
    assert.equal(error.cause.batches.length, 1);
    assert.equal(error.cause.count, 0);
    assert.equal((await bed.recorded()).length, 1, "one request, not one per batch");
  });

  it("reports an unknown address in a self-registration domain as 451", async () => {
    await bed.load();
    const error = await bed.fail({ payload: [{ message: "hi", users: "newcomer@example.com" }] });
    assert.equal(error.code, "451");
    assert.match(error.message, /register themselves/);
  });

  it("reports an unknown room as 405", async () => {
    await bed.load();
    const error = await bed.fail({ payload: [{ send: "no such room", message: "hi" }] });
    assert.equal(error.code, "405");
  });

  transportErrorTests(bed, {
    apiName: "sendMessages",
    msg: () => ({ payload: [{ message: "hello", users: "user1@xxx.com" }] }),
  });

  inputErrorTests(bed, [
    ["a number as the messages", {}, { payload: 42 }, "messages", "notArray"],
    ["an empty array", {}, { payload: [] }, "messages", "missing"],
    ["text that is no JSON", {}, { payload: "messages=[{oops" }, "messages", "json"],
    ["an item that is no object", {}, { payload: ["hello"] }, "messages[0]", "json"],
    ["an item without text", {}, { payload: [{ message: "ok", users: "user1@xxx.com" }, { users: "user1@xxx.com" }] }, "messages[1].message", "missing"],
    ["a direct item without recipients", {}, { payload: [{ message: "hi" }] }, "messages[0].users", "noRecipients"],
    ["a recipient that is no e-mail address", {}, { payload: [{ message: "hi", users: "taro" }] }, "messages[0].users", "notEmail"],
    ["a batch size of 0", { batchSize: 0 }, { payload: [{ message: "hi", users: "user1@xxx.com" }] }, "batchSize", "range"],
    ["a batch size that is no number", { batchSize: "ten" }, { payload: [{ message: "hi", users: "user1@xxx.com" }] }, "batchSize", "range"],
  ]);
});
