// xAssist logins: JWT-shaped access and refresh tokens that expire on the practice server clock, and
// sessions that /auth/forceLogin ends.
import { createHmac, randomBytes } from "node:crypto";
import { XA_REFRESH_LIFETIME_SEC } from "../contract";
import type { XaUser } from "../types";

interface Session {
  id: string;
  userDbId: number;
  ended: boolean;
  startedAt: number;
}

interface TokenInfo {
  session: Session;
  kind: "access" | "refresh";
  expiresAt: number;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export class XaSessions {
  private secret = randomBytes(32);
  private tokens = new Map<string, TokenInfo>();
  private sessions: Session[] = [];

  private sign(user: XaUser, session: Session, kind: TokenInfo["kind"], now: number, lifetimeSec: number): string {
    const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const iat = Math.floor(now / 1000);
    const payload = b64url(
      JSON.stringify({
        sub: user.userId,
        domain: user.domain,
        userDbId: user.userDbId,
        sid: session.id,
        typ: kind,
        jti: randomBytes(6).toString("hex"),
        iat,
        exp: iat + lifetimeSec,
      })
    );
    const token = `${header}.${payload}.${b64url(createHmac("sha256", this.secret).update(`${header}.${payload}`).digest())}`;
    this.tokens.set(token, { session, kind, expiresAt: now + lifetimeSec * 1000 });
    return token;
  }

  openSessions(userDbId: number): number {
    return this.sessions.filter((s) => s.userDbId === userDbId && !s.ended).length;
  }

  /** force = end the user's older sessions first */
  login(user: XaUser, now: number, accessLifetimeSec: number, force: boolean) {
    if (force) for (const s of this.sessions) if (s.userDbId === user.userDbId) s.ended = true;
    this.prune(now);
    const session: Session = { id: randomBytes(8).toString("hex"), userDbId: user.userDbId, ended: false, startedAt: now };
    this.sessions.push(session);
    return {
      token: this.sign(user, session, "access", now, accessLifetimeSec),
      refreshToken: this.sign(user, session, "refresh", now, XA_REFRESH_LIFETIME_SEC),
      permissions: user.permissions,
    };
  }

  /** the valid session of a token, or undefined when it is unknown, of the wrong kind, expired or ended */
  check(token: string, kind: TokenInfo["kind"], now: number): Session | undefined {
    const info = this.tokens.get(token);
    if (!info || info.kind !== kind || info.session.ended || now >= info.expiresAt) return undefined;
    return info.session;
  }

  refresh(user: XaUser, refreshToken: string, now: number, accessLifetimeSec: number, rotate: boolean) {
    const session = this.check(refreshToken, "refresh", now)!;
    if (rotate) this.tokens.delete(refreshToken);
    return {
      token: this.sign(user, session, "access", now, accessLifetimeSec),
      refreshToken: rotate ? this.sign(user, session, "refresh", now, XA_REFRESH_LIFETIME_SEC) : refreshToken,
      permissions: user.permissions,
    };
  }

  private prune(now: number): void {
    if (this.tokens.size < 10000) return;
    for (const [token, info] of this.tokens) if (info.session.ended || now >= info.expiresAt) this.tokens.delete(token);
    this.sessions = this.sessions.filter((s) => !s.ended);
  }

  clear(): void {
    this.tokens.clear();
    this.sessions = [];
  }
}
