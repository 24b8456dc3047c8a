"use strict";
// A plain HTTP server on 127.0.0.1 whose answer each test sets, and a Chat&Messenger client for it.
const http = require("node:http");
const { CamClient } = require("../../nodes/cam/cam-client.js");

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

function camClientFor(url, options = {}) {
  return new CamClient({
    serverURL: url,
    token: "CANARY-answering-server-token",
    connections: 2,
    queueLimit: 10,
    retries: 0,
    retryBaseMs: 1,
    maxRetryDelayMs: 1,
    timeoutMs: 5000,
    rejectUnauthorized: true,
    ...options,
  });
}

/** The call's data, or its error. */
const settled = (promise) =>
  promise.then(
    (res) => ({ data: res.data }),
    (error) => ({ error })
  );

module.exports = { answeringServer, answering, camClientFor, settled };
