"use strict";
// Where the runtime has no catalogues (the node path before Node-RED's translator is set, unit tests),
// texts come from the en-US catalogues, loaded on first use: the shared one and a node's own.
const assert = require("node:assert/strict");

const MODULE = require.resolve("../../nodes/core/i18n");

/** The i18n module as a process that has not used it yet sees it: no catalogue loaded, no translator. */
function freshI18n() {
  const loaded = require.cache[MODULE];
  delete require.cache[MODULE];
  try {
    return require(MODULE);
  } finally {
    if (loaded) require.cache[MODULE] = loaded;
    else delete require.cache[MODULE];
  }
}

describe("i18n without the runtime's catalogues", () => {
  it("reads a shared text from the en-US catalogue on first use, with its parameters", () => {
    const { t } = freshI18n();
    assert.equal(t("errors.input.missing", { field: "room" }), "room: a value is required.");
    assert.equal(t("errors.input.missing", { field: "message" }), "message: a value is required.");
  });

  it("reads a node's own text from that node's en-US catalogue on first use", () => {
    const { t } = freshI18n();
    assert.equal(t("cam-send-message:cam-send-message.label.room"), "Chat room");
  });

  it("gives the key for a text no catalogue has", () => {
    const { t } = freshI18n();
    assert.equal(t("errors.input.noSuchText"), "errors.input.noSuchText");
  });
});
