"use strict";
const assert = require("node:assert/strict");
const { camTestBed, formOf, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");

describe("cam-export-users", function () {
  const bed = camTestBed("cam-export-users");

  it("exports the users as CSV text with the file name", async () => {
    await bed.load();
    const msg = await bed.ok({ payload: "go", topic: "keep" });
    const [req] = await bed.recorded();
    assertApiRequest(req, { token: bed.practiceServer.tokens.admin, path: "/exportUsers" });
    assert.deepEqual(formOf(req), [["path", "exportUsers.csv"]]);
    assert.equal(typeof msg.payload, "string");
    assert.ok(msg.payload.startsWith("email,name,department,admin\r\n"), msg.payload.slice(0, 40));
    assert.match(msg.payload, /\r\nadmin@example\.com,Demo Admin,IT,true\r\n/);
    assert.match(msg.payload, /taro@example\.com,山田 太郎,営業部,false/);
    assert.equal(msg.filename, "exportUsers.csv");
    assert.equal(msg.topic, "keep");
  });

  it("parses the CSV into objects when asked to", async () => {
    await bed.load({ output: "objects" });
    const msg = await bed.ok({ payload: "go" });
    assert.ok(Array.isArray(msg.payload));
    assert.deepEqual(msg.payload[0], { email: "admin@example.com", name: "Demo Admin", department: "IT", admin: "true" });
    assert.deepEqual(
      msg.payload.find((u) => u.email === "hanako@example.com"),
      { email: "hanako@example.com", name: "佐藤 花子", department: "総務部", admin: "false" }
    );
    assert.equal(msg.filename, "exportUsers.csv");
  });

  it("takes the file name from the message", async () => {
    await bed.load({ path: "filename", pathType: "msg" });
    const msg = await bed.ok({ payload: "go", filename: "users-2030-01.csv" });
    assert.deepEqual(formOf((await bed.recorded())[0]), [["path", "users-2030-01.csv"]]);
    assert.equal(msg.filename, "users-2030-01.csv");
  });

  it("reports a non-administrator's token as 800", async () => {
    await bed.load({}, { token: bed.practiceServer.tokens.user });
    const error = await bed.fail({ payload: "go" });
    assert.equal(error.code, "800");
    assert.match(error.message, /administrators only/);
  });

  transportErrorTests(bed, { readOnly: true, apiName: "exportUsers", msg: () => ({ payload: "go" }) });

  inputErrorTests(bed, [
    ["an empty file name", { path: "" }, { payload: "go" }, "path", "missing"],
    ["a file name with a line break", { path: "name", pathType: "msg" }, { payload: "go", name: "a\r\nb.csv" }, "path", "fileName"],
    ["a file name that is an object", { path: "name", pathType: "msg" }, { payload: "go", name: { a: 1 } }, "path", "notText"],
  ]);
});
