/**
 * The practice server's live view, served through Node-RED's own admin API (so it works behind
 * Node-RED's port and obeys adminAuth: reading needs cam-practice.read, changes cam-practice.write).
 * Changes are announced to the editor on the comms topic cam-practice/changed.
 */
import type { NodeAPI } from "node-red";
import { PRACTICE_TOPIC } from "../core/node/practice";
import { announceChanges, runningPracticeServer } from "./shared-practice-server";

/** What the live view may change: the other side of calls, and a fresh start. */
const ACTIONS = /^\/cam-practice\/(reset|quickcalls\/[^/]+\/(?:join|leave)|xassist\/calls\/[^/]+\/(?:join|leave|end))$/;

const registered = new WeakSet<object>();

export function registerPracticeRoutes(RED: NodeAPI): void {
  if (registered.has(RED.httpAdmin)) return;
  registered.add(RED.httpAdmin);
  announceChanges((version) => RED.comms.publish(PRACTICE_TOPIC, { version }, false));
  const read = RED.auth.needsPermission("cam-practice.read");
  const write = RED.auth.needsPermission("cam-practice.write");

  RED.httpAdmin.get("/cam-practice/state", read, (_req, res) => {
    const server = runningPracticeServer();
    if (!server) return void res.json({ running: false });
    const { httpStatus, value } = server.control("GET", "state");
    res.status(httpStatus).json({ running: true, ...(value as object) });
  });

  RED.httpAdmin.get("/cam-practice/requests", read, (req, res) => {
    const server = runningPracticeServer();
    if (!server) return void res.json({ running: false, total: 0, requests: [] });
    const since = Number(req.query.since) || 0;
    const { value } = server.control("GET", `requests?since=${since}`);
    const { total, requests } = value as { total: number; requests: Array<Record<string, unknown>> };
    // The headers carry the practice token: nothing a learner needs, and not for the screen.
    res.json({ running: true, total, requests: requests.map(({ headers: _headers, ...request }) => request) });
  });

  RED.httpAdmin.post(ACTIONS, write, (req, res) => {
    const server = runningPracticeServer();
    if (!server) return void res.status(409).json({ error: "The practice server is not running: deploy a flow that uses it first." });
    const body: unknown = req.body;
    const input = body && typeof body === "object" && !Array.isArray(body) ? body : {};
    const { httpStatus, value } = server.control("POST", req.path.slice("/cam-practice/".length), input);
    res.status(httpStatus).json(value);
  });
}
