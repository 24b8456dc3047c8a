"use strict";
// npm run bench:micro — the per-message work of this package without the network, to tell whether a
// hand-made shortcut still pays against plain code: the checks of a 100,000-item bulk send, and
// the form encoding of one message. Prints the median of several rounds; no targets.
const { sendMessages, sendMessage } = require("../../nodes/cam/cam-operations");
const { median } = require("./common");

const ROUNDS = 7;
const BULK = 100_000;
const FORMS = 200_000;

function timeMs(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function timeAsyncMs(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const answer = (req) => ({ data: { status: 200, count: JSON.parse(req.form.messages ?? "[]").length }, contentType: "application/json" });

async function bulkChecks() {
  const items = Array.from({ length: BULK }, (_, i) => ({ message: `alert ${i} & more`, users: "user1@xxx.com,user2@xxx.com" }));
  const input = { values: { messages: items }, settings: { batchSize: 100 }, msg: {} };
  const times = [];
  for (let r = 0; r < ROUNDS; r++) times.push(await timeAsyncMs(() => sendMessages.run(input, async (req) => answer(req))));
  return median(times);
}

async function singleMessages() {
  const input = { values: { room: "", recipients: "user1@xxx.com,user2@xxx.com", message: "alert & more", sealed: false }, settings: {}, msg: {} };
  const n = 50_000;
  const times = [];
  for (let r = 0; r < ROUNDS; r++) {
    times.push(
      await timeAsyncMs(async () => {
        for (let i = 0; i < n; i++) await sendMessage.run(input, async () => ({ data: { status: 200 } }));
      })
    );
  }
  return (median(times) / n) * 1000;
}

/** The form encoding of one sendMessage: the client's loop of encodeURIComponent and plain URLSearchParams. */
function formEncoding() {
  const form = {
    message: JSON.stringify({
      panelName: "messenger",
      message: "alert 1 & more: 50% done + 日本語",
      isOpened: false,
      generalPurposes: { users: "user1@xxx.com" },
    }),
  };
  const loop = () => {
    let out = "";
    for (const name in form) out += (out ? "&" : "") + encodeURIComponent(name) + "=" + encodeURIComponent(form[name]);
    return out;
  };
  const plain = () => new URLSearchParams(form).toString();
  const each = (encode) =>
    (median(
      Array.from({ length: ROUNDS }, () =>
        timeMs(() => {
          for (let i = 0; i < FORMS; i++) encode();
        })
      )
    ) /
      FORMS) *
    1e6;
  return { loopNs: each(loop), plainNs: each(plain) };
}

async function main() {
  const bulk = await bulkChecks();
  const single = await singleMessages();
  const form = formEncoding();
  console.log(`bulk send, checks of ${BULK.toLocaleString("en-US")} items in batches of 100: ${bulk.toFixed(1)} ms`);
  console.log(`send message, checks per message: ${single.toFixed(2)} µs`);
  console.log(`form encoding per message: encodeURIComponent loop ${form.loopNs.toFixed(0)} ns, URLSearchParams ${form.plainNs.toFixed(0)} ns`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
