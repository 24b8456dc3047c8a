// The web page in headless Chromium: a message sent with the manual's curl line shows up, live;
// the share page counts its visitor. Screenshots go to .artifacts/.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startPracticeServer, shell, callApi, control, fixture, login, xa } = require("../fixtures/practice-server/helpers");
const { CHROMIUM_FLAGS, needBrowser } = require("../support/find-browser");

const ARTIFACTS = path.join(__dirname, "..", "..", ".artifacts");
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

const curlLine = (name) =>
  fs
    .readFileSync(fixture("seed-files", "003-curl.txt"), "utf8")
    .split("\n")
    .find((l) => l.includes(name));

describe("practice server: web page in headless Chromium", function () {
  this.timeout(60000);
  let sb;
  let context;
  let profile;

  before(async function () {
    const browserPath = needBrowser(this);
    const { chromium } = require("playwright-core");
    sb = await startPracticeServer();
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "practice-chromium-"));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browserPath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [...CHROMIUM_FLAGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"],
    });
    // nothing but the practice server on loopback may be asked for anything
    await context.route("**/*", (route) => (LOOPBACK.test(route.request().url()) ? route.continue() : route.abort()));
  });

  after(async () => {
    if (context) await context.close();
    if (sb) await sb.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it("shows a message sent with the manual's curl command, and the next one live", async () => {
    const line = curlLine("ルーム名");
    assert.deepEqual(JSON.parse((await shell(line, sb.url)).stdout), { status: 200 });
    const page = await context.newPage();
    const requested = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(sb.url + "/");
    const room = page.locator(".card", { has: page.locator("h3", { hasText: "ルーム名" }) });
    await room.locator(".msg .text", { hasText: "Hello" }).waitFor();
    assert.deepEqual(await room.locator(".chip").allTextContents(), ["@user1@xxx.com", "@user2@xxx.com"]);
    await page.locator("#live", { hasText: "live" }).waitFor();

    // a sealed direct message and a quick call, while the page is open
    const sealed = line
      .replace('\\"panelName\\":\\"ルーム名\\"', '\\"panelName\\":\\"messenger\\"')
      .replace('\\"isOpened\\":false', '\\"isOpened\\":true')
      .replace("Hello", "Sealed hello");
    assert.deepEqual(JSON.parse((await shell(sealed, sb.url)).stdout), { status: 200 });
    const call = (await callApi(sb, "createQuickCall", { expiredDate: String(Date.now() + 3600_000), title: "Line 3 incident", password: "000" })).json;
    await callApi(sb, "sendMessages", {
      messages: JSON.stringify([{ send: "alerts", message: "Pump 7: vibration above limit\nplease check", property: { users: "hanako@example.com" } }]),
    });
    const { token } = await login(sb);
    const x = sb.xassist;
    const xcall = (
      await xa(
        sb,
        "POST",
        "/rtc/createCall",
        {
          callTitle: "Pump 7 remote support",
          callType: "SFU",
          callReason: "SERVICE_REQUEST",
          creatorUser: x.glassesUserDbId,
          invitedContacts: [{ userDbId: x.expertUserDbId }, { userDbId: x.userDbId }],
        },
        token
      )
    ).json;
    await control(sb, "POST", `xassist/calls/${xcall.callId}/join`, { userId: x.expertUsername });
    await control(sb, "POST", `xassist/calls/${xcall.callId}/join`, { userId: x.glassesUsername });
    await page.locator("#xcalls .card", { hasText: "Pump 7 remote support" }).locator("li", { hasText: "Join · Smart Glasses" }).waitFor();
    const dm = page.locator("#dms .card", { has: page.locator("h3", { hasText: "user1@xxx.com" }) });
    await dm.locator(".msg", { hasText: "Sealed hello" }).locator(".badge.sealed").waitFor();
    await page.locator("#calls .card", { hasText: "Line 3 incident" }).waitFor();
    await page.locator("#rooms .card", { hasText: "Pump 7" }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "practice-page.png"), fullPage: true });
    assert.deepEqual(
      requested.filter((u) => !u.startsWith(sb.url + "/")),
      [],
      "the page loads nothing from elsewhere"
    );

    // the share page counts its visitor while it is open
    const share = await context.newPage();
    await share.goto(`${call.url}?userName=${encodeURIComponent("山田 太郎")}&password=000`);
    await share.locator("#status", { hasText: "connected" }).waitFor();
    assert.equal(await share.locator("#count").textContent(), "1");
    assert.equal((await callApi(sb, "getCallStats", { roomName: call.sid })).json.participants, 1);
    await share.screenshot({ path: path.join(ARTIFACTS, "practice-share.png") });
    await page.locator("#calls .card", { hasText: "Line 3 incident" }).locator(".big", { hasText: "1" }).waitFor();
    await share.close();
    await page.locator("#calls .card", { hasText: "Line 3 incident" }).locator(".big", { hasText: "0" }).waitFor();
    assert.equal((await callApi(sb, "getCallStats", { roomName: call.sid })).json.participants, 0);
    await page.close();
  });
});
