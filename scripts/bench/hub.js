"use strict";
// Shared by the bench driver and the bench sink node inside one Node-RED process.
const { busyWait } = require("./common");

/** Bench-only: CAM_BENCH_SLOWDOWN_US=200 busy-waits that long per message in the sink (never in the product). */
const slowdownUs = Number(process.env.CAM_BENCH_SLOWDOWN_US || 0);

const hub = {
  /** Set by the driver: called with (msg, ok) for every message that leaves the flow. */
  onMessage: null,
  arrive(msg, ok) {
    if (slowdownUs > 0) busyWait(slowdownUs);
    hub.onMessage?.(msg, ok);
  },
};

module.exports = hub;
