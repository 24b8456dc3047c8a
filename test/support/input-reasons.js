"use strict";
// What an INVALID_INPUT error must say: its field, then one of the catalogue's reasons for input
// (en-US), so that an error with the right field but a wrong or empty reason is caught.
const assert = require("node:assert/strict");

const CATALOGUES = ["cam-config", "xassist-config"].map((name) => require(`../../nodes/locales/en-US/${name}.json`).errors.input);

const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each reason of the catalogues as a pattern of the whole message for this field. */
function reasonPatterns(field) {
  const templates = CATALOGUES.flatMap((catalogue) => Object.entries(catalogue));
  return templates.map(([reason, template]) => {
    const source = template
      .split(/(__\w+__)/)
      .map((part) => (part === "__field__" ? escaped(field) : /^__\w+__$/.test(part) ? "[\\s\\S]*" : escaped(part)))
      .join("");
    return [reason, new RegExp(`^${source}$`)];
  });
}

/** The catalogue reason an input error states for its field; fails when it states none. */
function inputReason(error, label = "") {
  const field = error.cause?.field ?? error.details?.field;
  assert.equal(typeof field, "string", `${label} INVALID_INPUT without a field: ${error.message}`);
  assert.ok(field.length > 0, `${label} INVALID_INPUT with an empty field`);
  const found = reasonPatterns(field).find(([, pattern]) => pattern.test(error.message));
  assert.ok(found, `${label} the message does not name ${field} with a known reason: ${error.message}`);
  return found[0];
}

/** The message of the INVALID_INPUT error that `call` throws; fails when it throws none. */
function refusal(call) {
  try {
    call();
  } catch (err) {
    assert.equal(err.code, "INVALID_INPUT", err.message);
    return err.message;
  }
  assert.fail("no error");
}

module.exports = { inputReason, refusal };
