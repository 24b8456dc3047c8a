import { Backoffs, type CallScope } from "./call-scope";
import { transportError } from "./transport-errors";
import type { RetryHooks } from "./cam-config-node";
import { closeDispatcher, createDispatcher, type ConnectionOptions } from "./dispatcher";
import { CamError, ErrorCode } from "./errors";
import { exchange } from "./exchange";
import { Limiter } from "./limiter";
import { t } from "./i18n";
import { retryDelay, type RetryPolicy } from "./retry";
import type { Dispatcher } from "./undici";
import { XassistError } from "./xassist-errors";

/** API-NOTES §2; the refresh path is an option because it is not public. */
export const XASSIST_PATHS = {
  login: "/login",
  forceLogin: "/auth/forceLogin",
  refresh: "/auth/refresh",
  createCall: "/rtc/createCall",
  getCallLogById: "/rtc/getCallLogById",
} as const;
/** Statuses of a refused login: the credentials, the account or an open session; anything else is passed on. */
const LOGIN_REFUSED = new Set([400, 401, 403, 409]);
const CLOSE_GRACE_MS = 10_000;
/** After a refused login, messages fail at once for this long instead of each trying the same password again. */
const LOGIN_REFUSED_PAUSE_MS = 60_000;
/** Shorter "secrets" would blank out ordinary words of an error message. */
const MIN_SECRET_LENGTH = 4;
/** Refresh this share of the token's lifetime before it ends, at most REFRESH_MARGIN_MAX_MS. */
const REFRESH_MARGIN_SHARE = 0.1;
const REFRESH_MARGIN_MAX_MS = 30_000;
const RETRYABLE_GET = new Set([502, 503, 504]);
const RETRYABLE_POST = new Set([503]);

export interface XassistClientOptions extends ConnectionOptions, RetryPolicy {
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
}

/**
 * The node's hooks: a retry callback, and the scope its close ends the call through (a login that
 * other requests share is never aborted).
 */
export interface XCallHooks extends RetryHooks {
  scope?: CallScope;
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
  private readonly dispatcher: Dispatcher;
  private readonly limiter: Limiter;
  private session?: Session;
  private authenticating?: Promise<Session>;
  private refused?: { error: CamError; until: number };
  private readonly backoffs = new Backoffs();
  private closed = false;

  constructor(private readonly options: XassistClientOptions) {
    this.baseURL = options.serverURL.replace(/\/+$/, "");
    this.dispatcher = createDispatcher(options);
    this.limiter = new Limiter(options.connections, options.queueLimit);
  }

  async call(req: XRequest, hooks: XCallHooks = {}): Promise<XResponse> {
    const waiting = this.limiter.acquire(hooks.scope);
    if (waiting) await waiting;
    try {
      return await this.attempts(req, hooks);
    } finally {
      this.limiter.release();
    }
  }

