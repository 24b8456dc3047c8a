// The practice server's state: demo data, indexes over it, settings, the clock and the data file.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { MAX_MESSAGES_PER_LIST, SAVE_DEBOUNCE_MS, XA_DEFAULT_TOKEN_LIFETIME_SEC } from "./contract";
import { demoData, demoTokens } from "./demo-data";
import type { CamUser, ChatMessage, ChatRoom, PracticeData } from "./types";

export interface RateLimit {
  requests: number;
  perMs: number;
}

export interface Settings {
  rateLimit: RateLimit | null;
  xassistTokenLifetimeSec: number;
  maintenance: boolean;
}

export class PracticeState {
  data!: PracticeData;
  settings: Settings;
  /** added to Date.now(); POST /_practice/clock moves it so that expiry tests need no waiting */
  clockOffsetMs = 0;
  private usersByEmail = new Map<string, CamUser>();
  private usersByUid = new Map<string, CamUser>();
  private roomsByName = new Map<string, ChatRoom>();
  private roomsById = new Map<string, ChatRoom>();
  private rateWindows = new Map<string, { start: number; count: number }>();
  private saveTimer: NodeJS.Timeout | undefined;
  /** set by close(): no more saves are scheduled */
  closed = false;
  onChange: () => void = () => {};

  constructor(
    private adminToken: string | undefined,
    private dataFile: string | undefined,
    settings: Partial<Settings>
  ) {
    this.settings = {
      rateLimit: settings.rateLimit ?? null,
      xassistTokenLifetimeSec: settings.xassistTokenLifetimeSec ?? XA_DEFAULT_TOKEN_LIFETIME_SEC,
      maintenance: false,
    };
    const loaded = dataFile && existsSync(dataFile) ? (JSON.parse(readFileSync(dataFile, "utf8")) as PracticeData) : undefined;
    if (loaded) {
      if (adminToken && adminToken !== loaded.tokens.admin) {
        delete loaded.tokenOwners[loaded.tokens.admin];
        loaded.tokens.admin = adminToken;
        loaded.tokenOwners[adminToken] = loaded.users.find((u) => u.admin)?.email ?? "";
      }
      // visitors of a share page were connected to the previous process
      for (const call of loaded.quickCalls) call.participants = call.participants.filter((p) => p.via !== "page");
      this.setData(loaded);
    } else {
      this.setData(demoData(this.now(), demoTokens(adminToken)));
    }
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Back to the demo data; the API tokens stay the same. */
  reset(): void {
    this.clockOffsetMs = 0;
    this.settings.maintenance = false;
    this.rateWindows.clear();
    this.setData(demoData(this.now(), this.data.tokens));
    this.changed();
  }

  private setData(data: PracticeData): void {
    this.data = data;
    this.reindex();
  }

  reindex(): void {
    this.usersByEmail = new Map(this.data.users.map((u) => [u.email.toLowerCase(), u]));
    this.usersByUid = new Map(this.data.users.map((u) => [u.uid, u]));
    this.roomsByName = new Map(this.data.rooms.map((r) => [r.name, r]));
    this.roomsById = new Map(this.data.rooms.map((r) => [r.id, r]));
  }

  userByEmail(email: string): CamUser | undefined {
    return this.usersByEmail.get(email.toLowerCase());
  }

  userByUid(uid: string): CamUser | undefined {
    return this.usersByUid.get(uid);
  }

  /** Own keys only: a token such as "constructor" is a wrong token, not Object's property. */
  userByToken(token: string): CamUser | undefined {
    return Object.hasOwn(this.data.tokenOwners, token) ? this.userByEmail(this.data.tokenOwners[token]) : undefined;
  }

  roomByName(name: string): ChatRoom | undefined {
    return this.roomsByName.get(name);
  }

  roomById(id: string): ChatRoom | undefined {
    return this.roomsById.get(id);
  }

  /** true when this token may make one more request now */
  allowRequest(token: string): boolean {
    const limit = this.settings.rateLimit;
    if (!limit) return true;
    const now = this.now();
    let window = this.rateWindows.get(token);
    if (!window || now - window.start >= limit.perMs) {
      window = { start: now, count: 0 };
      this.rateWindows.set(token, window);
    }
    return ++window.count <= limit.requests;
  }

  setRateLimit(limit: RateLimit | null): void {
    this.settings.rateLimit = limit;
    this.rateWindows.clear();
  }

  addRoomMessage(roomId: string, message: ChatMessage): void {
    pushCapped((this.data.roomMessages[roomId] ??= []), message);
  }

  addDirectMessage(recipient: string, message: ChatMessage): void {
    pushCapped((this.data.directMessages[recipient] ??= []), message);
  }

  nextMessageId(): number {
    return ++this.data.counters.message;
  }

  changed(): void {
    this.onChange();
    if (this.dataFile && !this.saveTimer && !this.closed) {
      this.saveTimer = setTimeout(() => this.save(), SAVE_DEBOUNCE_MS);
      this.saveTimer.unref();
    }
  }

  save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.dataFile) return;
    const tmp = this.dataFile + ".tmp";
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.dataFile);
  }
}

function pushCapped(list: ChatMessage[], message: ChatMessage): void {
  list.push(message);
  if (list.length > MAX_MESSAGES_PER_LIST) list.splice(0, list.length - MAX_MESSAGES_PER_LIST);
}
