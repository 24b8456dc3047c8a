/*
 * Control endpoints for tests and demos, all JSON, all under /_practice/ (no API name starts with "_"):
 *
 *   GET    /_practice/info                     url, API tokens, xAssist demo login
 *   GET    /_practice/requests?since=&limit=   recorded API requests, oldest first: {total, requests:[{seq, time,
 *                                              method, path, api, apiName, headers, body, fields, outcome:
 *                                              {processed, fault, httpStatus, status, code}}]}
 *   DELETE /_practice/requests                 forget them
 *   POST   /_practice/reset                    demo data back, requests, faults, xAssist sessions, clock and
 *                                              maintenance cleared (tokens stay)
 *   GET    /_practice/faults                   pending faults
 *   POST   /_practice/faults                   {kind, count?=1 | probability, seed?, code?, delayMs?, apiName?}
 *                                              kind: error520 | http500 | http502 | http503 | drop | drop-after | delay
 *   DELETE /_practice/faults                   clear them
 *   POST   /_practice/maintenance              {on: true|false}: every Chat&Messenger call answers 503
 *   GET    /_practice/settings                 current settings
 *   POST   /_practice/settings                 {rateLimit: {requests, perMs} | null, xassistTokenLifetimeSec}
 *   POST   /_practice/clock                    {advanceMs} moves the practice server clock forward, {reset: true} back
 *   GET    /_practice/state                    everything the web page shows
 *   GET    /_practice/events                   server-sent "changed" events for the web page (throttled)
 *   POST   /_practice/quickcalls/:sid/join     {name?} a simulated participant joins
 *   POST   /_practice/quickcalls/:sid/leave    {name?} one simulated participant (of that name) leaves
 *   POST   /_practice/xassist/calls/:callId/join   {userId?} (absent = anonymous guest)
 *   POST   /_practice/xassist/calls/:callId/leave  {userId?}
 *   POST   /_practice/xassist/calls/:callId/end
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { findQuickCall } from "../cam/cam-calls";
import { sendJson } from "./http-util";
import type { Runtime } from "../runtime";
import { stateView } from "./state-view";
import { practiceInfo } from "../info";
import { callView, endCall, findCall, joinCall, leaveCall, XaFailure } from "../xassist/xassist-calls";

class ControlError extends Error {
  constructor(
    public httpStatus: number,
    message: string
  ) {
    super(message);
  }
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const value = JSON.parse(body.toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // answered below
  }
  throw new ControlError(400, "the body must be a JSON object");
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function settingsView(rt: Runtime) {
  return { ...rt.state.settings, clockOffsetMs: rt.state.clockOffsetMs };
}

function updateSettings(rt: Runtime, input: Record<string, unknown>) {
  if ("rateLimit" in input) {
    const limit = input.rateLimit as { requests?: unknown; perMs?: unknown } | null;
    if (limit === null || limit === undefined) rt.state.setRateLimit(null);
    else {
      const requests = Number(limit.requests);
      const perMs = Number(limit.perMs);
      if (!(Number.isInteger(requests) && requests > 0 && perMs > 0)) throw new ControlError(400, "rateLimit needs requests > 0 and perMs > 0");
      rt.state.setRateLimit({ requests, perMs });
    }
  }
  if ("xassistTokenLifetimeSec" in input) {
    const sec = Number(input.xassistTokenLifetimeSec);
    if (!(sec > 0)) throw new ControlError(400, "xassistTokenLifetimeSec must be > 0");
    rt.state.settings.xassistTokenLifetimeSec = sec;
  }
  return settingsView(rt);
}

function quickCall(rt: Runtime, sid: string, action: string, input: Record<string, unknown>) {
  const call = findQuickCall(rt.state, sid);
  if (!call) throw new ControlError(404, `no quick call ${sid}`);
  const name = optionalString(input.name);
  if (action === "join") {
    call.participants.push({ id: ++rt.state.data.counters.participant, name: name ?? "Simulated participant", via: "control", joinedAt: rt.state.now() });
  } else if (action === "leave") {
    const index = call.participants.findIndex((p) => p.via === "control" && (name === undefined || p.name === name));
    if (index < 0) throw new ControlError(409, "no simulated participant to leave");
    call.participants.splice(index, 1);
  } else throw new ControlError(404, `unknown action ${action}`);
  rt.state.changed();
  rt.presence.notify(sid);
  return { sid, participants: call.participants.length, participantNames: call.participants.map((p) => p.name) };
}

function xassistCall(rt: Runtime, callId: string, action: string, input: Record<string, unknown>) {
  const call = findCall(rt.state, callId);
  if (!call) throw new ControlError(404, `no call ${callId}`);
  const userId = optionalString(input.userId);
  if (action === "join") joinCall(rt.state, call, userId);
  else if (action === "leave") leaveCall(rt.state, call, userId);
  else if (action === "end") endCall(rt.state, call);
  else throw new ControlError(404, `unknown action ${action}`);
  return callView(call);
}

function route(rt: Runtime, method: string, parts: string[], query: URLSearchParams, body: Buffer): unknown {
  const key = `${method} ${parts[0] ?? ""}`;
  switch (key) {
    case "GET info":
      return practiceInfo(rt);
    case "GET requests": {
      const since = Number(query.get("since") ?? 0) || 0;
      const limit = Number(query.get("limit") ?? Infinity) || Infinity;
      return { total: rt.recorder.total, requests: rt.recorder.list(since, limit) };
    }
    case "DELETE requests":
      rt.recorder.clear();
      return { ok: true };
    case "POST reset":
      rt.recorder.clear();
      rt.faults.clear();
      rt.sessions.clear();
      rt.state.reset();
      return { ok: true };
    case "GET faults":
      return { faults: rt.faults.pending() };
    case "POST faults": {
      const fault = rt.faults.add(parseJson(body));
      if (typeof fault === "string") throw new ControlError(400, fault);
      rt.live.changed();
      return fault;
    }
    case "DELETE faults":
      rt.faults.clear();
      rt.live.changed();
      return { ok: true };
    case "POST maintenance": {
      const on = parseJson(body).on;
      if (typeof on !== "boolean") throw new ControlError(400, "on must be true or false");
      rt.state.settings.maintenance = on;
      rt.state.changed();
      return { maintenance: on };
    }
    case "GET settings":
      return settingsView(rt);
    case "POST settings":
      return updateSettings(rt, parseJson(body));
    case "POST clock": {
      const input = parseJson(body);
      if (input.reset === true) rt.state.clockOffsetMs = 0;
      else {
        const ms = Number(input.advanceMs);
        if (!Number.isFinite(ms)) throw new ControlError(400, "advanceMs must be a number");
        rt.state.clockOffsetMs += ms;
      }
      rt.state.changed();
      return { now: rt.state.now(), clockOffsetMs: rt.state.clockOffsetMs };
    }
    case "GET state":
      return stateView(rt);
    case "POST quickcalls":
      return quickCall(rt, parts[1] ?? "", parts[2] ?? "", parseJson(body));
    case "POST xassist":
      if (parts[1] !== "calls") break;
      return xassistCall(rt, parts[2] ?? "", parts[3] ?? "", parseJson(body));
  }
  throw new ControlError(404, `no control endpoint ${method} /_practice/${parts.join("/")}`);
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ControlError(400, `not a valid path: ${part}`);
  }
}

export interface ControlAnswer {
  httpStatus: number;
  value: unknown;
}

/** A control endpoint's answer, for the HTTP route below and for callers in the same process. */
export function control(rt: Runtime, method: string, rest: string, query: URLSearchParams, body: Buffer): ControlAnswer {
  try {
    const parts = rest.split("/").filter(Boolean).map(decodePart);
    return { httpStatus: 200, value: route(rt, method, parts, query, body) };
  } catch (err) {
    if (err instanceof ControlError || err instanceof XaFailure) return { httpStatus: err.httpStatus, value: { error: err.message } };
    throw err;
  }
}

export function handleControl(rt: Runtime, req: IncomingMessage, res: ServerResponse, rest: string, query: URLSearchParams, body: Buffer): void {
  if (req.method === "GET" && rest.replace(/\/+$/, "") === "events") {
    rt.live.subscribe(res);
    return;
  }
  const answer = control(rt, req.method ?? "GET", rest, query, body);
  sendJson(res, answer.httpStatus, answer.value);
}