  private async attempts(req: XRequest, hooks: XCallHooks): Promise<XResponse> {
    const retryable = req.method === "GET" ? RETRYABLE_GET : RETRYABLE_POST;
    for (let attempt = 1; ; attempt++) {
      if (this.closed || hooks.scope?.stopped) throw closedError();
      try {
        return await this.authorised(req, hooks.scope);
      } catch (err) {
        if (hooks.scope?.aborted) throw abortedError();
        const error = this.safe(transportError(err));
        const again = error.retryable || retryable.has(error.details.status as number);
        if (!again || attempt > this.options.retries || this.closed) {
          error.details.attempts = attempt;
          throw error;
        }
        const delay = retryDelay(this.options, attempt);
        hooks.onRetry?.(attempt, error, delay);
        await this.backoffs.wait(delay, hooks.scope);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.session = undefined;
    this.limiter.close();
    this.backoffs.interruptAll();
    await closeDispatcher(this.dispatcher, CLOSE_GRACE_MS);
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
    const work = (async () => {
      try {
        if (refreshToken) {
          try {
            return (this.session = await this.refresh(refreshToken));
          } catch (err) {
            if (this.closed) throw err;
            // A refused refresh (expired, session ended, unknown path) falls back to a fresh login.
          }
        }
        this.session = undefined;
        return (this.session = await this.login());
      } finally {
        this.authenticating = undefined;
      }
    })();
    this.authenticating = work;
    return work;
  }

  private async login(): Promise<Session> {
    const { username, password, domain, forceLogin } = this.options;
    const body: Record<string, string> = { username, password };
    if (domain) body.domain = domain;
    body.agreedToTos = "true";
    try {
      const res = await this.send({ method: "POST", path: forceLogin ? XASSIST_PATHS.forceLogin : XASSIST_PATHS.login, body });
      return this.sessionFrom(res.data);
    } catch (err) {
      if (!(err instanceof XassistError) || !LOGIN_REFUSED.has(err.details.status as number)) throw err;
      const status = err.details.status;
      const reason = status === 409 ? "loginConflict" : "login";
      const error = new CamError("LOGIN_FAILED", t(`xassist-config:errors.${reason}`, { status, message: err.details.apiMessage ?? "" }).trim(), {
        status,
        apiMessage: err.details.apiMessage,
        retryable: false,
      });
      this.refused = { error, until: Date.now() + LOGIN_REFUSED_PAUSE_MS };
      throw error;
    }
  }

  private async refresh(refreshToken: string): Promise<Session> {
    const res = await this.send({ method: "POST", path: this.options.refreshPath, body: { refreshToken } });
    const session = this.sessionFrom(res.data);
    session.refreshToken ??= refreshToken;
    return session;
  }

  private sessionFrom(data: unknown): Session {
    const answer = (data ?? {}) as { token?: unknown; refreshToken?: unknown };
    if (typeof answer.token !== "string" || !answer.token) {
      throw new CamError(ErrorCode.badResponse, t("xassist-config:errors.noToken"), { retryable: false });
    }
    const refreshToken = typeof answer.refreshToken === "string" && answer.refreshToken ? answer.refreshToken : undefined;
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
    if (this.closed) throw closedError();
    const url = new URL(this.baseURL + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.body !== undefined) headers["content-type"] = "application/json";
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const res = await exchange(this.dispatcher, { origin: url.origin, path: url.pathname + url.search, method: req.method, headers, body }, scope);
    const { text } = res;
    if (res.statusCode < 200 || res.statusCode > 299) throw XassistError.fromResponse(res.statusCode, text, req.path);
    if (!text) return { status: res.statusCode, data: null };
    try {
      return { status: res.statusCode, data: JSON.parse(text) };
    } catch {
      throw new CamError(ErrorCode.badResponse, t("xassist-config:errors.badResponse", { path: req.path }), {
        status: res.statusCode,
      });
    }
  }

  /** A server could echo a secret in a message; it must never reach a log or a Catch node. */
  private safe(error: CamError): CamError {
    const secrets = [this.options.password, this.session?.token, this.session?.refreshToken].filter(
      (s): s is string => !!s && s.length >= MIN_SECRET_LENGTH
    );
    const redact = (text: string) => secrets.reduce((out, secret) => out.split(secret).join("***"), text);
    if (secrets.some((s) => error.message.includes(s) || String(error.details.apiMessage ?? "").includes(s))) {
      const details = { ...error.details };
      if (typeof details.apiMessage === "string") details.apiMessage = redact(details.apiMessage);
      return new CamError(error.code, redact(error.message), details);
    }
    return error;
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

/** The node closed while its request was on the wire: the server may have acted on it. */
function abortedError(): CamError {
  return new CamError(ErrorCode.maybeDelivered, t("errors.maybeDelivered", { reason: "closed" }), { retryable: false });
}

function closedError(): CamError {
  return new CamError(ErrorCode.closed, t("errors.closed"), { retryable: false });
}
