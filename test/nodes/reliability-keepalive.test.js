"use strict";
// Pooled keep-alive sockets: one the server closed while idle must not turn a message into a
// failure, and a close that races with the write is reported honestly (never silently repeated).
const assert = require("node:assert/strict");
const net = require("node:net");
const { CamClient } = require("../../nodes/cam/cam-client");
const { eventually } = require("../support/reliability-support");

const OK = '{"status":200,"conferenceRooms":[]}';

/**
 * A minimal HTTP/1.1 server on a raw socket, as some servers and load balancers behave: keep-alive
 * without a Keep-Alive hint, idle sockets closed after `idleMs`. `onRequest(n, socket)` may return
 * false to close the socket instead of answering the connection's n-th request.
 */
async function rawServer({ idleMs = 60_000, onRequest = () => true } = {}) {
  const stats = { connections: 0, answered: 0, closedByClient: 0, closedByServer: 0 };
  const sockets = new Set();
  const server = net.createServer((socket) => {
    stats.connections++;
    sockets.add(socket);
    let buffer = "";
    let count = 0;
    let serverClosing = false;
    const idle = () => {
      serverClosing = true;
      stats.closedByServer++;
      socket.end();
    };
    socket.setTimeout(idleMs, idle);
    socket.on("end", () => {
      if (!serverClosing) stats.closedByClient++;
      socket.end();
    });
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      for (;;) {
        const head = buffer.indexOf("\r\n\r\n");
        if (head < 0) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(buffer.slice(0, head))?.[1] ?? 0);
        if (buffer.length < head + 4 + length) return;
        buffer = buffer.slice(head + 4 + length);
        if (onRequest(++count, socket) === false) {
          serverClosing = true;
          socket.destroy();
          return;
        }
        stats.answered++;
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${OK.length}\r\n\r\n${OK}`);
      }
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

const message = { apiName: "sendMessage", form: { message: "{}" } };

describe("reliability: keep-alive sockets", function () {
  const cleanup = [];
  afterEach(async () => {
    for (const item of cleanup.splice(0).reverse()) await item.close();
  });

  function client(url, options = {}) {
    const c = new CamClient({
      serverURL: url,
      token: "t",
      connections: 1,
      queueLimit: 10,
      rejectUnauthorized: true,
      timeoutMs: 5000,
      retries: 2,
      retryBaseMs: 1,
      maxRetryDelayMs: 5,
      ...options,
    });
    cleanup.push(c);
    return c;
  }

  it("closes an idle socket before a server without a Keep-Alive hint would (client keep-alive below the server's)", async () => {
    const server = await rawServer({ idleMs: 1500 });
    cleanup.push(server);
    const c = client(server.url, { keepAliveMs: 300 });
    await c.call(message);
    await eventually(() => server.stats.closedByClient + server.stats.closedByServer === 1, 5000, "the idle socket to close");
    assert.deepEqual([server.stats.closedByClient, server.stats.closedByServer], [1, 0]);
    await c.call(message);
    assert.equal(server.stats.connections, 2);
  });

  it("does not reuse a socket the server closed while it was idle: the next message goes out on a new one", async () => {
    const server = await rawServer({ idleMs: 100 });
    cleanup.push(server);
    const c = client(server.url);
    await c.call(message);
    await eventually(() => server.stats.closedByServer === 1, 5000, "the server to close the idle socket");
    const res = await c.call(message);
    assert.deepEqual(res.data, JSON.parse(OK));
    assert.equal(server.stats.connections, 2);
    assert.equal(server.stats.answered, 2);
  });

  describe("a close racing with the write (the server drops the pooled socket as the request arrives)", function () {
    const dropSecond = (n) => n !== 2;

    it("a message is reported MAYBE_DELIVERED and not repeated: the client cannot prove it was not processed", async () => {
      const server = await rawServer({ onRequest: dropSecond });
      cleanup.push(server);
      const c = client(server.url);
      await c.call(message);
      await assert.rejects(c.call(message), (err) => err.code === "MAYBE_DELIVERED" && err.details.attempts === 1);
      assert.equal(server.stats.connections, 1, "no second attempt");
    });

    it("a read-only call is repeated on a new socket and succeeds", async () => {
      const server = await rawServer({ onRequest: dropSecond });
      cleanup.push(server);
      const c = client(server.url);
      await c.call({ apiName: "getConferenceRooms" });
      const res = await c.call({ apiName: "getConferenceRooms" });
      assert.deepEqual(res.data, JSON.parse(OK));
      assert.equal(server.stats.connections, 2);
    });
  });
});
