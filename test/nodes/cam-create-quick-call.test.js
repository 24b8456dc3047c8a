"use strict";
const assert = require("node:assert/strict");
const { camTestBed, formOf, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");

const FUTURE = Date.UTC(2030, 0, 2, 3, 4, 5);

describe("cam-create-quick-call", function () {
  const bed = camTestBed("cam-create-quick-call");

  async function sentForm() {
    const requests = await bed.recorded();
    assert.equal(requests.length, 1);
    assertApiRequest(requests[0], { token: bed.practiceServer.tokens.admin, path: "/createQuickCall" });
    return Object.fromEntries(formOf(requests[0]));
  }

  it("creates a call from a duration, with title and password, keeping the message", async () => {
    await bed.load({ expires: "2h", title: "Support & help", password: "p&ss w+rd" });
    const before = Date.now();
    const msg = await bed.ok({ payload: "go", topic: "keep" });
    const after = Date.now();
    const form = await sentForm();
    assert.deepEqual(Object.keys(form), ["expiredDate", "title", "password"]);
    assert.equal(form.title, "Support & help");
    assert.equal(form.password, "p&ss w+rd");
    const expired = Number(form.expiredDate);
    assert.ok(expired >= before + 7_200_000 && expired <= after + 7_200_000, `${expired} is two hours from now`);
    assert.equal(msg.topic, "keep");
    assert.deepEqual(Object.keys(msg.payload).sort(), ["expiredDate", "presenterPass", "sid", "url"]);
    assert.equal(msg.payload.expiredDate, expired);
    assert.equal(msg.payload.url, `${bed.practiceServer.url}/share/${msg.payload.sid}`);
    assert.equal(typeof msg.payload.presenterPass, "string");
  });

  it("sends a blank title and password as empty fields", async () => {
    await bed.load({ expires: "30m" });
    await bed.ok({ payload: "go" });
    const form = await sentForm();
    assert.equal(form.title, "");
    assert.equal(form.password, "");
  });

  for (const [name, props, msg] of [
    ["an ISO date", { expires: "2030-01-02T03:04:05Z" }, {}],
    ["Unix ms as text", { expires: String(FUTURE) }, {}],
    ["Unix ms as a number", { expires: String(FUTURE), expiresType: "num" }, {}],
    ["a Date in the message", { expires: "expiry", expiresType: "msg" }, { expiry: new Date(FUTURE) }],
    ["Unix ms in the message", { expires: "expiry", expiresType: "msg" }, { expiry: FUTURE }],
  ]) {
    it(`takes the expiry as ${name}`, async () => {
      await bed.load(props);
      const out = await bed.ok({ payload: "go", ...msg });
      assert.equal((await sentForm()).expiredDate, String(FUTURE));
      assert.equal(out.payload.expiredDate, FUTURE);
    });
  }

  it("adds a joinUrl that opens the conference logged in", async () => {
    await bed.load({ expires: "1h", password: "pw&1", userName: "customer", userNameType: "msg" });
    const msg = await bed.ok({ payload: "go", customer: "山田 太郎" });
    const join = new URL(msg.payload.joinUrl);
    assert.equal(`${join.origin}${join.pathname}`, msg.payload.url);
    assert.equal(join.searchParams.get("userName"), "山田 太郎");
    assert.equal(join.searchParams.get("password"), "pw&1");
    const page = await fetch(msg.payload.joinUrl);
    assert.equal(page.status, 200, "the practice server's conference page lets the user in");
    assert.match(await page.text(), /You are in the conference as <b>山田 太郎<\/b>/);
  });

  it("leaves the password out of a joinUrl for a conference without one", async () => {
    await bed.load({ expires: "1h", userName: "Anna" });
    const msg = await bed.ok({ payload: "go" });
    assert.deepEqual([...new URL(msg.payload.joinUrl).searchParams], [["userName", "Anna"]]);
  });

  transportErrorTests(bed, { full: true, apiName: "createQuickCall", props: { expires: "1h" }, msg: () => ({ payload: "go" }) });

  inputErrorTests(bed, [
    ["an expiry that is no date", { expires: "tomorrow-ish" }, { payload: "go" }, "expires", "notExpiry"],
    ["an expiry in Unix seconds", { expires: "1893553445" }, { payload: "go" }, "expires", "seconds"],
    ["an expiry in the past", { expires: "2020-01-01T00:00:00Z" }, { payload: "go" }, "expires", "past"],
    ["a missing expiry", { expires: "expiry", expiresType: "msg" }, { payload: "go" }, "expires", "missing"],
    ["an invalid Date", { expires: "expiry", expiresType: "msg" }, { payload: "go", expiry: new Date("nope") }, "expires", "notExpiry"],
    ["a title that holds a function", { title: "title", titleType: "msg" }, { payload: "go", title: { a: () => 1 } }, "title", "notShowable"],
    ["a password that is an array", { password: "pw", passwordType: "msg" }, { payload: "go", pw: ["x"] }, "password", "notText"],
    ["a user name that is an object", { userName: "who", userNameType: "msg" }, { payload: "go", who: {} }, "userName", "notText"],
  ]);
});
