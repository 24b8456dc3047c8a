// Injected faults: every kind, counts, the apiName filter and the probability mode.
const assert = require("node:assert/strict");
const http = require("node:http");
const { startPracticeServer, callApi, control, errorCode, login, xa } = require("../fixtures/practice-server/helpers");

const message = (text) => ({ message: JSON.stringify({ panelName: "general", message: text }) });

/** POST with node:http so that a dropped connection shows as an error code, not as a generic fetch failure. */
function rawPost(sb, apiName, fields) {
  return new Promise((resolve) => {
    const body = new URLSearchParams(fields).toString();
    const req = http.request(
      `${sb.url}/${apiName}`,
      {
        method: "POST",
        agent: false,
        headers: { "x-cam-apiToken": sb.tokens.admin, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ httpStatus: res.statusCode, text }));
      }
    );
    req.on("error", (err) => resolve({ error: err.code }));
    req.end(body);
  });
}

describe("practice server: injected faults", function () {
  let sb;
  before(async () => (sb = await startPracticeServer()));
  after(() => sb.close());
  beforeEach(() => control(sb, "POST", "reset"));

  const roomTexts = async () => (await control(sb, "GET", "state")).json.rooms.find((r) => r.name === "general").messages.map((m) => m.text);
  const lastOutcome = async () => (await control(sb, "GET", "requests?limit=1")).json.requests[0].outcome;

  it("error520 answers the given code without processing", async () => {
    await control(sb, "POST", "faults", { kind: "error520", code: "500", count: 1 });
    const res = await callApi(sb, "sendMessage", message("lost"));
    assert.equal(res.httpStatus, 200);
    assert.equal(errorCode(res.json), "500");
    assert.deepEqual(await roomTexts(), []);
    assert.deepEqual(await lastOutcome(), { processed: false, fault: "error520", httpStatus: 200, status: 520, code: "500" });
  });

  for (const [kind, status] of [
    ["http500", 500],
    ["http502", 502],
    ["http503", 503],
  ]) {
    it(`${kind} answers HTTP ${status} without processing`, async () => {
      await control(sb, "POST", "faults", { kind });
      const res = await callApi(sb, "sendMessage", message("lost"));
      assert.equal(res.httpStatus, status);
      assert.deepEqual(await roomTexts(), []);
      const outcome = await lastOutcome();
      assert.equal(outcome.fault, kind);
      assert.equal(outcome.processed, false);
    });
  }

  it("drop closes the connection before any response and does not process", async () => {
    await control(sb, "POST", "faults", { kind: "drop" });
    const res = await rawPost(sb, "sendMessage", message("dropped"));
    assert.equal(res.error, "ECONNRESET");
    assert.deepEqual(await roomTexts(), []);
    assert.deepEqual(await lastOutcome(), { processed: false, fault: "drop", httpStatus: null, status: null, code: null });
  });

  it("drop-after processes, then closes the connection without an answer", async () => {
    await control(sb, "POST", "faults", { kind: "drop-after" });
    const res = await rawPost(sb, "sendMessage", message("delivered but unanswered"));
    assert.equal(res.error, "ECONNRESET");
    assert.deepEqual(await roomTexts(), ["delivered but unanswered"]);
    const outcome = await lastOutcome();
    assert.equal(outcome.processed, true);
    assert.equal(outcome.fault, "drop-after");
  });

  it("delay processes and answers normally", async () => {
    await control(sb, "POST", "faults", { kind: "delay", delayMs: 50 });
    const res = await callApi(sb, "sendMessage", message("late"));
    assert.deepEqual(res.json, { status: 200 });
    assert.deepEqual(await roomTexts(), ["late"]);
    assert.equal((await lastOutcome()).fault, "delay");
  });

  it("applies to the next count matching requests only, filtered by apiName", async () => {
    await control(sb, "POST", "faults", { kind: "error520", code: "503", count: 2, apiName: "sendMessage" });
    assert.equal(errorCode((await callApi(sb, "getConferenceRooms")).json), undefined, "another apiName is not matched");
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(errorCode((await callApi(sb, "sendMessage", message(`m${i}`))).json));
    assert.deepEqual(codes, ["503", "503", undefined]);
    assert.deepEqual((await control(sb, "GET", "faults")).json.faults, []);
  });

  it("error520 is not applied to xAssist calls, the HTTP kinds are", async () => {
    await control(sb, "POST", "faults", { kind: "error520", code: "500" });
    assert.equal(
      (await xa(sb, "POST", "/login", { username: "node-red", password: "practice-server", domain: "ubimax", agreedToTos: "true" })).httpStatus,
      200
    );
    await control(sb, "DELETE", "faults");
    await control(sb, "POST", "faults", { kind: "http503", apiName: "login" });
    assert.equal(
      (await xa(sb, "POST", "/login", { username: "node-red", password: "practice-server", domain: "ubimax", agreedToTos: "true" })).httpStatus,
      503
    );
    assert.ok((await login(sb)).token);
  });

  it("probability 1 faults every request until cleared, probability 0 none", async () => {
    await control(sb, "POST", "faults", { kind: "http500", probability: 1, seed: 7 });
    for (let i = 0; i < 3; i++) assert.equal((await callApi(sb, "getConferenceRooms")).httpStatus, 500);
    assert.equal((await control(sb, "GET", "faults")).json.faults[0].applied, 3);
    await control(sb, "DELETE", "faults");
    assert.equal((await callApi(sb, "getConferenceRooms")).httpStatus, 200);
    await control(sb, "POST", "faults", { kind: "http500", probability: 0 });
    for (let i = 0; i < 3; i++) assert.equal((await callApi(sb, "getConferenceRooms")).httpStatus, 200);
  });

  it("a seeded probability fault repeats the same pattern", async () => {
    const pattern = async () => {
      await control(sb, "DELETE", "faults");
      await control(sb, "POST", "faults", { kind: "http503", probability: 0.5, seed: 42 });
      const out = [];
      for (let i = 0; i < 12; i++) out.push((await callApi(sb, "getConferenceRooms")).httpStatus);
      return out;
    };
    const first = await pattern();
    assert.ok(first.includes(503) && first.includes(200), first.join());
    assert.deepEqual(await pattern(), first);
  });

  it("rejects an invalid fault", async () => {
    assert.equal((await control(sb, "POST", "faults", { kind: "explode" })).httpStatus, 400);
    assert.equal((await control(sb, "POST", "faults", { kind: "error520" })).httpStatus, 400, "needs a code");
    assert.equal((await control(sb, "POST", "faults", { kind: "delay" })).httpStatus, 400, "needs delayMs");
    assert.equal((await control(sb, "POST", "faults", { kind: "drop", probability: 2 })).httpStatus, 400);
  });
});
