// Server-sent events for the web page. A change only sets a flag; at most one push goes out per
// interval however many requests arrive, so a flood costs nothing but the flag.
import type { ServerResponse } from "node:http";
import { LIVE_HEARTBEAT_MS, LIVE_PUSH_INTERVAL_MS } from "../contract";

export class LiveUpdates {
  private clients = new Set<ServerResponse>();
  /** In-process watchers (the practice server's live view in the Node-RED editor). */
  private listeners = new Set<(version: number) => void>();
  private dirty = false;
  private version = 0;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout;

  constructor(private summary: () => object) {
    this.heartbeat = setInterval(() => this.broadcast(": heartbeat\n\n"), LIVE_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get currentVersion(): number {
    return this.version;
  }

  changed(): void {
    this.version++;
    if (this.dirty) return;
    this.dirty = true;
    if (this.clients.size === 0 && this.listeners.size === 0) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.dirty) return;
      this.dirty = false;
      if (this.clients.size) this.broadcast(`event: changed\ndata: ${JSON.stringify({ version: this.version, ...this.summary() })}\n\n`);
      for (const listener of this.listeners) listener(this.version);
    }, LIVE_PUSH_INTERVAL_MS);
    this.timer.unref();
  }

  subscribe(res: ServerResponse): void {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ version: this.version })}\n\n`);
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
    if (this.dirty) this.schedule();
  }

  /** Calls `listener` with the version after changes, as often as the page is pushed; returns the unsubscribe. */
  listen(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private broadcast(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.listeners.clear();
  }
}
