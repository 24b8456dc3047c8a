"use strict";
// The floor of any Node-RED node: the bare loop's request made straight from an input handler,
// no typed inputs, no validation, no status. Tells Node-RED's own cost apart from this package's.
const { Agent, request } = require("undici");
const { TOKEN, USERS } = require("../common");

module.exports = function (RED) {
  function BenchDirect(config) {
    RED.nodes.createNode(this, config);
    const dispatcher = new Agent({ connections: 16, keepAliveTimeout: 4_000 });
    const url = `${config.url}/sendMessage`;
    this.on("input", async (msg, send, done) => {
      try {
        const message = { panelName: "messenger", message: msg.payload, isOpened: false, generalPurposes: { users: USERS } };
        const headers = { "x-cam-apiToken": TOKEN, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
        const res = await request(url, { dispatcher, method: "POST", headers, body: "message=" + encodeURIComponent(JSON.stringify(message)) });
        msg.payload = JSON.parse(await res.body.text());
        send(msg);
        done();
      } catch (err) {
        done(err);
      }
    });
    this.on("close", (done) =>
      dispatcher.close().then(
        () => done(),
        () => done()
      )
    );
  }
  RED.nodes.registerType("bench-direct", BenchDirect);
};
