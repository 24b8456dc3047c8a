// Control endpoints, the live event stream, quick-call participants, persistence, close() and the CLI.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { startPracticeServer, callApi, control } = require("../fixtures/practice-server/helpers");

const roomMessage = (text, room = "general") => ({ message: JSON.stringify({ panelName: room, message: text }) });

/** Opens an SSE stream and resolves each awaited event name in turn. */
function openEvents(url) {
  const events = [];
  const waiters = [];
  const req = http.get(url, (res) => {
    let buffer = "";
    res.setEncoding("utf8");
    res.on("data", (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name) events.push({ name, data: data && JSON.parse(data) });
        flush();
      }
    });
  });
  function flush() {
    for (const w of waiters.slice()) {
      const hit = events.findIndex((e) => e.name === w.name);
      if (hit >= 0) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(events.splice(hit, 1)[0]);
      }
    }
  }
  return {
    req,
    next: (name) =>
      new Promise((resolve) => {
        waiters.push({ name, resolve });
        flush();
      }),
  };
}

describe("practice server: control endpoints", function () {
  let sb;
  before(async () => (sb = await startPracticeServer({ maxRecorded: 5 })));
  after(() => sb.close());
  beforeEach(() => control(sb, "POST", "reset"));

  it("records method, path, apiName, the token header as sent, the raw body, parsed fields and the outcome", async () => {
    await callApi(sb, "sendMessage", roomMessage("a&b"), sb.tokens.user);
    const { json } = await control(sb, "GET", "requests");
    assert.equal(json.requests.length, 1);
    const r = json.requests[0];
    assert.equal(r.method, "POST");
    assert.equal(r.path, "/sendMessage");
    assert.equal(r.apiName, "sendMessage");
    assert.equal(r.headers["x-cam-apitoken"], sb.tokens.user);
    assert.equal(r.body, new URLSearchParams(roomMessage("a&b")).toString());
    assert.equal(JSON.parse(r.fields.message).message, "a&b");
    assert.deepEqual(r.outcome, { processed: true, fault: null, httpStatus: 200, status: 200, code: null });
    assert.ok(!Number.isNaN(Date.parse(r.time)));
  });

  it("keeps the last maxRecorded requests, counts all, and forgets them on DELETE", async () => {
    for (let i = 0; i < 7; i++) await callApi(sb, "getConferenceRooms");
    let { json } = await control(sb, "GET", "requests");
    assert.equal(json.total, 7);
    assert.deepEqual(
      json.requests.map((r) => r.seq),
      [3, 4, 5, 6, 7]
    );
    assert.deepEqual(
      (await control(sb, "GET", "requests?since=5")).json.requests.map((r) => r.seq),
      [6, 7]
    );
    await control(sb, "DELETE", "requests");
    ({ json } = await control(sb, "GET", "requests"));
    assert.deepEqual(json.requests, []);
  });

  it("records a rejected request as not processed, with its code", async () => {
    await callApi(sb, "exportUsers", {}, sb.tokens.user);
    const r = (await control(sb, "GET", "requests")).json.requests[0];
    assert.deepEqual(r.outcome, { processed: false, fault: null, httpStatus: 200, status: 520, code: "800" });
  });

  it("reset brings back the demo data, clears faults and maintenance, and keeps the tokens", async () => {
    await callApi(sb, "sendMessage", roomMessage("before reset"));
    await callApi(sb, "updateChatRoom", { chatRoom: JSON.stringify({ name: "temp" }) });
    await control(sb, "POST", "faults", { kind: "http500", count: 5 });
    await control(sb, "POST", "maintenance", { on: true });
    await control(sb, "POST", "reset");
    const state = (await control(sb, "GET", "state")).json;
    assert.equal(state.rooms.find((r) => r.name === "general").messages.length, 0);
    assert.equal(
      state.rooms.some((r) => r.name === "temp"),
      false
    );
    assert.deepEqual(state.faults, []);
    assert.equal(state.maintenance, false);
    assert.equal((await callApi(sb, "getConferenceRooms")).httpStatus, 200);
    assert.deepEqual((await control(sb, "GET", "info")).json.tokens, sb.tokens);
  });

  it("state has what the page shows: rooms, direct messages, quick calls, xAssist calls", async () => {
    await callApi(sb, "sendMessage", { message: JSON.stringify({ panelName: "messenger", message: "dm", generalPurposes: { users: "taro@example.com" } }) });
    const call = (await callApi(sb, "createQuickCall", { expiredDate: String(Date.now() + 3600_000), title: "Standup" })).json;
    const state = (await control(sb, "GET", "state")).json;
    assert.equal(state.directMessages.find((d) => d.email === "taro@example.com").messages[0].text, "dm");
    assert.equal(state.quickCalls[0].sid, call.sid);
    assert.equal(state.quickCalls[0].title, "Standup");
    assert.deepEqual(state.xassist.calls, []);
    assert.ok(
      state.xassist.users.every((u) => u.password === undefined),
      "no passwords"
    );
    assert.ok(state.rooms.find((r) => r.name === "test").members.includes("user1@test.com"));
  });

  it("simulated participants change getCallStats", async () => {
    const call = (await callApi(sb, "createQuickCall", { expiredDate: String(Date.now() + 3600_000), title: "Review", password: "pw" })).json;
    const stats = async () => (await callApi(sb, "getCallStats", { roomName: call.sid })).json;
    assert.deepEqual([(await stats()).participants, (await stats()).inProgress], [0, false]);
    await control(sb, "POST", `quickcalls/${call.sid}/join`, { name: "Taro" });
    await control(sb, "POST", `quickcalls/${call.sid}/join`, { name: "Hanako" });
    assert.deepEqual([(await stats()).participants, (await stats()).inProgress], [2, true]);
    await control(sb, "POST", `quickcalls/${call.sid}/leave`, { name: "Taro" });
    const left = (await control(sb, "POST", `quickcalls/${call.sid}/leave`, {})).json;
    assert.deepEqual(left.participantNames, []);
    assert.equal((await stats()).inProgress, false);
    assert.equal((await control(sb, "POST", `quickcalls/${call.sid}/leave`, {})).httpStatus, 409);
    assert.equal((await control(sb, "POST", "quickcalls/nope/join", {})).httpStatus, 404);
  });

  it("a visitor of the share page counts while its presence stream is open; the password is checked", async () => {
    const call = (await callApi(sb, "createQuickCall", { expiredDate: String(Date.now() + 3600_000), title: "Demo <call>", password: "000" })).json;
    const wrong = await fetch(`${call.url}?userName=${encodeURIComponent("太郎")}&password=999`);
    assert.equal(wrong.status, 401);
    const page = await fetch(`${call.url}?userName=${encodeURIComponent("太郎")}&password=000`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes("Demo &#60;call&#62;") && html.includes("太郎"));
    assert.equal((await fetch(`${call.url}/presence?password=999`)).status, 401);

    const presence = openEvents(`${call.url}/presence?userName=Taro&password=000`);
    assert.equal((await presence.next("participants")).data.participants, 1);
    assert.equal((await callApi(sb, "getCallStats", { roomName: call.sid })).json.participants, 1);
    await control(sb, "POST", `quickcalls/${call.sid}/join`, { name: "Sim" });
    assert.equal((await presence.next("participants")).data.participants, 2, "the page hears about others");
    presence.req.destroy();
    for (let i = 0; i < 100 && (await callApi(sb, "getCallStats", { roomName: call.sid })).json.participants !== 1; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal((await callApi(sb, "getCallStats", { roomName: call.sid })).json.participants, 1, "left when the stream closed");
    assert.equal((await fetch(`${sb.url}/share/unknown`)).status, 404);
  });

  it("pushes a 'changed' event after an API call", async () => {
    const events = openEvents(`${sb.url}/_practice/events`);
    const hello = await events.next("hello");
    await callApi(sb, "sendMessage", roomMessage("live"));
    const changed = await events.next("changed");
    assert.ok(changed.data.version > hello.data.version);
    assert.ok(changed.data.requestsTotal >= 1);
    events.req.destroy();
  });

  it("validates control input", async () => {
    assert.equal((await control(sb, "POST", "maintenance", { on: "yes" })).httpStatus, 400);
    assert.equal((await control(sb, "POST", "settings", { rateLimit: { requests: 0, perMs: 1 } })).httpStatus, 400);
    assert.equal((await control(sb, "POST", "clock", { advanceMs: "x" })).httpStatus, 400);
    assert.equal((await control(sb, "GET", "nothing")).httpStatus, 404);
    const res = await fetch(`${sb.url}/_practice/faults`, { method: "POST", body: "[" });
    assert.equal(res.status, 400);
  });
});

describe("practice server: persistence, close() and the CLI", function () {
  let dir;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "practice-data-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("saves the state to dataFile and loads it on the next start, with the same tokens", async () => {
    const dataFile = path.join(dir, "state.json");
    const first = await startPracticeServer({ dataFile, token: undefined });
    await callApi(first, "sendMessage", roomMessage("remember me"));
    await callApi(first, "updateChatRoom", { chatRoom: JSON.stringify({ name: "persisted room" }) });
    await first.close();
    const saved = JSON.parse(fs.readFileSync(dataFile, "utf8"));
    assert.ok(saved.rooms.some((r) => r.name === "persisted room"));
    const second = await startPracticeServer({ dataFile, token: undefined });
    try {
      assert.deepEqual(second.tokens, first.tokens);
      const state = (await control(second, "GET", "state")).json;
      assert.equal(state.rooms.find((r) => r.name === "general").messages[0].text, "remember me");
      assert.deepEqual((await callApi(second, "sendMessage", roomMessage("again", "persisted room"))).json, { status: 200 });
    } finally {
      await second.close();
    }
  });

  it("close() ends keep-alive connections and event streams", async () => {
    const sb = await startPracticeServer();
    const agent = new http.Agent({ keepAlive: true });
    await new Promise((resolve) => http.get(`${sb.url}/_practice/info`, { agent }, (res) => res.resume().on("end", resolve)));
    assert.equal(Object.keys(agent.freeSockets).length, 1, "an idle keep-alive socket is open");
    const events = openEvents(`${sb.url}/_practice/events`);
    await events.next("hello");
    const streamClosed = new Promise((resolve) => events.req.on("close", resolve));
    await sb.close();
    await streamClosed;
    agent.destroy();
    const refused = await fetch(`${sb.url}/_practice/info`).then(
      () => "answered",
      (err) => err.cause?.code
    );
    assert.equal(refused, "ECONNREFUSED");
  });

  it("the CLI prints the URL, both tokens and the xAssist login, and stops on SIGTERM", async () => {
    const cli = spawn(process.execPath, [path.join(__dirname, "..", "..", "nodes", "practice-server", "cli.js"), "--port", "0", "--token", "cli-admin-token"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const url = await new Promise((resolve, reject) => {
      cli.stdout.on("data", (chunk) => {
        out += chunk;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m && out.includes("Ctrl-C")) resolve(m[1]);
      });
      cli.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    assert.match(out, /admin API token\s+cli-admin-token/);
    const userToken = /user API token\s+(\S+)/.exec(out)[1];
    assert.match(out, /xAssist login\s+username node-red\s+password practice-server\s+domain ubimax/);
    const res = await (await fetch(`${url}/getConferenceRooms`, { headers: { "x-cam-apiToken": userToken } })).json();
    assert.ok(res.conferenceRooms.length > 0);
    const exited = new Promise((resolve) => cli.on("exit", (code) => resolve(code)));
    cli.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
