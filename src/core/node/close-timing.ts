/**
 * How long a close lets work finish; Node-RED gives close handlers 15 s. Requests still on the wire
 * get graceMs before they are cut off (by the node, and by its config node's dispatcher); waitMs is
 * a node's last resort should a call ignore both signals. One object, read at each close, so that
 * tests can shorten the waits instead of sitting them out.
 */
export const closeTiming = {
  graceMs: 10_000,
  waitMs: 12_000,
};
