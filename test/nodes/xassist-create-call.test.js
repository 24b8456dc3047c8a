"use strict";
const assert = require("node:assert/strict");
const x = require("../support/xassist-support");
const { helper } = x;

describe("xassist-create-call", function () {
  let practiceServer;
  before(async () => (practiceServer = await x.startPracticeServer()));
  after(() => practiceServer.close());
  afterEach(async () => {
    await helper.unload();
    await x.resetPracticeServer(practiceServer);
  });

  async function load(props) {
    await helper.load(x.allNodes, x.xassistFlow("xassist-create-call", props, { url: practiceServer.url }), x.demoCredentials(practiceServer));
  }

  const createCallBodies = async () => (await x.recorded(practiceServer)).filter((r) => r.path === "/rtc/createCall").map((r) => JSON.parse(r.body));

  it("sends the documented body for a broker call and outputs the CallLog", async () => {
    const { expertUserDbId, glassesUserDbId } = practiceServer.xassist;
    await load({
      title: "Machine 7 alarm",
      reason: "SERVICE_REQUEST",
      reasonType: "xassist-reason",
      contacts: `${expertUserDbId}, node-red`,
      contactsType: "str",
      creatorUser: String(glassesUserDbId),
      creatorUserType: "str",
    });
    const { msg, error } = await x.outcome({ payload: "alarm", topic: "keep" });
    assert.equal(error, undefined, error && error.message);
    const [body] = await createCallBodies();
    assert.equal(
      JSON.stringify(body),
      JSON.stringify({
        callTitle: "Machine 7 alarm",
        callReason: "SERVICE_REQUEST",
        callType: "SFU",
        invitedContacts: [{ userDbId: expertUserDbId }, { userId: "node-red" }],
        invitedTeams: [],
        joinAnonymousAllowed: false,
        informOthersDirectly: true,
        creatorUser: glassesUserDbId,
        plannedDateTime: null,
      }),
      "exact JSON body, in the documented order"
    );
    const [req] = (await x.recorded(practiceServer)).filter((r) => r.path === "/rtc/createCall");
    assert.equal(req.method, "POST");
    assert.match(req.headers["content-type"], /^application\/json/);
    assert.equal(msg.topic, "keep");
    assert.match(msg.payload.callId, /^[0-9a-f-]{36}$/);
    assert.equal(msg.callId, msg.payload.callId);
    assert.equal(msg.payload.callStatus, "Started");
    assert.equal(msg.payload.creatorContact.userDbId, glassesUserDbId);
    assert.deepEqual(
      msg.payload.invitedContacts.map((c) => c.userId),
      ["expert1", "node-red"]
    );
    assert.equal(msg.payload.callEvents[0].type, "Created");
  });

  it("chooses MESH for one invitee and SFU for a team, and takes everything from the message", async () => {
    await load({
      title: "topic",
      titleType: "msg",
      contacts: "invite",
      contactsType: "msg",
      teams: "teams",
      teamsType: "msg",
      anonymous: "guests",
      anonymousType: "msg",
      inform: "false",
      informType: "bool",
      planned: "when",
      plannedType: "msg",
    });
    const contact = { ...practiceServer.xassist.contacts.expert };
    let result = await x.outcome({ topic: "1:1", invite: [contact], guests: true, when: "2030-01-02T03:04:05Z" });
    assert.equal(result.error, undefined, result.error && result.error.message);
    result = await x.outcome({ topic: "team", teams: String(practiceServer.xassist.teamId), when: new Date(Date.UTC(2030, 0, 2)) });
    assert.equal(result.error, undefined, result.error && result.error.message);
    const [oneToOne, team] = await createCallBodies();
    assert.equal(oneToOne.callType, "MESH");
    assert.deepEqual(oneToOne.invitedContacts, [contact]);
    assert.equal(oneToOne.joinAnonymousAllowed, true);
    assert.equal(oneToOne.informOthersDirectly, false);
    assert.equal(oneToOne.plannedDateTime, "2030-01-02T03:04:05.000Z");
    assert.equal(team.callType, "SFU");
    assert.deepEqual(team.invitedContacts, []);
    assert.deepEqual(team.invitedTeams, [{ id: practiceServer.xassist.teamId }]);
    assert.equal(team.plannedDateTime, "2030-01-02T00:00:00.000Z");
    assert.equal(result.msg.payload.callStatus, "Planned");
  });

  it("resolves e-mail addresses, phone numbers and ids into contacts, and honours a fixed call type", async () => {
    await load({ contacts: "payload", contactsType: "msg", callType: "MESH", callTypeType: "xassist-call-type" });
    const { error } = await x.outcome({ payload: ["guest@example.org", "+49 170 1234567", 10, "expert1"] });
    assert.equal(error, undefined, error && error.message);
    const [body] = await createCallBodies();
    assert.equal(body.callType, "MESH");
    assert.deepEqual(body.invitedContacts, [{ email: "guest@example.org" }, { phoneNumber: "+49 170 1234567" }, { userDbId: 10 }, { userId: "expert1" }]);
  });

  const badInputs = [
    ["contacts", { invite: [] }, /invite at least one/],
    ["contacts[1]", { invite: ["expert1", "not an id"] }, /contacts\[1\]/],
    ["contacts[0]", { invite: [{ displayName: "No id" }] }, /userDbId, userId, email or phoneNumber/],
    ["contacts[0].userDbId", { invite: [{ userDbId: "ten" }] }, /whole number/],
    ["contacts", { invite: "[oops" }, /not valid JSON/],
    ["reason", { invite: "expert1", reason: "URGENT" }, /STANDARD, SERVICE_REQUEST/],
    ["creatorUser", { invite: "expert1", creator: -3 }, /database id/],
    ["planned", { invite: "expert1", when: "next tuesday-ish" }, /ISO-8601/],
    ["teams[0]", { invite: "expert1", teams: [true] }, /team id/],
    ["anonymous", { invite: "expert1", guests: "perhaps" }, /true or false/],
  ];
  for (const [field, msg, text] of badInputs) {
    it(`rejects ${JSON.stringify(msg)}, naming ${field}, before any request`, async () => {
      await load({
        contacts: "invite",
        contactsType: "msg",
        reason: "reason",
        reasonType: "msg",
        creatorUser: "creator",
        creatorUserType: "msg",
        planned: "when",
        plannedType: "msg",
        teams: "teams",
        teamsType: "msg",
        anonymous: "guests",
        anonymousType: "msg",
      });
      const { error } = await x.outcome(msg);
      assert.equal(error.code, "INVALID_INPUT");
      assert.equal(error.cause.field, field);
      assert.ok(error.message.replace(/^/, "").startsWith(field + ":"), error.message);
      assert.match(error.message, text);
      assert.deepEqual(await x.recorded(practiceServer), []);
    });
  }

  it("passes on the server's refusal with the HTTP status and its message", async () => {
    await load({ contacts: "nobody-here", contactsType: "str" });
    const { error } = await x.outcome({});
    assert.equal(error.code, "HTTP_400");
    assert.equal(error.cause.status, 400);
    assert.match(error.message, /no user nobody-here/);
  });
});
