"use strict";
const assert = require("node:assert/strict");
const { camTestBed, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");

const CSV = "email,name,department,admin\nuser1@xxx.com,User One (renamed),Sales,false\nnew.one@example.com,New One,Support,false\n";

describe("cam-update-users", function () {
  const bed = camTestBed("cam-update-users");

  /** The one recorded request as a multipart form, read as a server would. */
  async function uploaded() {
    const requests = await bed.recorded();
    assert.equal(requests.length, 1);
    const [req] = requests;
    assertApiRequest(req, { token: bed.practiceServer.tokens.admin, path: "/updateUsersCSV", form: false });
    assert.match(req.headers["content-type"], /^multipart\/form-data; boundary=/);
    const form = await new Response(req.body, { headers: { "content-type": req.headers["content-type"] } }).formData();
    assert.deepEqual([...form.keys()], ["file"]);
    const file = form.get("file");
    return { name: file.name, type: file.type, text: await file.text() };
  }

  async function exported() {
    const res = await fetch(`${bed.practiceServer.url}/exportUsers`, { method: "POST", headers: { "x-cam-apiToken": bed.practiceServer.tokens.admin } });
    return res.text();
  }

  it("uploads CSV text as the part file and reports updated and created users", async () => {
    await bed.load();
    const msg = await bed.ok({ payload: CSV, topic: "keep" });
    assert.deepEqual(await uploaded(), { name: "updateUsers.csv", type: "text/csv; charset=utf-8", text: CSV });
    assert.deepEqual(msg.payload, { status: 200, updated: 1, created: 1 });
    assert.equal(msg.topic, "keep");
    const after = await exported();
    assert.match(after, /user1@xxx\.com,User One \(renamed\),Sales,false/);
    assert.match(after, /new\.one@example\.com,New One,Support,false/);
  });

  it("uploads a Buffer (as read by a file node) without its byte order mark", async () => {
    await bed.load({ filename: "users.csv" });
    const msg = await bed.ok({ payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]) });
    assert.deepEqual(await uploaded(), { name: "users.csv", type: "text/csv; charset=utf-8", text: CSV });
    assert.deepEqual(msg.payload, { status: 200, updated: 1, created: 1 });
  });

  it("turns an array of objects into CSV with a header line", async () => {
    await bed.load();
    const rows = [
      { email: "taro@example.com", name: "山田 太郎", department: "営業部, 東京" },
      { email: "new.two@example.com", name: 'Two "Quoted"', department: "QA" },
    ];
    const msg = await bed.ok({ payload: rows });
    const file = await uploaded();
    assert.equal(file.text, 'email,name,department\r\ntaro@example.com,山田 太郎,"営業部, 東京"\r\nnew.two@example.com,"Two ""Quoted""",QA');
    assert.deepEqual(msg.payload, { status: 200, updated: 1, created: 1 });
    assert.match(await exported(), /new\.two@example\.com,"Two ""Quoted""",QA,false/);
  });

  it("takes the file name from the message", async () => {
    await bed.load({ filename: "name", filenameType: "msg" });
    await bed.ok({ payload: CSV, name: "März.csv" });
    assert.equal((await uploaded()).name, "März.csv");
  });

  it("reports CSV without an email column as the server's 400", async () => {
    await bed.load();
    const error = await bed.fail({ payload: "name,department\nA,B\n" });
    assert.equal(error.code, "400");
    assert.match(error.message, /the request is invalid/);
  });

  it("reports a non-administrator's token as 800", async () => {
    await bed.load({}, { token: bed.practiceServer.tokens.user });
    const error = await bed.fail({ payload: CSV });
    assert.equal(error.code, "800");
  });

  transportErrorTests(bed, { apiName: "updateUsersCSV", msg: () => ({ payload: CSV }) });

  inputErrorTests(bed, [
    ["no CSV", {}, {}, "csv", "notCsv"],
    ["a number", {}, { payload: 42 }, "csv", "notCsv"],
    ["blank text", {}, { payload: " \n" }, "csv", "missing"],
    ["an empty array", {}, { payload: [] }, "csv", "notCsv"],
    ["an array of strings", {}, { payload: ["a@example.com"] }, "csv", "notCsv"],
    ["a file name that is an object", { filename: "name", filenameType: "msg" }, { payload: CSV, name: {} }, "filename", "notText"],
  ]);
});
