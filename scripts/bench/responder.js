"use strict";
// A minimal server with the practice server's contract for sendMessage / sendMessages (token header,
// urlencoded form, JSON field, {"status":200[,"count":N]} or the 520 error envelope), and nothing
// else, to tell our cost apart from the practice server's. Counts open connections for the burst figure
// (GET /_bench/stats or /_bench/reset on the control port).
//   node scripts/bench/responder.js '{"token":"T"}'   → prints "listening on http://127.0.0.1:PORT"
const http = require("node:http");

const { token } = JSON.parse(process.argv[2] ?? "{}");
let open = 0;
let peak = 0;
let requests = 0;
let bad = 0;

function reply(res, body) {
  res.writeHead(200, { "content-type": "application/json;charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function error(res, code) {
  bad++;
  reply(res, JSON.stringify({ status: 520, errors: [{ code, message: "rejected by the bench responder" }] }));
}

const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    requests++;
    if (req.headers["x-cam-apitoken"] !== token) return error(res, "805");
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    try {
      if (req.url === "/sendMessage") {
        const message = JSON.parse(form.get("message"));
        if (typeof message.message !== "string" || !message.panelName) return error(res, "400");
        return reply(res, '{"status":200}');
      }
      if (req.url === "/sendMessages") {
        const items = JSON.parse(form.get("messages"));
        if (!Array.isArray(items) || items.some((m) => typeof m.message !== "string")) return error(res, "400");
        return reply(res, `{"status":200,"count":${items.length}}`);
      }
    } catch {
      return error(res, "400");
    }
    error(res, "400");
  });
});

server.on("connection", (socket) => {
  if (++open > peak) peak = open;
  socket.on("close", () => open--);
});

// On a port of its own, so that asking for the figures does not change them.
const control = http.createServer((req, res) => {
  if (req.url === "/_bench/reset") {
    requests = bad = 0;
    peak = open;
  }
  reply(res, JSON.stringify({ requests, bad, open, peak }));
});

server.listen(0, "127.0.0.1", () =>
  control.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port} control http://127.0.0.1:${control.address().port}`))
);
process.on("SIGTERM", () => process.exit(0));
process.on("disconnect", () => process.exit(0));
