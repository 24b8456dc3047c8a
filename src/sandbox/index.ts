// A local Chat&Messenger + xAssist server: start({ port: 0 }) from tests, `npm run sandbox` for demos.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleApi, type ApiTarget } from "./api-route";
import { isCamOperation } from "./cam-api";
import { CONTROL_PREFIX, DEFAULT_HOST, DEFAULT_MAX_RECORDED, DEFAULT_PORT, SHARE_PREFIX } from "./contract";
import { handleControl } from "./control-routes";
import { Faults } from "./faults";
import { BodyTooLarge, readBody, send, sendHtml } from "./http-util";
import { xassistLogin } from "./info";
import { LiveUpdates } from "./live";
import { INDEX_HTML } from "./page-index";
import { Recorder } from "./recorder";
import { httpError } from "./reply";
import type { Runtime } from "./runtime";
import { handleSharePage, SharePresence } from "./share";
import { SandboxState, type RateLimit } from "./state";
import { isXassistPath } from "./xassist-api";
import { XaSessions } from "./xassist-sessions";

export interface SandboxOptions {
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
}

export interface Sandbox {
  url: string;
  port: number;
  tokens: { admin: string; user: string; disabled: string };
  xassist: ReturnType<typeof xassistLogin>;
  state: SandboxState;
  close(): Promise<void>;
}

function apiTarget(path: string): ApiTarget {
  if (isXassistPath(path)) return { api: "xassist" };
  const name = path.slice(1);
  return isCamOperation(name) ? { api: "cam", op: name } : { api: "unknown" };
}

async function onRequest(rt: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? "" : url.slice(q + 1);
  if (path === "/" && req.method === "GET") return sendHtml(res, 200, INDEX_HTML);
  if (path === "/favicon.ico") return send(res, { httpStatus: 204, contentType: "image/x-icon", body: "", processed: true });
  if (path.startsWith(SHARE_PREFIX) && req.method === "GET") {
    return handleSharePage(rt.state, rt.presence, req, res, path.slice(SHARE_PREFIX.length), new URLSearchParams(query));
  }
  const body = await readBody(req);
  if (path.startsWith(CONTROL_PREFIX)) return handleControl(rt, req, res, path.slice(CONTROL_PREFIX.length), new URLSearchParams(query), body);
  await handleApi(rt, apiTarget(path), req, res, path, query, body);
}

export function start(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? DEFAULT_HOST;
  const state = new SandboxState(options.token, options.dataFile, {
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
    onRequest(rt, req, res).catch((err: unknown) => {
      if (err instanceof BodyTooLarge) return send(res, httpError(413, "request body too large", req.url ?? "", state.now()));
      if (!options.quiet) console.error("sandbox:", err);
      send(res, httpError(500, String((err as Error)?.message ?? err), req.url ?? "", state.now()));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
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
      resolve({ url: rt.url, port, tokens: { ...state.data.tokens }, xassist: xassistLogin(), state, close });
    });
  });
}
