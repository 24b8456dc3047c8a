// TeamViewer Frontline xAssist endpoints: every API of the wire contract (src/xassist/xassist-apis.ts).
import { XASSIST_APIS, type XassistApiName, type XassistQuery } from "../../xassist/xassist-apis";
import { XA_LOGIN_CONFLICTS_WITH_OPEN_SESSION, XA_PERMISSION_CREATE_CALL, XA_ROTATE_REFRESH_TOKEN } from "../contract";
import { httpError, ok, type Reply } from "../http/reply";
import type { PracticeState } from "../state";
import type { XaUser } from "../types";
import { callView, createCall, findCall, XaFailure } from "./xassist-calls";
import type { XaSessions } from "./xassist-sessions";

const BY_PATH = new Map(Object.entries(XASSIST_APIS).map(([name, api]) => [api.path, name as XassistApiName]));
export const isXassistPath = (path: string) => BY_PATH.has(path);

interface XaRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: string;
}

function jsonBody(req: XaRequest): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(req.body);
  } catch {
    throw new XaFailure(400, "the request body is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new XaFailure(400, "the request body must be a JSON object");
  return value as Record<string, unknown>;
}

function login(state: PracticeState, sessions: XaSessions, req: XaRequest, force: boolean): Reply {
  const body = jsonBody(req);
  const { username, password, domain, agreedToTos } = body;
  if (typeof username !== "string" || typeof password !== "string") throw new XaFailure(400, "username and password are required");
  if (agreedToTos !== "true" && agreedToTos !== true) throw new XaFailure(400, 'agreedToTos must be "true"');
  const user = state.data.xaUsers.find((u) => u.userId === username && (domain === undefined || domain === null || domain === "" || u.domain === domain));
  if (!user || user.password !== password) throw new XaFailure(401, "Bad credentials");
  if (!force && XA_LOGIN_CONFLICTS_WITH_OPEN_SESSION && sessions.openSessions(user.userDbId) > 0) {
    throw new XaFailure(409, "the user is already logged in; use /auth/forceLogin");
  }
  return ok(sessions.login(user, state.now(), state.settings.xassistTokenLifetimeSec, force));
}

function userOfSession(state: PracticeState, userDbId: number): XaUser {
  const user = state.data.xaUsers.find((u) => u.userDbId === userDbId);
  if (!user) throw new XaFailure(401, "the user no longer exists");
  return user;
}

function refresh(state: PracticeState, sessions: XaSessions, req: XaRequest): Reply {
  const { refreshToken } = jsonBody(req);
  if (typeof refreshToken !== "string") throw new XaFailure(400, "refreshToken is required");
  const session = sessions.check(refreshToken, "refresh", state.now());
  if (!session) throw new XaFailure(401, "the refresh token is invalid or expired");
  const user = userOfSession(state, session.userDbId);
  return ok(sessions.refresh(user, refreshToken, state.now(), state.settings.xassistTokenLifetimeSec, XA_ROTATE_REFRESH_TOKEN));
}

function authenticated(state: PracticeState, sessions: XaSessions, req: XaRequest): XaUser {
  const match = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? "");
  if (!match) throw new XaFailure(401, "Full authentication is required to access this resource");
  const session = sessions.check(match[1], "access", state.now());
  if (!session) throw new XaFailure(401, "the access token is invalid, expired or its session has ended");
  return userOfSession(state, session.userDbId);
}

function getCallLogById(state: PracticeState, sessions: XaSessions, req: XaRequest): Reply {
  authenticated(state, sessions, req);
  const name: XassistQuery<"getCallLogById"> = "callId";
  const callId = req.query.get(name);
  if (!callId) throw new XaFailure(400, `Required parameter '${name}' is not present`);
  const call = findCall(state, callId);
  if (!call) throw new XaFailure(404, `no call ${callId}`);
  return ok(callView(call), { processed: true });
}

/** Every API of the wire contract has its handler: TypeScript insists. */
const HANDLERS: Record<XassistApiName, (state: PracticeState, sessions: XaSessions, req: XaRequest) => Reply> = {
  login: (state, sessions, req) => login(state, sessions, req, false),
  forceLogin: (state, sessions, req) => login(state, sessions, req, true),
  refresh,
  createCall(state, sessions, req) {
    const user = authenticated(state, sessions, req);
    if (!user.permissions.includes(XA_PERMISSION_CREATE_CALL)) throw new XaFailure(403, "Access is denied");
    return ok(callView(createCall(state, user, jsonBody(req))));
  },
  getCallLogById,
};

export function handleXassist(state: PracticeState, sessions: XaSessions, req: XaRequest): Reply {
  try {
    const name = BY_PATH.get(req.path)!;
    if (req.method !== XASSIST_APIS[name].method) throw new XaFailure(405, `Request method '${req.method}' is not supported`);
    return HANDLERS[name](state, sessions, req);
  } catch (err) {
    if (err instanceof XaFailure) return httpError(err.httpStatus, err.message, req.path, state.now());
    throw err;
  }
}
