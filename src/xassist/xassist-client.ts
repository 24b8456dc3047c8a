import { ANY_ANSWER, badResponse, checkAnswer, isWebPage, parseJson, type Answer } from "../core/transport/answer";
import { waitForShared, type CallScope } from "../core/transport/call-scope";
import type { ConnectionOptions } from "../core/transport/dispatcher";
import { CodedError, ErrorCode } from "../core/errors";
import { t } from "../core/i18n";
import type { RetryPolicy } from "../core/transport/retry";
import { closedError, Transport, type CallHooks, type TransportOptions } from "../core/transport/transport";
import { XASSIST_APIS, type XassistApiName, type XassistQuery } from "./xassist-apis";
import { XassistError } from "./xassist-errors";

// The paths a node may call, for the tests that check where requests go.
export { XASSIST_PATHS } from "./xassist-apis";

/** Statuses of a refused login: the credentials, the account or an open session; anything else is passed on. */
const LOGIN_REFUSED = new Set([400, 401, 403, 409]);
/** After a refused login, messages fail at once for this long instead of each trying the same password again. */
const LOGIN_REFUSED_PAUSE_MS = 60_000;
/** Refresh this share of the token's lifetime before it ends, at most REFRESH_MARGIN_MAX_MS. */
const REFRESH_MARGIN_SHARE = 0.1;
const REFRESH_MARGIN_MAX_MS = 30_000;
/**
 * What an access token must be to travel in an Authorization header: visible ASCII (a JWT is
 * base64url and dots), far below the header size servers accept (Node: 16 KB for all headers).
 */
const SENDABLE_TOKEN = /^[\x21-\x7e]{1,8192}$/;

export interface XassistClientOptions extends ConnectionOptions, RetryPolicy, TransportOptions {
  serverURL: string;
  domain: string;
  username: string;
  password: string;
  /** Log in with /auth/forceLogin, which ends the user's older session. */
  forceLogin: boolean;
  refreshPath: string;
  /** Used when the access token carries no readable `exp`. */
  tokenLifetimeMs: number;
  /** Calls waiting for one of the `connections`; beyond it a call fails at once (QUEUE_FULL). */
  queueLimit: number;
}

export interface XRequest {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** What a success answer is; unset, any JSON. */
  answer?: Answer;
  /** The answer carries the session's tokens: read as sent (the tokens are masked from then on). */
  tokens?: boolean;
}

/**
 * A request to an API of the wire contract (xassist-apis.ts): its method, path and success answer
 * from there; TypeScript refuses a query parameter the contract does not name for it.
 */
export function xassistRequest<N extends XassistApiName>(name: N, parts: { query?: Record<XassistQuery<N>, string>; body?: unknown } = {}): XRequest {
  const { method, path, answer } = XASSIST_APIS[name];
  return { method, path, answer, ...parts };
}

export interface XResponse {
  status: number;
  data: unknown;
}

interface Session {
  token: string;
  refreshToken?: string;
  /** Local clock: refresh from here on. */
  refreshAt: number;
}

/**
 * Speaks the xAssist wire contract (API-NOTES §2): logs in lazily, keeps the tokens in memory,
 * refreshes shortly before expiry, and on a 401 logs in again once and retries once.
 * Concurrent requests share one login or refresh.
 */
export class XassistClient {
  readonly baseURL: string;
  private readonly transport: Transport;
  private session?: Session;
  private authenticating?: Promise<Session>;
  private refused?: { error: CodedError; until: number };

  constructor(private readonly options: XassistClientOptions) {
    this.baseURL = options.serverURL.replace(/\/+$/, "");
    this.transport = new Transport(options);
    this.transport.secrets.add(options.password);
  }

  /**
   * GET only reads: it is the kind of call that may be repeated after a timeout. A call first waits,
   * outside the queue, for the login that every waiting call shares: a login that hangs or fails
   * ends them all at its one deadline, instead of a new login for each round of queued calls.
   */
  async call(req: XRequest, hooks: CallHooks = {}): Promise<XResponse> {
    if (this.transport.isClosed) throw closedError();
    await waitForShared(this.currentSession(), hooks.scope, closedError);
    return this.transport.run(() => this.authorised(req, hooks.scope), req.method === "GET", hooks);
  }

  /** One login and no other request: the server dialog's "Test connection". */
  async checkLogin(): Promise<void> {
    await this.transport.run(() => this.login(), false);
  }

  close(): Promise<void> {
    this.session = undefined;
    return this.transport.close();
  }

  private async authorised(req: XRequest, scope?: CallScope): Promise<XResponse> {
    const used = await this.currentSession();
    try {
      return await this.send(req, used.token, scope);
    } catch (err) {
      if (!(err instanceof XassistError) || err.details.status !== 401) throw err;
      // Expired early, or the session was ended elsewhere (forceLogin): one fresh login, one retry.
      const fresh = await this.relogin(used);
      return await this.send(req, fresh.token, scope);
    }
  }

  private currentSession(): Promise<Session> {
    if (this.authenticating) return this.authenticating;
    const session = this.session;
    if (session && Date.now() < session.refreshAt) return Promise.resolve(session);
    return this.authenticate(session?.refreshToken);
  }

  /** Another request may already have replaced the rejected session: then use the new one. */
  private relogin(rejected: Session): Promise<Session> {
    if (this.authenticating) return this.authenticating;
    if (this.session && this.session !== rejected) return Promise.resolve(this.session);
    this.session = undefined;
    return this.authenticate(undefined);
  }

