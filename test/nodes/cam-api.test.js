"use strict";
const assert = require("node:assert/strict");
const { camTestBed, formOf, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");

describe("cam-api", function () {
  const bed = camTestBed("cam-api");

  it("posts each property of an object as a form field, objects as JSON", async () => {
    await bed.load({ apiName: "sendMessage" });
    const message = { panelName: "messenger", message: "a & b + c", isOpened: true, generalPurposes: { users: "user1@xxx.com" } };
    const msg = await bed.ok({ payload: { message }, topic: "keep" });
    assert.deepEqual(msg.payload, { status: 200 });
    assert.equal(msg.topic, "keep");
    const [req] = await bed.recorded();
    assertApiRequest(req, { token: bed.practiceServer.tokens.admin, path: "/sendMessage" });
    assert.deepEqual(formOf(req), [["message", JSON.stringify(message)]]);
  });

  it("sends text and numbers as they are", async () => {
    await bed.load({ apiName: "createQuickCall" });
    const expiredDate = Date.now() + 3_600_000;
    const msg = await bed.ok({ payload: { expiredDate, title: "Übergabe {Schicht}", password: "" } });
    const [req] = await bed.recorded();
    assert.deepEqual(formOf(req), [
      ["expiredDate", String(expiredDate)],
      ["title", "Übergabe {Schicht}"],
      ["password", ""],
    ]);
    assert.ok(msg.payload.sid);
  });

  it("leaves out undefined properties and sends null as an empty field", async () => {
    await bed.load({ apiName: "createQuickCall" });
    const expiredDate = Date.now() + 3_600_000;
    await bed.ok({ payload: { expiredDate, title: null, password: undefined } });
    assert.deepEqual(formOf((await bed.recorded())[0]), [
      ["expiredDate", String(expiredDate)],
      ["title", ""],
    ]);
  });

  it("takes the arguments as JSON text", async () => {
    await bed.load({ apiName: "getConferenceRoomStatus" });
    const msg = await bed.ok({ payload: '{"yyyyMMdd": "201908"}' });
    assert.deepEqual(formOf((await bed.recorded())[0]), [["yyyyMMdd", "201908"]]);
    assert.ok(msg.payload.conferenceRoomStatus.conferenceRooms.every((r) => Array.isArray(r.reservedSchedules)));
  });

  for (const [name, msg] of [
    ["nothing", {}],
    ["an empty string", { payload: "" }],
    ["null", { payload: null }],
  ]) {
    it(`calls with a bare GET for ${name}`, async () => {
      await bed.load({ apiName: "getConferenceRooms" });
      const out = await bed.ok(msg);
      assert.equal(out.payload.conferenceRooms.length, 4);
      const [req] = await bed.recorded();
      assertApiRequest(req, { token: bed.practiceServer.tokens.admin, method: "GET", path: "/getConferenceRooms", form: false });
      assert.equal(req.body, "");
    });
  }

  it("takes the API name from the message", async () => {
    await bed.load({ apiName: "topic", apiNameType: "msg" });
    await bed.ok({ topic: "getConferenceMaster" });
    assert.equal((await bed.recorded())[0].path, "/getConferenceMaster");
  });

  it("gives a CSV answer as text", async () => {
    await bed.load({ apiName: "exportUsers" });
    const msg = await bed.ok({ payload: { path: "u.csv" } });
    assert.ok(msg.payload.startsWith("email,name,department,admin\r\n"));
  });

  it("reports malformed arguments as the server's 400", async () => {
    await bed.load({ apiName: "sendMessage" });
    const error = await bed.fail({ payload: { message: "{not json" } });
    assert.equal(error.code, "400");
    assert.match(error.message, /^Chat&Messenger error 400: the request is invalid\./);
  });

  it("reports an unknown recipient as 452", async () => {
    await bed.load({ apiName: "sendMessage" });
    const error = await bed.fail({ payload: { message: { panelName: "messenger", message: "hi", generalPurposes: { users: "ghost@nowhere.test" } } } });
    assert.equal(error.code, "452");
  });

  it("reports an API the server does not have as HTTP_404", async () => {
    await bed.load({ apiName: "getSomethingNew" });
    const error = await bed.fail({});
    assert.equal(error.code, "HTTP_404");
    assert.equal(error.cause.status, 404);
  });

  it("reports an administrators-only API with the non-administrator's token as 800", async () => {
    await bed.load({ apiName: "exportUsers" }, { token: bed.practiceServer.tokens.user });
    const error = await bed.fail({ payload: { path: "u.csv" } });
    assert.equal(error.code, "800");
  });

  it("repeats a read-only API after a dropped connection", async () => {
    await bed.load({ apiName: "getConferenceRooms" }, { serverProps: { retries: 1, maxRetryDelay: 0 } });
    await bed.fault({ kind: "drop-after", count: 1 });
    await bed.ok({});
    assert.deepEqual(
      (await bed.recorded()).map((r) => r.outcome.fault),
      ["drop-after", null]
    );
  });

  transportErrorTests(bed, {
    apiName: "sendMessage",
    props: { apiName: "sendMessage" },
    msg: () => ({ payload: { message: { panelName: "general", message: "hello" } } }),
  });

  inputErrorTests(bed, [
    ["a missing API name", { apiName: "" }, {}, "apiName", "missing"],
    ["an API name with a path", { apiName: "../_practice/reset" }, {}, "apiName"],
    ["an API name with a query", { apiName: "sendMessage?x=1" }, {}, "apiName"],
    ["arguments that are an array", { apiName: "sendMessage" }, { payload: [1, 2] }, "fields", "notObject"],
    ["arguments that are no JSON", { apiName: "sendMessage" }, { payload: "message=hi" }, "fields", "json"],
    ["arguments that are a number", { apiName: "sendMessage" }, { payload: 7 }, "fields", "notObject"],
  ]);
});
