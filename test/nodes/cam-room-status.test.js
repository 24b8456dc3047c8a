"use strict";
const assert = require("node:assert/strict");
const { camTestBed, formOf, assertApiRequest, transportErrorTests, inputErrorTests } = require("../support/cam-support");

const pad = (n) => String(n).padStart(2, "0");
const yyyyMM = (d) => `${d.getFullYear()}${pad(d.getMonth() + 1)}`;
const yyyyMMdd = (d) => yyyyMM(d) + pad(d.getDate());

describe("cam-room-status", function () {
  const bed = camTestBed("cam-room-status");

  async function sentPeriod() {
    const requests = await bed.recorded();
    assert.equal(requests.length, 1);
    assertApiRequest(requests[0], { token: bed.sandbox.tokens.admin, path: "/getConferenceRoomStatus" });
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
    assert.ok(schedules.length > 0, "the sandbox books rooms on every weekday");
    for (const s of schedules) {
      assert.deepEqual(Object.keys(s).sort(), ["endDate", "id", "reservedBy", "startDate", "title"]);
      const start = new Date(s.startDate);
      const end = new Date(s.endDate);
      assert.ok(yyyyMM(start) <= month && yyyyMM(end) >= month, "a booking of this month");
    }
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

  transportErrorTests(bed, { readOnly: true, apiName: "getConferenceRoomStatus", msg: () => ({ payload: "go" }) });

  inputErrorTests(bed, [
    ["a thirteenth month", { period: "2019-13" }, {}, "period"],
    ["the 31st of February", { period: "20190231" }, {}, "period"],
    ["a word", { period: "next week" }, {}, "period"],
    ["an object", { period: "when", periodType: "msg" }, { when: { month: 8 } }, "period"],
    ["an invalid Date", { period: "when", periodType: "msg" }, { when: new Date("nope") }, "period"],
  ]);
});