  private authenticate(refreshToken: string | undefined): Promise<Session> {
    // A busy flow must not turn a changed password into one failed login per message (and a locked account).
    if (this.refused && Date.now() < this.refused.until) return Promise.reject(this.refused.error);
    const signIn = async () => {
      if (refreshToken) {
        try {
          return (this.session = await this.refresh(refreshToken));
        } catch (err) {
          if (this.transport.isClosed) throw err;
          // A refused refresh (expired, session ended, unknown path) falls back to a fresh login.
        }
      }
      this.session = undefined;
      return (this.session = await this.login());
    };
    // Its own attempts and retries, outside the queue: the calls that wait for it hold places there.
    const work = this.transport.attempts(signIn, false).finally(() => (this.authenticating = undefined));
    this.authenticating = work;
    return work;
  }

  private async login(): Promise<Session> {
    const { username, password, domain, forceLogin } = this.options;
    const body: Record<string, string> = { username, password };
    if (domain) body.domain = domain;
    body.agreedToTos = "true";
    try {
      const res = await this.send({ ...xassistRequest(forceLogin ? "forceLogin" : "login", { body }), tokens: true });
      return this.sessionFrom(res.data);
    } catch (err) {
      if (!(err instanceof XassistError) || !LOGIN_REFUSED.has(err.details.status as number)) throw err;
      const status = err.details.status;
      const reason = status === 409 ? "loginConflict" : "login";
      const refused = new CodedError("LOGIN_FAILED", t(`xassist-config:errors.${reason}`, { status, message: err.details.apiMessage ?? "" }).trim(), {
        status,
        apiMessage: err.details.apiMessage,
        retryable: false,
      });
      // Kept for the messages of the next minute, which get it without passing the transport's masking.
      const error = this.transport.secrets.error(refused);
      this.refused = { error, until: Date.now() + LOGIN_REFUSED_PAUSE_MS };
      throw error;
    }
  }

  private async refresh(refreshToken: string): Promise<Session> {
    // The path is the config node's option (xassist-apis.ts: it is not public).
    const res = await this.send({ ...xassistRequest("refresh", { body: { refreshToken } }), path: this.options.refreshPath, tokens: true });
    const session = this.sessionFrom(res.data);
    session.refreshToken ??= refreshToken;
    return session;
  }

  private sessionFrom(data: unknown): Session {
    const answer = (data ?? {}) as { token?: unknown; refreshToken?: unknown };
    if (typeof answer.token !== "string" || !answer.token) {
      throw new CodedError(ErrorCode.badResponse, t("xassist-config:errors.noToken"), { retryable: false });
    }
    const refreshToken = typeof answer.refreshToken === "string" && answer.refreshToken ? answer.refreshToken : undefined;
    // A token that cannot be sent is never used (so it is no secret of ours), and the error does not show it.
    if (!SENDABLE_TOKEN.test(answer.token)) {
      throw new CodedError(ErrorCode.badResponse, t("xassist-config:errors.unusableToken", { length: answer.token.length }), { retryable: false });
    }
    this.transport.secrets.session("access", answer.token);
    if (refreshToken) this.transport.secrets.session("refresh", refreshToken);
    return { token: answer.token, refreshToken, refreshAt: this.refreshTime(answer.token) };
  }

  /**
   * Measured on the local clock from now, so that a server clock that differs from ours does not matter:
   * the lifetime is exp − iat of the JWT, or exp − now without iat, or the configured lifetime.
   */
  private refreshTime(token: string): number {
    const now = Date.now();
    const claims = jwtClaims(token);
    let lifetimeMs = this.options.tokenLifetimeMs;
    if (typeof claims?.exp === "number") {
      lifetimeMs = typeof claims.iat === "number" ? (claims.exp - claims.iat) * 1000 : claims.exp * 1000 - now;
    }
    const margin = Math.min(REFRESH_MARGIN_MAX_MS, Math.max(0, lifetimeMs) * REFRESH_MARGIN_SHARE);
    return now + lifetimeMs - margin;
  }

  private async send(req: XRequest, token?: string, scope?: CallScope): Promise<XResponse> {
    const url = new URL(this.baseURL + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.body !== undefined) headers["content-type"] = "application/json";
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const answer = req.answer ?? ANY_ANSWER;
    const out = { origin: url.origin, path: url.pathname + url.search, method: req.method, headers, body };
    const res = await this.transport.exchange(out, answer, scope);
    const secrets = this.transport.secrets;
    const { statusCode } = res;
    if (statusCode < 200 || statusCode > 299) throw XassistError.fromResponse(statusCode, secrets.redact(res.text), req.path);
    if (isWebPage(res.contentType, res.text)) throw badResponse("webPage", { api: req.path, type: res.contentType || "?" }, statusCode);
    if (!res.text && answer.kind !== "json") return { status: statusCode, data: null };
    const data = parseJson(req.tokens ? res.text : secrets.redact(res.text), req.path, statusCode, res.contentType);
    checkAnswer(data, answer, req.path);
    return { status: statusCode, data };
  }
}

function jwtClaims(token: string): { exp?: unknown; iat?: unknown } | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return claims && typeof claims === "object" ? claims : undefined;
  } catch {
    return undefined;
  }
}
