"use strict";
// The client against tiny servers on 127.0.0.1 that answer what a real server might, beyond the practice server.
const assert = require("node:assert/strict");
const { answeringServer, camClientFor } = require("../support/answering-server");

const TOKEN = "CANARY-client-token-7d2e";

describe("CamClient answers", function () {
  let server;
  let answer;
  let api;
  before(async () => {
    server = await answeringServer();
    server.answer = (req, res) => answer(req, res);
    api = camClientFor(server.url, { token: TOKEN });
  });
  after(async () => {
    await api.close();
    await server.close();
  });

  it("finds the 520 error model in JSON labelled text/html", async () => {
    answer = (req, res) => {
      res.writeHead(200, { "content-type": "text/html;charset=UTF-8" });
      res.end('{"status":520,"errors":[{"code":"805","message":"APIトークンが正しくありません"}]}');
    };
    await assert.rejects(api.call({ apiName: "sendMessage", form: { message: "{}" } }), (err) => {
      assert.equal(err.code, "805");
      return true;
    });
  });

  it("returns JSON labelled text/plain as data", async () => {
    answer = (req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end('{"status":200}');
    };
    assert.deepEqual((await api.call({ apiName: "sendMessage", form: { message: "{}" } })).data, { status: 200 });
  });

  it("returns CSV as text with the decoded, bare download name", async () => {
    answer = (req, res) => {
      res.writeHead(200, {
        "content-type": "text/csv",
        "content-disposition": "attachment; filename=\"x.csv\"; filename*=UTF-8''..%2F%E3%83%A6%E3%83%BC%E3%82%B6%E3%83%BC.csv",
      });
      res.end("email,name\na@example.com,A\n");
    };
    const res = await api.call({ apiName: "exportUsers", form: { path: "x.csv" } });
    assert.equal(res.data, "email,name\na@example.com,A\n");
    assert.equal(res.filename, "ユーザー.csv");
  });

  it("removes a token the server echoes before cutting the text to length", async () => {
    answer = (req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("x".repeat(495) + req.headers["x-cam-apitoken"]);
    };
    await assert.rejects(api.call({ apiName: "sendMessage", form: { message: "{}" } }), (err) => {
      assert.equal(err.code, "HTTP_500");
      const text = JSON.stringify({ message: err.message, cause: err.cause });
      assert.ok(!text.includes(TOKEN.slice(0, 5)), text.slice(-80));
      return true;
    });
  });
});
