// A local Chat&Messenger + xAssist server: start({ port: 0 }) from tests, `npm run practice-server` for demos.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleApi, type ApiTarget } from "./http/api-route";
import { isCamOperation } from "./cam/cam-api";
import { CONTROL_PREFIX, DEFAULT_HOST, DEFAULT_MAX_RECORDED, DEFAULT_PORT, SHARE_PREFIX } from "./contract";
import { control, handleControl, type ControlAnswer } from "./http/control-routes";
import { Faults } from "./http/faults";
import { BodyTooLarge, readBody, send, sendHtml } from "./http/http-util";
import { xassistLogin } from "./info";
import { LiveUpdates } from "./http/live";
import { INDEX_HTML } from "./http/page-index";
import { Recorder } from "./http/recorder";
import { httpError } from "./http/reply";
import type { Runtime } from "./runtime";
import { handleSharePage, SharePresence } from "./http/share";
import { PracticeState, type RateLimit } from "./state";
import { isXassistPath } from "./xassist/xassist-api";
import { XaSessions } from "./xassist/xassist-sessions";

interface PracticeServerOptions {
  port?: number;
  host?: string;
  /** the admin API token; random when omitted */
  token?: string;
  /** persist the state as JSON in this file (loaded on start when it exists) */
  dataFile?: string;
  rateLimit?: RateLimit | null;
  xassistTokenLifetimeSec?: number;
  quiet?: boolean;
  maxRecorded?: number;
  /**
   * false: the web page and /_practice/ answer 404 over HTTP; only control() reaches them (the
   * practice server, whose live view goes through Node-RED's admin API and its permissions).
   */
  httpControl?: boolean;
  /** Do not keep the process alive (the practice server lives as long as Node-RED, not longer). */
  unref?: boolean;
}

export interface PracticeServer {
  url: string;
  port: number;
  tokens: { admin: string; user: string; disabled: string };
  xassist: ReturnType<typeof xassistLogin>;
  state: PracticeState;
  /** A control endpoint in this process: control("POST", "quickcalls/<sid>/join", {name}). */
  control(method: string, path: string, body?: unknown): ControlAnswer;
  /** Called with the state's version after changes, at most every LIVE_PUSH_INTERVAL_MS; returns the unsubscribe. */
  onChange(listener: (version: number) => void): () => void;
  close(): Promise<void>;
}

function apiTarget(path: string): ApiTarget {
  if (isXassistPath(path)) return { api: "xassist" };
  const name = path.slice(1);
  return isCamOperation(name) ? { api: "cam", op: name } : { api: "unknown" };
}

async function onRequest(rt: Runtime, req: IncomingMessage, res: ServerResponse, httpControl: boolean): Promise<void> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? "" : url.slice(q + 1);
  if (!httpControl && (path === "/" || path.startsWith(CONTROL_PREFIX))) return send(res, httpError(404, "not found", path, rt.state.now()));
  if (path === "/" && req.method === "GET") return sendHtml(res, 200, INDEX_HTML);
  if (path === "/favicon.ico") return send(res, { httpStatus: 204, contentType: "image/x-icon", body: "", processed: true });
  if (path.startsWith(SHARE_PREFIX) && req.method === "GET") {
    return handleSharePage(rt.state, rt.presence, req, res, path.slice(SHARE_PREFIX.length), new URLSearchParams(query));
  }
  const body = await readBody(req);
  if (path.startsWith(CONTROL_PREFIX)) return handleControl(rt, req, res, path.slice(CONTROL_PREFIX.length), new URLSearchParams(query), body);
  await handleApi(rt, apiTarget(path), req, res, path, query, body);
}

export function start(options: PracticeServerOptions = {}): Promise<PracticeServer> {
  const host = options.host ?? DEFAULT_HOST;
  const state = new PracticeState(options.token, options.dataFile, {
    rateLimit: options.rateLimit ?? null,
    xassistTokenLifetimeSec: options.xassistTokenLifetimeSec,
  });
  const recorder = new Recorder(options.maxRecorded ?? DEFAULT_MAX_RECORDED);
  const rt: Runtime = {
    url: "",
    state,
    recorder,
    faults: new Faults(),
    live: new LiveUpdates(() => ({ requestsTotal: recorder.total })),
    sessions: new XaSessions(),
    presence: new SharePresence(state),
    timers: new Set(),
  };
  state.onChange = () => rt.live.changed();
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    onRequest(rt, req, res, options.httpControl !== false).catch((err: unknown) => {
      if (err instanceof BodyTooLarge) return send(res, httpError(413, "request body too large", req.url ?? "", state.now()));
      if (!options.quiet) console.error("practice server:", err);
      send(res, httpError(500, String((err as Error)?.message ?? err), req.url ?? "", state.now()));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    if (options.unref) server.unref();
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      const port = (server.address() as AddressInfo).port;
      const shownHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
      rt.url = `http://${shownHost}:${port}`;
      let closing: Promise<void> | undefined;
      const close = () =>
        (closing ??= new Promise<void>((done) => {
          for (const timer of rt.timers) clearTimeout(timer);
          rt.live.close();
          rt.presence.close();
          server.close(() => done());
          for (const socket of sockets) socket.destroy();
          state.save();
          state.closed = true;
        }));
      resolve({
        url: rt.url,
        port,
        tokens: { ...state.data.tokens },
        xassist: xassistLogin(),
        state,
        control: (method, target, body) => {
          const [path, query = ""] = target.split("?", 2);
          return control(rt, method, path, new URLSearchParams(query), Buffer.from(body === undefined ? "" : JSON.stringify(body)));
        },
        onChange: (listener) => rt.live.listen(listener),
        close,
      });
    });
  });
}
