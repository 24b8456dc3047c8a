"use strict";
// The message of a Chat&Messenger API error (HTTP 200 with status 520): the code, its documented
// meaning, and the server's own message unless it only repeats that meaning.
const assert = require("node:assert/strict");
const { apiError } = require("../../nodes/cam/cam-errors.js");

describe("Chat&Messenger API error messages", function () {
  it("give the code and its documented meaning, with nothing after it when the server said nothing", () => {
    const err = apiError("805", undefined);
    assert.equal(err.code, "805");
    assert.equal(err.message, "Chat&Messenger error 805: the API token is not valid: check it in the server configuration.");
  });

  it("add the server's own message after the meaning", () => {
    const err = apiError("805", "token expired");
    assert.equal(err.message, "Chat&Messenger error 805: the API token is not valid: check it in the server configuration. token expired");
    assert.equal(err.details.apiMessage, "token expired");
  });

  it("say the meaning once when the server's message is the documented one, blanks around it or not", () => {
    for (const own of ["the request is invalid.", " the request is invalid.\n"]) {
      const err = apiError("400", own);
      assert.equal(err.message, "Chat&Messenger error 400: the request is invalid.", JSON.stringify(own));
      assert.equal(err.details.apiMessage, own);
    }
  });

  it("say that the manual does not list a code it does not know", () => {
    assert.equal(apiError("999", undefined).message, "Chat&Messenger error 999: an error the manual does not list.");
    assert.equal(apiError("999", "quota").message, "Chat&Messenger error 999: an error the manual does not list. quota");
  });
});
