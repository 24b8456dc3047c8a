"use strict";
// A plain HTTP server on 127.0.0.1 whose answer each test sets, and a client of either API for it.
const http = require("node:http");
const { CamClient } = require("../../nodes/cam/cam-client.js");
const { XassistClient } = require("../../nodes/xassist/xassist-client.js");

/** `server.answer = (req, res) => ...` sets what it answers; `server.requests` counts the requests. */
async function answeringServer() {
  const server = { answer: undefined, requests: 0 };
  const listener = http.createServer((req, res) => {
    server.requests++;
    req.resume();
    server.answer(req, res);
  });
  await new Promise((resolve) => listener.listen(0, "127.0.0.1", resolve));
  server.url = `http://127.0.0.1:${listener.address().port}`;
  server.close = () => {
    listener.closeAllConnections();
    return new Promise((resolve) => listener.close(resolve));
  };
  return server;
}

/** Answers every request with this status, content type and body. */
const answering = (status, contentType, body) => (req, res) => res.writeHead(status, contentType ? { "content-type": contentType } : {}).end(body);

/** Settings both clients take in these tests: no retries, small queues, a generous timeout. */
const TEST_CONNECTION = { connections: 2, queueLimit: 10, retries: 0, retryBaseMs: 1, maxRetryDelayMs: 1, timeoutMs: 5000, rejectUnauthorized: true };

function camClientFor(url, options = {}) {
  return new CamClient({ serverURL: url, token: "CANARY-answering-server-token", ...TEST_CONNECTION, ...options });
}

function xassistClientFor(url, options = {}) {
  const login = { domain: "", username: "user", password: "CANARY-answering-server-password", forceLogin: false, refreshPath: "/auth/refresh" };
  return new XassistClient({ serverURL: url, ...login, tokenLifetimeMs: 300_000, ...TEST_CONNECTION, ...options });
}

/** The call's data, or its error. */
const settled = (promise) =>
  promise.then(
    (res) => ({ data: res.data }),
    (error) => ({ error })
  );

module.exports = { answeringServer, answering, camClientFor, xassistClientFor, settled };
