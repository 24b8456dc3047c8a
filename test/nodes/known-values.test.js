"use strict";
// GET /cam-config/known-values: what the send message dialog suggests in Chat room, Recipients and
// Mention. The practice server: its users and chat rooms. One's own server: the users of exportUsers
// through the deployed server node's client, asked only on request, kept a short time, never with a
// token in the answer; nothing (not an error) where there is nothing to ask.
const assert = require("node:assert/strict");
const { camTestBed, helper } = require("../support/cam-support");
const { startNodeRed, adminAuth } = require("../support/node-red-process");

const PATH = "/cam-config/known-values";

describe("GET /cam-config/known-values (the send message dialog's suggestions)", function () {
  this.timeout(60_000);

  describe("in Node-RED (test helper)", function () {
    const bed = camTestBed("cam-send-message", { label: "known-values" });

    async function known(query) {
      const res = await helper.request().get(`${PATH}?${new URLSearchParams(query)}`);
      assert.equal(res.status, 200, res.text);
      for (const secret of bed.secrets) assert.ok(!res.text.includes(secret), "the answer has no token");
      return res.body;
    }
    const exports = async () => (await bed.recorded()).filter((req) => req.path === "/exportUsers").length;

    it("answers the practice server's users (those the API may reach) and its chat rooms", async () => {
      await bed.load();
      const { users, rooms } = await known({ id: "any", practice: "true" });
      assert.deepEqual(
        users.find((u) => u.email === "hanako@example.com"),
        { email: "hanako@example.com", name: "佐藤 花子" }
      );
      assert.ok(!users.some((u) => u.email === "intern@example.com"), "not a user the API may not reach");
      for (const room of ["general", "alerts", "test", "ルーム名"]) assert.ok(rooms.includes(room), room);
      for (const user of users) assert.deepEqual(Object.keys(user).sort(), ["email", "name"], "only the address and the name");
    });

    it("answers one's own deployed server's users from exportUsers, asked once for a while, no chat rooms", async () => {
      await bed.load();
      const url = bed.practiceServer.url;
      assert.equal(await exports(), 0, "nothing is asked before the dialog asks");
      const first = await known({ id: "server", practice: "false", serverURL: url });
      assert.ok(
        first.users.some((u) => u.email === "hanako@example.com" && u.name === "佐藤 花子"),
        JSON.stringify(first)
      );
      assert.deepEqual(first.rooms, []);
      assert.deepEqual(await known({ id: "server", practice: "false", serverURL: url }), first);
      assert.equal(await exports(), 1, "the second dialog within a minute uses the users kept in memory");
      const [req] = (await bed.recorded()).filter((r) => r.path === "/exportUsers");
      assert.equal(req.headers["x-cam-apitoken"], bed.practiceServer.tokens.admin, "through the deployed node's client, with its saved token");
    });

    it("answers nothing, without an error, for a token that may not export users", async () => {
      await bed.load({}, { token: bed.practiceServer.tokens.user });
      assert.deepEqual(await known({ id: "server", practice: "false", serverURL: bed.practiceServer.url }), { users: [], rooms: [] });
      assert.equal(await exports(), 1, "asked, refused (800)");
    });

    it("answers nothing for a server node that is not deployed, or deployed for another address", async () => {
      await bed.load();
      assert.deepEqual(await known({ id: "not-deployed", practice: "false", serverURL: "https://cam.example.com" }), { users: [], rooms: [] });
      assert.deepEqual(await known({ id: "server", practice: "false", serverURL: "https://cam.example.com" }), { users: [], rooms: [] });
      assert.deepEqual(await known({ practice: "false" }), { users: [], rooms: [] });
      assert.deepEqual(await known({ id: "n1", practice: "false" }), { users: [], rooms: [] }, "not a server node");
      assert.equal(await exports(), 0, "the own server was not asked");
    });
  });

  describe("in a real Node-RED with adminAuth", function () {
    const PASSWORD = "known-values-test";
    let red;

    before(async function () {
      this.timeout(90_000);
      const auth = { ...adminAuth(PASSWORD), default: { permissions: ["flows.read"] } };
      const flow = [
        { id: "kv-tab", type: "tab", label: "known values" },
        { id: "kv-server", type: "cam-config", name: "", server: "practice" },
      ];
      red = await startNodeRed({ flows: flow, settings: { adminAuth: auth } });
    });
    after(async () => await red?.stop());

    async function login(username, scope) {
      const res = await fetch(`${red.url}/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: "node-red-editor", grant_type: "password", scope, username, password: PASSWORD }),
      });
      assert.equal(res.status, 200, `log in as ${username}`);
      return (await res.json()).access_token;
    }
    const get = (token) => fetch(`${red.url}${PATH}?id=kv-server&practice=true`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it("refuses an anonymous visitor, without practice data", async () => {
      const res = await get();
      assert.equal(res.status, 401);
      assert.doesNotMatch(await res.text(), /general|hanako/);
    });

    it("answers a read-only user the practice server's users and chat rooms", async () => {
      const res = await get(await login("viewer", "read"));
      assert.equal(res.status, 200);
      const { users, rooms } = await res.json();
      assert.ok(users.some((u) => u.email === "hanako@example.com"));
      assert.ok(rooms.includes("general"));
      assert.doesNotMatch(red.output(), /known-values.*token|apiToken/i, "nothing about tokens in the log");
    });
  });
});
