"use strict";
// The live view's admin endpoints obey Node-RED's adminAuth: nothing for anonymous visitors, reading
// for a read-only user, changes only for a user who may write.
const assert = require("node:assert/strict");
const { startNodeRed, adminAuth } = require("../support/node-red-process");

const PASSWORD = "practice-auth-test";

/** A practice server node in use, so that the practice server runs. */
const FLOW = [
  { id: "pa-tab", type: "tab", label: "practice" },
  { id: "pa-server", type: "cam-config", name: "", server: "practice" },
  {
    id: "pa-send",
    z: "pa-tab",
    type: "cam-send-message",
    server: "pa-server",
    sendTo: "room",
    room: "general",
    roomType: "str",
    recipients: "",
    recipientsType: "str",
    message: "payload",
    messageType: "msg",
    x: 300,
    y: 100,
    wires: [[]],
  },
];

describe("practice server: the live view's admin endpoints and adminAuth", function () {
  this.timeout(90_000);
  let red;

  before(async function () {
    // An anonymous visitor may read the flows (the test's start-up waits for them), nothing else.
    const auth = { ...adminAuth(PASSWORD), default: { permissions: ["flows.read"] } };
    red = await startNodeRed({ flows: FLOW, settings: { adminAuth: auth } });
    assert.equal((await fetch(`${red.url}/flows`)).status, 200, "anonymous visitors may read the flows");
  });
  after(async () => await red?.stop());

  /** Logs in as the editor does, asking for the user's own permissions. */
  async function login(username, scope) {
    const res = await fetch(`${red.url}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: "node-red-editor", grant_type: "password", scope, username, password: PASSWORD }),
    });
    assert.equal(res.status, 200, `log in as ${username}`);
    return (await res.json()).access_token;
  }

  const call = (method, path, token) =>
    fetch(`${red.url}/${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === "POST" ? { "content-type": "application/json" } : {}) },
      body: method === "POST" ? "{}" : undefined,
    });

  it("refuses anonymous visitors, reading and changing", async () => {
    for (const [method, path] of [
      ["GET", "cam-practice/state"],
      ["GET", "cam-practice/requests"],
      ["POST", "cam-practice/reset"],
      ["POST", "cam-practice/xassist/calls/1/join"],
    ]) {
      const res = await call(method, path);
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.doesNotMatch(await res.text(), /general|admin@example\.com/, "no practice data in the refusal");
    }
  });

  it("lets a read-only user look, not change", async () => {
    const token = await login("viewer", "read");
    const state = await call("GET", "cam-practice/state", token);
    assert.equal(state.status, 200);
    const view = await state.json();
    assert.equal(view.running, true, "the deployed practice server node started the practice server");
    assert.ok(
      view.rooms.some((r) => r.name === "general"),
      "the demo rooms"
    );
    assert.equal((await call("GET", "cam-practice/requests", token)).status, 200);
    for (const path of ["cam-practice/reset", "cam-practice/quickcalls/x/join", "cam-practice/xassist/calls/1/end"]) {
      const res = await call("POST", path, token);
      assert.ok([401, 403].includes(res.status), `POST ${path} as viewer: ${res.status}`);
    }
  });

  it("lets a user with every permission reset the practice data", async () => {
    const token = await login("admin", "*");
    const res = await call("POST", "cam-practice/reset", token);
    assert.equal(res.status, 200, await res.text());
    assert.equal((await call("GET", "cam-practice/state", token)).status, 200);
  });
});
