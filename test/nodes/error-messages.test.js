"use strict";
const assert = require("node:assert/strict");
const { camTestBed } = require("../support/cam-support");
const { helper, operationFlow } = require("../support");
const { CodedError, inputError } = require("../../nodes/core/errors");

describe("errors readable at a glance", function () {
  describe("cam-send-message", function () {
    const bed = camTestBed("cam-send-message");

    it("names the field and the unknown address of a 451 answer (a domain that lets people register)", async () => {
      await bed.load({ recipients: "taro@example.com, newcomer@example.com" });
      const error = await bed.fail({ payload: "hello" });
      assert.equal(error.code, "451");
      assert.equal(error.message, "recipients: newcomer@example.com is not a Chat&Messenger user; they can register themselves first (error 451).");
      assert.equal(error.cause.field, "recipients");
      assert.equal(error.cause.address, "newcomer@example.com");
      assert.equal(error.cause.code, "451");
      assert.equal(typeof error.cause.apiMessage, "string");
    });

    it("logs the whole sentence with its code when no Catch node takes the error (what the Debug sidebar shows)", async () => {
      const flow = operationFlow("cam-send-message", { recipients: "nobody@unknown-domain.test" }, { url: bed.practiceServer.url });
      await bed.load({}, { flow: flow.filter((n) => n.type !== "catch") });
      helper.getNode("n1").receive({ payload: "hello" });
      const logged = () => helper.log().args.filter(([e]) => e.level === helper.log().ERROR && e.type === "cam-send-message");
      while (logged().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(logged()[0][0].msg, "recipients: nobody@unknown-domain.test is not a Chat&Messenger user (error 452).");
    });

    it("adds the code to a logged sentence that does not name it", async () => {
      const flow = operationFlow("cam-send-message", { recipients: "" }, { url: bed.practiceServer.url });
      await bed.load({}, { flow: flow.filter((n) => n.type !== "catch") });
      helper.getNode("n1").receive({ payload: "hello" });
      const logged = () => helper.log().args.filter(([e]) => e.level === helper.log().ERROR && e.type === "cam-send-message");
      while (logged().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.match(logged()[0][0].msg, /^recipients: .+ \(INVALID_INPUT\)$/);
    });

    it("names the Chat room field and the room when the room does not exist (405)", async () => {
      await bed.load({ sendTo: "room", room: "sales", roomType: "str", recipients: "", recipientsType: "str" });
      const error = await bed.fail({ payload: "hello" });
      assert.equal(error.code, "405");
      assert.equal(error.message, 'room: there is no chat room "sales" on this server (error 405).');
      assert.equal(error.cause.field, "room");
      assert.equal(error.cause.room, "sales");
    });

    it("names the Mention field and the address of an unknown mention in a chat room message", async () => {
      await bed.load({ sendTo: "room", room: "general", roomType: "str", recipients: "nobody@unknown-domain.test", recipientsType: "str" });
      const error = await bed.fail({ payload: "hello" });
      assert.equal(error.code, "452");
      assert.equal(error.message, "recipients: nobody@unknown-domain.test is not a Chat&Messenger user (error 452).");
      assert.equal(error.cause.field, "recipients");
    });

    it("names the field and the unknown address of a 452 answer", async () => {
      await bed.load({ recipients: "nobody@unknown-domain.test" });
      const error = await bed.fail({ payload: "hello" });
      assert.equal(error.code, "452");
      assert.equal(error.message, "recipients: nobody@unknown-domain.test is not a Chat&Messenger user (error 452).");
      assert.equal(error.cause.address, "nobody@unknown-domain.test");
    });
  });

  describe("cam-send-messages", function () {
    const bed = camTestBed("cam-send-messages");

    it("names the item whose address the server does not know", async () => {
      await bed.load({});
      const payload = [
        { message: "one", users: "taro@example.com" },
        { message: "two", users: ["hanako@example.com", "stranger@elsewhere.test"] },
      ];
      const error = await bed.fail({ payload });
      assert.equal(error.code, "452");
      assert.match(error.message, /messages\[1\]\.users: stranger@elsewhere\.test is not a Chat&Messenger user \(error 452\)/);
      assert.equal(error.cause.field, "messages[1].users");
      assert.equal(error.cause.batches[0].ok, false);
    });
  });

  it("gives Node-RED a plain cause that reads as text where Node-RED makes text of it", () => {
    const error = inputError("recipients", "notEmail", { value: "bob@@example" });
    const cause = error.cause;
    assert.equal(Object.getPrototypeOf(cause), Object.prototype);
    assert.deepEqual({ ...cause }, { code: "INVALID_INPUT", field: "recipients" });
    // Node-RED's Debug sidebar shows an uncaught error's cause as cause + "" (util.encodeObject).
    assert.equal(cause + "", '{"code":"INVALID_INPUT","field":"recipients"}');
    assert.ok(!Object.keys(cause).includes("toString"));
    const shown = JSON.parse(require("@node-red/util").util.encodeObject({ msg: error }).msg).data;
    assert.equal(shown.cause, '{"code":"INVALID_INPUT","field":"recipients"}');
    assert.equal(shown.message, 'recipients: "bob@@example" is not an e-mail address.');
    const later = new CodedError("HTTP_503", "x", { status: 503 });
    later.details.attempts = 3;
    assert.equal(later.cause.attempts, 3);
  });
});
