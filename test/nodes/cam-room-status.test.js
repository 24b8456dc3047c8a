"use strict";
const assert = require("node:assert/strict");
const { camTestBed, formOf, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");
const { helper, operationFlow } = require("../support");

const pad = (n) => String(n).padStart(2, "0");
const yyyyMM = (d) => `${d.getFullYear()}${pad(d.getMonth() + 1)}`;
const yyyyMMdd = (d) => yyyyMM(d) + pad(d.getDate());

/** The expected local time with its offset, built with the same Date API in another way than the node. */
function localIso(ms) {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const shifted = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  return `${shifted}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

describe("cam-room-status", function () {
  const bed = camTestBed("cam-room-status");

  async function sentPeriod() {
    const requests = await bed.recorded();
    assert.equal(requests.length, 1);
    assertApiRequest(requests[0], { token: bed.practiceServer.tokens.admin, path: "/getConferenceRoomStatus" });
    const form = formOf(requests[0]);
    assert.deepEqual(
      form.map(([name]) => name),
      ["yyyyMMdd"]
    );
    return form[0][1];
  }

  it("asks for this month when the period is blank, with each room's bookings", async () => {
    await bed.load();
    const month = yyyyMM(new Date());
    const msg = await bed.ok({ payload: "go", topic: "keep" });
    assert.equal(await sentPeriod(), month);
    assert.equal(msg.period, month);
    assert.equal(msg.topic, "keep");
    assert.deepEqual(
      msg.payload.map((r) => r.id),
      ["cr-1", "cr-2", "cr-3", "cr-4"]
    );
    const schedules = msg.payload.flatMap((r) => r.reservedSchedules);
    assert.ok(schedules.length > 0, "the practice server books rooms on every weekday");
    for (const s of schedules) {
      assert.deepEqual(Object.keys(s).sort(), ["endDate", "endLocal", "id", "reservedBy", "startDate", "startLocal", "title"]);
      assert.equal(s.startLocal, localIso(s.startDate));
      assert.equal(s.endLocal, localIso(s.endDate));
      const start = new Date(s.startDate);
      const end = new Date(s.endDate);
      assert.ok(yyyyMM(start) <= month && yyyyMM(end) >= month, "a booking of this month");
    }
  });

  it("gives one list of bookings by start time, each with its room, when Result says so", async () => {
    await bed.load();
    const rooms = (await bed.ok({ payload: "go" })).payload;
    const expected = rooms.flatMap((r) => r.reservedSchedules.map((s) => ({ roomId: r.id, roomName: r.name, ...s })));
    await bed.load({ shape: "bookings" });
    const msg = await bed.ok({ payload: "go" });
    assert.ok(expected.length > 1, "the practice server books rooms on every weekday");
    assert.deepEqual(
      msg.payload,
      [...expected].sort((a, b) => a.startDate - b.startDate)
    );
  });

  it("sends one message per booking, numbered in msg.parts as a split node does, when Result says so", async () => {
    await bed.load({ shape: "bookings" });
    const bookings = (await bed.ok({ payload: "go" })).payload;
    await bed.load({ shape: "each" });
    const before = bed.outputs.length;
    await bed.ok({ payload: "go", topic: "keep" });
    while (bed.outputs.length < before + bookings.length) await new Promise((resolve) => setImmediate(resolve));
    const split = bed.outputs.slice(before);
    assert.deepEqual(
      split.map((m) => m.payload),
      bookings
    );
    const [first] = split;
    split.forEach((m, index) => {
      assert.deepEqual(m.parts, { id: first.parts.id, index, count: bookings.length, type: "array", len: 1 });
      assert.equal(m.topic, "keep");
      assert.equal(m.period, yyyyMM(new Date()));
    });
    // The bed's rule "one output per message" counts the messages of one split (they share its _msgid, as a split node's do) once.
    bed.outputs.splice(before + 1);
  });

  it("sends nothing for a period without bookings when it sends one message per booking, and ends the message", async () => {
    const flow = operationFlow("cam-room-status", { shape: "each", period: "19990101", periodType: "str" }, { url: bed.practiceServer.url });
    flow.push({ id: "on-complete", z: "f1", type: "complete", scope: ["n1"], wires: [["ended"]] }, { id: "ended", z: "f1", type: "helper" });
    await bed.load({}, { flow });
    const ended = new Promise((resolve) => helper.getNode("ended").on("input", resolve));
    bed.outputs.length = 0;
    helper.getNode("n1").receive({ payload: "go" });
    await ended;
    assert.equal(bed.outputs.length, 0);
    assert.equal((await bed.recorded()).length, 1);
  });

  it("takes month and today as words", async () => {
    await bed.load({ period: "month" });
    assert.equal((await bed.ok({})).period, yyyyMM(new Date()));
    await bed.load({ period: "today" });
    assert.equal((await bed.ok({})).period, yyyyMMdd(new Date()));
  });

  for (const [name, props, msg, period] of [
    ["a month", { period: "201908" }, {}, "201908"],
    ["a month with a dash", { period: "2019-08" }, {}, "201908"],
    ["a day", { period: "20190801" }, {}, "20190801"],
    ["an ISO date", { period: "2024-02-29" }, {}, "20240229"],
    ["an ISO date and time", { period: "2019-08-01T09:00:00Z" }, {}, "20190801"],
    ["a period from the message", { period: "when", periodType: "msg" }, { when: "2030-12" }, "203012"],
    ["a Date from the message", { period: "when", periodType: "msg" }, { when: new Date(2030, 11, 24, 12) }, "20301224"],
    ["a month typed as a number", { period: "when", periodType: "msg" }, { when: 201908 }, "201908"],
    ["a day typed as a number", { period: "20190801", periodType: "num" }, {}, "20190801"],
    ["Unix ms from the message", { period: "when", periodType: "msg" }, { when: new Date(2030, 0, 2, 12).getTime() }, "20300102"],
  ]) {
    it(`asks for ${name}`, async () => {
      await bed.load(props);
      const out = await bed.ok({ payload: "go", ...msg });
      assert.equal(await sentPeriod(), period);
      assert.equal(out.period, period);
      assert.ok(Array.isArray(out.payload));
    });
  }

  it("takes the current timestamp (typed input date) as today", async () => {
    await bed.load({ period: "", periodType: "date" });
    const msg = await bed.ok({ payload: "go" });
    assert.equal(msg.period, yyyyMMdd(new Date()));
  });

  it("gives the day's bookings only for a day", async () => {
    const day = new Date();
    day.setDate(day.getDate() + ((8 - day.getDay()) % 7 || 7)); // next Monday
    await bed.load({ period: yyyyMMdd(day) });
    const msg = await bed.ok({});
    const schedules = msg.payload.flatMap((r) => r.reservedSchedules);
    assert.ok(schedules.length > 0, "Mondays have bookings");
    for (const s of schedules) assert.equal(yyyyMMdd(new Date(s.startDate)), yyyyMMdd(day));
  });

  it("gives each booking's start and end in Node-RED's time zone, with its offset", () => {
    // A child process with its own TZ: the node's local times follow the time zone Node-RED runs in.
    const { execFileSync } = require("node:child_process");
    const { localIsoTime } = require("../../nodes/cam/cam-operations");
    const script = `process.stdout.write(JSON.stringify([1796029200000, 1796032800000, 1783296000000].map(require(${JSON.stringify(require.resolve("../../nodes/cam/cam-operations"))}).localIsoTime)))`;
    const inZone = (tz) => JSON.parse(execFileSync(process.execPath, ["-e", script], { env: { ...process.env, TZ: tz } }).toString());
    // 2026-11-30T09:00Z, 10:00Z and 2026-07-06T00:00Z
    assert.deepEqual(inZone("Asia/Tokyo"), ["2026-11-30T18:00:00+09:00", "2026-11-30T19:00:00+09:00", "2026-07-06T09:00:00+09:00"]);
    assert.deepEqual(inZone("Europe/Berlin"), ["2026-11-30T10:00:00+01:00", "2026-11-30T11:00:00+01:00", "2026-07-06T02:00:00+02:00"]);
    assert.deepEqual(inZone("America/St_Johns"), ["2026-11-30T05:30:00-03:30", "2026-11-30T06:30:00-03:30", "2026-07-05T21:30:00-02:30"]);
    assert.deepEqual(inZone("UTC"), ["2026-11-30T09:00:00+00:00", "2026-11-30T10:00:00+00:00", "2026-07-06T00:00:00+00:00"]);
    // Text forms of the same instant, and what is not a time.
    assert.equal(localIsoTime("1796029200000"), localIso(1796029200000));
    assert.equal(localIsoTime("2026-11-30T09:00:00.000Z"), localIso(1796029200000));
    for (const bad of [undefined, null, "", "soon", {}, NaN]) assert.equal(localIsoTime(bad), undefined);
  });

  transportErrorTests(bed, { readOnly: true, apiName: "getConferenceRoomStatus", msg: () => ({ payload: "go" }) });

  inputErrorTests(bed, [
    ["a thirteenth month", { period: "2019-13" }, {}, "period", "notPeriod"],
    ["the 31st of February", { period: "20190231" }, {}, "period", "notPeriod"],
    ["a word", { period: "next week" }, {}, "period", "notPeriod"],
    ["an object", { period: "when", periodType: "msg" }, { when: { month: 8 } }, "period", "notPeriod"],
    ["an invalid Date", { period: "when", periodType: "msg" }, { when: new Date("nope") }, "period", "notPeriod"],
  ]);
});
