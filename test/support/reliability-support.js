"use strict";
// Small servers on 127.0.0.1 for the reliability, proxy and TLS tests: a connection-counting relay
// (optionally terminating TLS), a recording HTTP proxy, a decoy that must never be reached, and a
// self-signed certificate made with openssl; and the hooks that put the practice server behind a relay.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const tls = require("node:tls");
const { helper, startPracticeServer, resetPracticeServer } = require(".");

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

/**
 * A TCP relay in front of `targetPort` that counts client connections (open now, most at once,
 * total). `refuseNext(n)` closes the next n connections as soon as they are accepted, before
 * reading anything. With `tls: {key, cert}` it terminates TLS, so the target can stay plain HTTP.
 */
async function relay(targetPort, { tls: tlsOptions } = {}) {
  const sockets = new Set();
  const stats = { open: 0, max: 0, total: 0 };
  let refusals = 0;
  const onConnection = (client) => {
    if (!tlsOptions) stats.total++;
    if (refusals > 0) {
      refusals--;
      client.destroy();
      return;
    }
    stats.open++;
    stats.max = Math.max(stats.max, stats.open);
    sockets.add(client);
    const upstream = net.connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once("close", () => {
      stats.open--;
      sockets.delete(client);
      end();
    });
    upstream.once("close", () => {
      sockets.delete(upstream);
      end();
    });
    client.on("error", end);
    upstream.on("error", end);
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const server = tlsOptions ? tls.createServer(tlsOptions, onConnection) : net.createServer(onConnection);
  if (tlsOptions) {
    // Count and refuse on the raw socket, before (or without) a handshake.
    server.on("connection", (socket) => {
      stats.total++;
      if (refusals > 0) {
        refusals--;
        socket.destroy();
      }
    });
    server.on("tlsClientError", () => {});
  }
  const port = await listen(server);
  return {
    port,
    stats,
    url: `${tlsOptions ? "https" : "http"}://127.0.0.1:${port}`,
    refuseNext(n) {
      refusals = n;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * An HTTP proxy as undici uses one: CONNECT tunnels, and absolute-form requests forwarded as they
 * are. Every request it sees is recorded as {method, target, headers}.
 */
async function recordingProxy() {
  const seen = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, target: req.url, headers: req.headers });
    const target = new URL(req.url);
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      }
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req, client, head) => {
    seen.push({ method: "CONNECT", target: req.url, headers: req.headers });
    const [host, port] = req.url.split(":");
    const upstream = net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A server that records whatever reaches it: requests a msg tries to redirect must never arrive here. */
async function decoy() {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":200}');
  });
  const port = await listen(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    seen,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A self-signed certificate (openssl req -x509) for 127.0.0.1 unless told otherwise, as PEM {key, cert}. */
function selfSignedCertificate({ name = "127.0.0.1", altNames = "IP:127.0.0.1,DNS:localhost" } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cam-tls-"));
  try {
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "2",
        "-subj",
        `/CN=${name}`,
        "-addext",
        `subjectAltName=${altNames}`,
      ],
      { stdio: "ignore" }
    );
    return { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(cert, "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls `check` until it returns a truthy value; fails after `ms` (a hang guard, not a timing assertion). */
async function eventually(check, ms = 5000, what = "condition") {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Mocha hooks for the enclosing describe: the practice server behind a relay (which counts and can cut
 * connections), the flow unloaded and the practice server reset after each test. Returns {practice server, front},
 * filled in by before().
 */
function practiceServerBehindRelay() {
  const env = {};
  before(async () => {
    env.practiceServer = await startPracticeServer();
    env.front = await relay(env.practiceServer.port);
  });
  after(async () => {
    await env.front.close();
    await env.practiceServer.close();
  });
  afterEach(async () => {
    await helper.unload();
    await resetPracticeServer(env.practiceServer);
  });
  return env;
}

module.exports = { practiceServerBehindRelay, relay, recordingProxy, decoy, selfSignedCertificate, eventually };
