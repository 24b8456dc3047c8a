// Every curl sample of the manual (all four language versions), run by the real curl binary.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startPracticeServer, curl, shell, control, fixture, MANUAL_TOKEN } = require("../fixtures/practice-server/helpers");

const PAGES = ["000", "001", "002", "003"];
const seedFile = (name) => fixture("seed-files", name);

function lastRequest(sb) {
  return control(sb, "GET", "requests?limit=1").then((r) => r.json.requests[0]);
}

async function stateOf(sb) {
  return (await control(sb, "GET", "state")).json;
}

/**
 * The German and Korean pages write `\ "isOpened` in their second sendMessage line, which leaves a
 * quote open: bash cannot run that line. We send the body the line spells out instead (with the
 * stray backslash), which the practice server accepts.
 */
function bodyOfBrokenLine(line) {
  const start = line.indexOf('message="') + 'message="'.length;
  const end = line.lastIndexOf('" ${serverURL}');
  return "message=" + line.slice(start, end).replace(/\\"/g, '"');
}

describe("practice server: the manual's curl samples", function () {
  let sb;
  let dir;
  before(async () => {
    sb = await startPracticeServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "practice-curl-"));
    fs.copyFileSync(seedFile("updateUsers.csv"), path.join(dir, "updateUsers.csv"));
  });
  after(async () => {
    await sb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => control(sb, "POST", "reset"));

  for (const page of PAGES) {
    it(`page ${page}: every curl line answers as documented`, async () => {
      // The English page has a no-break space after "@messages.json": bash would make it part of the
      // file name and curl would send nothing. A person retyping the line types a space.
      const lines = fs
        .readFileSync(seedFile(`${page}-curl.txt`), "utf8")
        .replace(/\u00a0/g, " ")
        .trim()
        .split("\n");
      assert.ok(lines.length >= 4);
      for (const line of lines) {
        assert.ok(line.includes(`x-cam-apiToken:${MANUAL_TOKEN}`), line);
        if (line.includes("@messages.json")) {
          fs.copyFileSync(seedFile(`${page}-messages-room.json`), path.join(dir, "messages.json"));
          const room = await shell(line, sb.url, dir);
          assert.deepEqual(JSON.parse(room.stdout), { status: 200, count: 1 }, `${page} room messages.json`);
          const recorded = await lastRequest(sb);
          assert.ok(!recorded.body.includes("\n"), "curl -d @file strips the newlines");
          assert.equal(recorded.body, fs.readFileSync(seedFile(`${page}-messages-room.json`), "utf8").replace(/[\r\n]/g, ""));

          fs.copyFileSync(seedFile(`${page}-messages-dm.json`), path.join(dir, "messages.json"));
          const dm = JSON.parse((await shell(line, sb.url, dir)).stdout);
          if (page === "000") {
            // the German page's sample has typographic quotes („ “) from machine translation: not JSON
            assert.equal(dm.status, 520);
            assert.equal(dm.errors[0].code, "400");
          } else {
            assert.deepEqual(dm, { status: 200, count: 4 }, `${page} direct messages.json`);
          }
          continue;
        }
        let result;
        if (line.includes('\\ "isOpened')) {
          assert.notEqual((await shell(`bash -n -c '${line.replace(/'/g, "'\\''")}'`, sb.url, dir)).code, 0, "the line is not valid shell");
          result = await curl(["-H", `x-cam-apiToken:${MANUAL_TOKEN}`, "-d", bodyOfBrokenLine(line), `${sb.url}/sendMessage`]);
        } else {
          result = await shell(line, sb.url, dir);
        }
        assert.equal(result.code, 0, result.stderr);
        if (line.endsWith("/getConferenceRooms")) {
          const rooms = JSON.parse(result.stdout).conferenceRooms;
          assert.ok(rooms.length >= 3);
          for (const room of rooms) assert.ok(room.id && room.name, JSON.stringify(room));
          assert.equal((await lastRequest(sb)).method, "GET");
        } else if (line.endsWith("/sendMessage")) {
          assert.deepEqual(JSON.parse(result.stdout), { status: 200 }, line);
        } else if (line.endsWith("/exportUsers")) {
          const rows = result.stdout.trim().split(/\r?\n/);
          assert.equal(rows[0], "email,name,department,admin");
          assert.ok(rows.some((r) => r.startsWith("user1@xxx.com,")));
        } else if (line.endsWith("/updateUsersCSV")) {
          assert.deepEqual(JSON.parse(result.stdout), { status: 200, updated: 1, created: 2 });
        } else {
          assert.fail(`a curl line this test does not know: ${line}`);
        }
      }

      // what the lines left behind
      const state = await stateOf(sb);
      const inbox = state.directMessages.find((d) => d.email === "user1@xxx.com");
      assert.ok(inbox.messages.some((m) => m.from === "admin@example.com" && /^(Hello|Hallo)$/.test(m.text) && m.sealed === false));
      const named = { "000": "Raumname", "001": "ルーム名", "002": "룸 이름", "003": "ルーム名" }[page];
      const room = state.rooms.find((r) => r.name === named);
      assert.equal(room.messages.length, 1);
      assert.deepEqual(room.messages[0].users, ["user1@xxx.com", "user2@xxx.com"]);
      const test = state.rooms.find((r) => r.name === "test");
      assert.equal(test.messages.length, 1);
      if (page !== "000") {
        const other = state.directMessages.find((d) => d.email === "user2@test.com");
        assert.equal(other.messages.length, 4);
      }
    });
  }

  it("the JavaScript samples' calls work through curl too (createQuickCall, getCallStats, updateChatRoom, schedules)", async () => {
    const auth = ["-H", `x-cam-apiToken:${MANUAL_TOKEN}`];
    const created = JSON.parse((await curl([...auth, "-d", "expiredDate=1624368868714", "-d", "password=password!", `${sb.url}/createQuickCall`])).stdout);
    assert.equal(created.sid.length, 44);
    assert.equal(created.url, `${sb.url}/share/${created.sid}`);
    assert.equal(typeof created.presenterPass, "string");

    const stats = JSON.parse((await curl([...auth, "-d", `roomName=${created.sid}`, `${sb.url}/getCallStats`])).stdout);
    assert.deepEqual(Object.keys(stats).sort(), ["creationDate", "expiredDate", "inProgress", "participants", "roomName", "title"]);
    assert.equal(stats.roomName, created.sid);
    assert.equal(stats.expiredDate, 1624368868714);
    assert.equal(stats.participants, 0);
    assert.equal(stats.inProgress, false);

    // the manual's chatRoom object, made valid JSON (its JS has a missing comma)
    const chatRoom = {
      id: "1564831284702237059",
      name: "秘密会議",
      createUserId: "11u1pu9d32p8vuvjoZdd",
      adminUserId: "11u1pu9d32p8vuvjoZdd",
      isPublic: false,
      memberUids: {
        "11u1pu9d32p8vuvjoZdd": true,
        "1lmn7hoh3s1ja26fsazw": true,
        hhx10sfdv1jyou4la1ny: true,
        "3400w9rfvs504c35dt99": true,
        "309d32p8vuvjo5euuuwx": true,
      },
    };
    const updated = JSON.parse((await curl([...auth, "-d", `chatRoom=${JSON.stringify(chatRoom)}`, `${sb.url}/updateChatRoom`])).stdout);
    assert.equal(updated.chatRoom.id, chatRoom.id);
    assert.equal(updated.chatRoom.isPublic, false);
    assert.deepEqual(Object.keys(updated.chatRoom.memberUids).sort(), Object.keys(chatRoom.memberUids).sort());

    const master = JSON.parse((await curl([...auth, `${sb.url}/getConferenceMaster`])).stdout);
    assert.ok(master.conferenceRooms.length >= 3);
    const old = JSON.parse((await curl([...auth, "-d", "yyyyMMdd=201908", `${sb.url}/getConferenceRoomStatus`])).stdout);
    assert.equal(old.conferenceRoomStatus.conferenceRooms.length, master.conferenceRooms.length);
    for (const room of old.conferenceRoomStatus.conferenceRooms) assert.deepEqual(room.reservedSchedules, []);
  });
});
