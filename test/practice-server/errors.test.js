// Chat&Messenger: request encodings and every documented error code.
const assert = require("node:assert/strict");
const { startPracticeServer, callApi, control, curl, errorCode, MANUAL_TOKEN } = require("../fixtures/practice-server/helpers");

const dm = (users, message = "hi", extra = {}) => ({
  message: JSON.stringify({ panelName: "messenger", message, isOpened: false, generalPurposes: { users }, ...extra }),
});

describe("practice server: Chat&Messenger encodings and errors", function () {
  let sb;
  before(async () => (sb = await startPracticeServer()));
  after(() => sb.close());
  beforeEach(() => control(sb, "POST", "reset"));

  async function inbox(email) {
    const state = (await control(sb, "GET", "state")).json;
    return state.directMessages.find((d) => d.email === email)?.messages ?? [];
  }

  describe("encodings", () => {
    it("keeps & + % = and UTF-8 of a properly URL-encoded message", async () => {
      const text = "Tom & Jerry + 100% = 楽しい\n2nd line";
      const res = await callApi(sb, "sendMessage", dm("user1@xxx.com", text));
      assert.deepEqual(res.json, { status: 200 });
      assert.equal((await inbox("user1@xxx.com"))[0].text, text);
    });

    it("keeps a raw & and + in an unencoded body (curl -d without encoding)", async () => {
      const body = 'message={"panelName":"messenger","message":"R&D + QA = 品質","generalPurposes":{"users":"user2@xxx.com"}}';
      const res = await curl(["-H", `x-cam-apiToken:${MANUAL_TOKEN}`, "-d", body, `${sb.url}/sendMessage`]);
      assert.deepEqual(JSON.parse(res.stdout), { status: 200 });
      assert.equal((await inbox("user2@xxx.com"))[0].text, "R&D + QA = 品質");
    });

    it("reads arguments from the query string of a GET", async () => {
      const res = await fetch(`${sb.url}/getConferenceRoomStatus?yyyyMMdd=201908`, { headers: { "x-cam-apiToken": sb.tokens.admin } });
      const json = await res.json();
      for (const room of json.conferenceRoomStatus.conferenceRooms) assert.deepEqual(room.reservedSchedules, []);
    });

    it("treats isOpened true as a sealed message and mentions in a room", async () => {
      const message = JSON.stringify({ panelName: "alerts", message: "disk full", isOpened: true, generalPurposes: { users: "hanako@example.com" } });
      assert.deepEqual((await callApi(sb, "sendMessage", { message })).json, { status: 200 });
      const room = (await control(sb, "GET", "state")).json.rooms.find((r) => r.name === "alerts");
      assert.equal(room.messages[0].sealed, true);
      assert.deepEqual(room.messages[0].users, ["hanako@example.com"]);
    });
  });

  describe("error codes (HTTP 200 + status 520)", () => {
    it("805 without a token and with a wrong one", async () => {
      const res = await fetch(`${sb.url}/getConferenceRooms`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 520, errors: [{ code: "805", message: "APIトークンが正しくありません。" }] });
      assert.equal(errorCode((await callApi(sb, "getConferenceRooms", {}, "wrong")).json), "805");
    });

    it("805 with its own message for a user who may not use the API", async () => {
      const res = await callApi(sb, "getConferenceRooms", {}, sb.tokens.disabled);
      assert.equal(errorCode(res.json), "805");
      assert.match(res.json.errors[0].message, /APIを利用できません/);
    });

    it("451 for an unknown address in a self-registration domain, 452 elsewhere", async () => {
      assert.equal(errorCode((await callApi(sb, "sendMessage", dm("newcomer@example.com"))).json), "451");
      assert.equal(errorCode((await callApi(sb, "sendMessage", dm("nobody@elsewhere.org"))).json), "452");
      const batch = JSON.stringify([
        { message: "a", property: { users: "user1@test.com" } },
        { message: "b", property: { users: "ghost@elsewhere.org" } },
      ]);
      assert.equal(errorCode((await callApi(sb, "sendMessages", { messages: batch })).json), "452");
      assert.equal((await inbox("user1@test.com")).length, 0, "a failed batch delivers nothing");
    });

    it("800 for the admin-only calls with a non-admin token", async () => {
      assert.equal(errorCode((await callApi(sb, "exportUsers", { path: "x.csv" }, sb.tokens.user)).json), "800");
      const form = new FormData();
      form.append("file", new Blob(["email\nx@example.com\n"]), "u.csv");
      const res = await fetch(`${sb.url}/updateUsersCSV`, { method: "POST", headers: { "x-cam-apiToken": sb.tokens.user }, body: form });
      assert.equal(errorCode(await res.json()), "800");
      assert.deepEqual((await callApi(sb, "getConferenceRooms", {}, sb.tokens.user)).json.conferenceRooms.length > 0, true, "the user token works otherwise");
    });

    const malformed = {
      "bad JSON": ["sendMessage", { message: "{not json" }],
      "missing message field": ["sendMessage", {}],
      "message text of the wrong type": [
        "sendMessage",
        { message: JSON.stringify({ panelName: "messenger", message: 5, generalPurposes: { users: "user1@xxx.com" } }) },
      ],
      "isOpened not a boolean": ["sendMessage", dm("user1@xxx.com", "x", { isOpened: "maybe" })],
      "direct message without users": ["sendMessage", { message: JSON.stringify({ panelName: "messenger", message: "x" }) }],
      "messages not an array": ["sendMessages", { messages: "{}" }],
      "expiredDate not a number": ["createQuickCall", { expiredDate: "tomorrow" }],
      "getCallStats without roomName": ["getCallStats", {}],
      "yyyyMMdd not a date": ["getConferenceRoomStatus", { yyyyMMdd: "2019-08" }],
      "yyyyMMdd month 13": ["getConferenceRoomStatus", { yyyyMMdd: "201913" }],
      "chatRoom without name": ["updateChatRoom", { chatRoom: JSON.stringify({ isPublic: true }) }],
      "chatRoom isPublic wrong type": ["updateChatRoom", { chatRoom: JSON.stringify({ name: "x", isPublic: "sometimes" }) }],
    };
    for (const [what, [apiName, fields]] of Object.entries(malformed)) {
      it(`400 for ${what}`, async () => {
        assert.equal(errorCode((await callApi(sb, apiName, fields)).json), "400");
      });
    }

    it("400 for updateUsersCSV without multipart, without part file, or without an email column", async () => {
      assert.equal(errorCode((await callApi(sb, "updateUsersCSV", { file: "email\n" })).json), "400");
      const noFile = new FormData();
      noFile.append("other", "x");
      const r1 = await fetch(`${sb.url}/updateUsersCSV`, { method: "POST", headers: { "x-cam-apiToken": sb.tokens.admin }, body: noFile });
      assert.equal(errorCode(await r1.json()), "400");
      const noEmail = new FormData();
      noEmail.append("file", new Blob(["name,department\nA,B\n"]), "u.csv");
      const r2 = await fetch(`${sb.url}/updateUsersCSV`, { method: "POST", headers: { "x-cam-apiToken": sb.tokens.admin }, body: noEmail });
      assert.equal(errorCode(await r2.json()), "400");
    });

    it("405 for an unknown room (sendMessage, sendMessages, updateChatRoom id) and an unknown web conference", async () => {
      const message = JSON.stringify({ panelName: "no such room", message: "x" });
      assert.equal(errorCode((await callApi(sb, "sendMessage", { message })).json), "405");
      assert.equal(errorCode((await callApi(sb, "sendMessages", { messages: '[{"send":"nowhere","message":"x"}]' })).json), "405");
      assert.equal(errorCode((await callApi(sb, "updateChatRoom", { chatRoom: '{"id":"123","name":"x"}' })).json), "405");
      assert.equal(errorCode((await callApi(sb, "getCallStats", { roomName: "unknownSid" })).json), "405");
    });

    it("406 for a locked room and for a room the non-admin token's user does not administer", async () => {
      const state = (await control(sb, "GET", "state")).json;
      const locked = state.rooms.find((r) => r.name === "announcements");
      assert.equal(errorCode((await callApi(sb, "updateChatRoom", { chatRoom: JSON.stringify({ id: locked.id, name: "renamed" }) })).json), "406");
      const general = state.rooms.find((r) => r.name === "general");
      assert.equal(
        errorCode((await callApi(sb, "updateChatRoom", { chatRoom: JSON.stringify({ id: general.id, isPublic: false }) }, sb.tokens.user)).json),
        "406"
      );
      const created = await callApi(sb, "updateChatRoom", { chatRoom: JSON.stringify({ name: "ops-room" }) }, sb.tokens.user);
      assert.equal(created.json.chatRoom.name, "ops-room");
      const renamed = await callApi(sb, "updateChatRoom", { chatRoom: JSON.stringify({ id: created.json.chatRoom.id, name: "ops" }) }, sb.tokens.user);
      assert.equal(renamed.json.chatRoom.name, "ops", "its creator administers it");
    });

    it("452 for an unknown member uid in updateChatRoom", async () => {
      const chatRoom = JSON.stringify({ name: "x", memberUids: { nosuchuid: true } });
      assert.equal(errorCode((await callApi(sb, "updateChatRoom", { chatRoom })).json), "452");
    });

    it("491 past the per-token rate limit (start option and settings endpoint)", async () => {
      const limited = await startPracticeServer({ rateLimit: { requests: 2, perMs: 3_600_000 } });
      try {
        const codes = [];
        for (let i = 0; i < 3; i++) codes.push(errorCode((await callApi(limited, "getConferenceRooms")).json));
        assert.deepEqual(codes, [undefined, undefined, "491"]);
        assert.equal(errorCode((await callApi(limited, "getConferenceRooms", {}, limited.tokens.user)).json), undefined, "per token");
      } finally {
        await limited.close();
      }
      await control(sb, "POST", "settings", { rateLimit: { requests: 1, perMs: 3_600_000 } });
      assert.equal(errorCode((await callApi(sb, "getConferenceRooms")).json), undefined);
      assert.equal(errorCode((await callApi(sb, "getConferenceRooms")).json), "491");
      await control(sb, "POST", "settings", { rateLimit: null });
      assert.equal(errorCode((await callApi(sb, "getConferenceRooms")).json), undefined);
    });

    it("503 in maintenance mode, and back after it", async () => {
      await control(sb, "POST", "maintenance", { on: true });
      assert.equal(errorCode((await callApi(sb, "sendMessage", dm("user1@xxx.com"))).json), "503");
      assert.equal((await inbox("user1@xxx.com")).length, 0);
      await control(sb, "POST", "maintenance", { on: false });
      assert.deepEqual((await callApi(sb, "sendMessage", dm("user1@xxx.com"))).json, { status: 200 });
    });
  });

  describe("HTTP errors", () => {
    it("404 for an unknown apiName, 405 for another method", async () => {
      assert.equal((await callApi(sb, "sendMessageX")).httpStatus, 404);
      const res = await fetch(`${sb.url}/sendMessage`, { method: "PUT", headers: { "x-cam-apiToken": sb.tokens.admin } });
      assert.equal(res.status, 405);
      const recorded = (await control(sb, "GET", "requests")).json.requests.map((r) => [r.api, r.apiName, r.outcome.httpStatus, r.outcome.processed]);
      assert.deepEqual(
        recorded,
        [
          ["unknown", "sendMessageX", 404, false],
          ["cam", "sendMessage", 405, false],
        ],
        "a wrong path or method shows in the log"
      );
      assert.equal((await fetch(`${sb.url}/favicon.ico`)).status, 204);
    });
  });

  describe("responses", () => {
    it("exportUsers names the file in Content-Disposition", async () => {
      const res = await callApi(sb, "exportUsers", { path: "users-2026.csv" });
      assert.match(res.headers.get("content-disposition"), /^attachment; filename="users-2026\.csv"/);
      assert.match(res.headers.get("content-type"), /^text\/csv/);
      const japanese = await callApi(sb, "exportUsers", { path: "C:\\tmp\\ユーザー.csv" });
      assert.equal(japanese.headers.get("content-disposition"), `attachment; filename="____.csv"; filename*=UTF-8''${encodeURIComponent("ユーザー.csv")}`);
    });

    it("updateChatRoom without id creates a room that sendMessage can use", async () => {
      const res = await callApi(sb, "updateChatRoom", {
        chatRoom: JSON.stringify({ name: "新しい部屋", isPublic: true, isMessageThread: true, memberUids: { "1lmn7hoh3s1ja26fsazw": true } }),
      });
      assert.match(res.json.chatRoom.id, /^\d{19}$/);
      assert.equal(res.json.chatRoom.isMessageThread, true);
      const message = JSON.stringify({ panelName: "新しい部屋", message: "first" });
      assert.deepEqual((await callApi(sb, "sendMessage", { message })).json, { status: 200 });
    });

    it("getConferenceRoomStatus: a day and a month around now, and the master list without an argument", async () => {
      const now = new Date();
      const month = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, "0")}`;
      const res = (await callApi(sb, "getConferenceRoomStatus", { yyyyMMdd: month })).json;
      const schedules = res.conferenceRoomStatus.conferenceRooms.flatMap((r) => r.reservedSchedules);
      assert.ok(schedules.length > 10);
      for (const s of schedules) {
        assert.equal(new Date(s.startDate).getMonth() === now.getMonth() || new Date(s.endDate).getMonth() === now.getMonth(), true);
        assert.ok(s.title && s.reservedBy && s.endDate > s.startDate);
      }
      const day = new Date(schedules[0].startDate);
      const yyyyMMdd = `${day.getFullYear()}${String(day.getMonth() + 1).padStart(2, "0")}${String(day.getDate()).padStart(2, "0")}`;
      const oneDay = (await callApi(sb, "getConferenceRoomStatus", { yyyyMMdd })).json.conferenceRoomStatus.conferenceRooms.flatMap((r) => r.reservedSchedules);
      assert.ok(oneDay.length >= 1 && oneDay.length < schedules.length);
      for (const months of [-2, 3]) {
        const d = new Date(now.getFullYear(), now.getMonth() + months, 1);
        const other = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, "0")}`;
        assert.ok(
          (await callApi(sb, "getConferenceRoomStatus", { yyyyMMdd: other })).json.conferenceRoomStatus.conferenceRooms.some(
            (r) => r.reservedSchedules.length > 0
          ),
          other
        );
      }
      const master = (await callApi(sb, "getConferenceRoomStatus")).json.conferenceRoomStatus.conferenceRooms;
      assert.ok(master.length > 0 && master.every((r) => r.reservedSchedules === undefined));
    });
  });
});
