"use strict";
// The end of every bench flow: counts what arrives (wire 1 = sent, a catch node = failed).
const hub = require("../hub");

module.exports = function (RED) {
  function BenchSink(config) {
    RED.nodes.createNode(this, config);
    const ok = config.kind !== "error";
    this.on("input", (msg, send, done) => {
      hub.arrive(msg, ok);
      done();
    });
  }
  RED.nodes.registerType("bench-sink", BenchSink);
};
