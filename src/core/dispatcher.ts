import type { Socket } from "node:net";
import * as tls from "node:tls";
import type * as Undici from "undici";
import { Agent, buildConnector, EnvHttpProxyAgent, Pool, ProxyAgent, type Dispatcher } from "./undici";

export interface ConnectionOptions {
  /** Sockets per origin: the config node's concurrency limit. */
  connections: number;
  /** PEM text of extra trusted certificate authorities (on-premise servers). */
  ca?: string;
  /** false accepts a certificate no trusted CA signed (self-signed test servers); the host name is still checked. */
  rejectUnauthorized: boolean;
  /** With rejectUnauthorized false: accept a certificate issued for another host name too. */
  skipHostCheck?: boolean;
  /** Explicit proxy URL; when empty, HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment apply. */
  proxy?: string;
  /** Never through a proxy, not even one of the environment (the practice server is in this process). */
  direct?: boolean;
  timeoutMs: number;
  /** Largest response body read; undefined: the transport's defaults per kind of answer. */
  maxResponseBytes?: number;
  /** How long an idle pooled socket is kept when the server sends no Keep-Alive hint (default 4 s). */
  keepAliveMs?: number;
}

const PROXY_ENV = ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"];

/**
 * Keep-alive choice: a pooled socket that the server closed while idle must never carry a request.
 * Most servers close idle sockets after 5 s or more (Node 5 s, Apache 5 s, nginx 75 s), so ours are
 * dropped after 4 s unless the server announces its own `Keep-Alive: timeout=N`, which undici then
 * follows minus a 2 s margin (capped at 60 s). undici also checks an idle socket for a pending FIN or
 * RST before it writes. What remains (a close racing with the write) is told apart by `wasNotSent`
 * (exchange.ts).
 */
const KEEP_ALIVE_DEFAULT_MS = 4_000;
const KEEP_ALIVE_MAX_MS = 60_000;
const KEEP_ALIVE_MARGIN_MS = 2_000;

/** One keep-alive dispatcher per config node, closed with it. */
export function createDispatcher(options: ConnectionOptions): Dispatcher {
  const relaxed = !options.rejectUnauthorized;
  const tlsOptions = {
    ca: options.ca || undefined,
    rejectUnauthorized: options.rejectUnauthorized,
    // A resumed session is not checked again: every relaxed handshake shows its certificate.
    ...(relaxed ? { maxCachedSessions: 0 } : {}),
  };
  const agentOptions = {
    connections: options.connections,
    connect: { ...tlsOptions, timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: options.keepAliveMs ?? KEEP_ALIVE_DEFAULT_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS,
    keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS,
    ...(relaxed && !options.skipHostCheck ? { factory: hostCheckingPool } : {}),
  };
  const proxyOptions = { ...agentOptions, requestTls: tlsOptions, clientFactory: proxyPool };
  if (options.proxy) return new ProxyAgent({ ...proxyOptions, uri: options.proxy });
  if (!options.direct && PROXY_ENV.some((name) => process.env[name])) return new EnvHttpProxyAgent(proxyOptions as object);
  return new Agent(agentOptions);
}

type Connector = Undici.buildConnector.connector;

/**
 * The pool for one origin, its connections checked for the host name. Node checks the host name only
 * when the certificate chain is trusted, so with relaxed checks it is done here, on every new
 * connection, direct or through a proxy's tunnel (`connect` is then the proxy agent's own).
 */
function hostCheckingPool(origin: string | URL, options: { connect?: Connector | Undici.buildConnector.BuildOptions }): Dispatcher {
  const connect = typeof options.connect === "function" ? options.connect : buildConnector(options.connect ?? {});
  return new Pool(origin, { ...options, connect: checkingHostName(connect) });
}

function checkingHostName(connect: Connector): Connector {
  return (target, callback) =>
    connect(target, (err, socket) => {
      if (err) return callback(err, null);
      if (!(socket instanceof tls.TLSSocket)) return callback(null, socket as Socket);
      const mismatch = tls.checkServerIdentity(target.hostname.replace(/^\[|\]$/g, ""), socket.getPeerCertificate());
      if (!mismatch) return callback(null, socket);
      socket.destroy();
      callback(hostNameMismatch(mismatch), null);
    });
}

/** The connection to the proxy itself: what fails there is the proxy's fault, whatever the code says. */
function proxyPool(origin: string | URL, options: { connect: Connector }): Dispatcher {
  const { connect } = options;
  const marked: Connector = (target, callback) =>
    connect(target, (err, socket) => {
      if (!err) return callback(null, socket as Socket);
      proxyFailures.add(err);
      callback(err, null);
    });
  return new Pool(origin, { ...options, connect: marked });
}

const proxyFailures = new WeakSet<object>();

/** True when connecting to the proxy failed (refused, unknown host, no answer): the request never left. */
export function isProxyFailure(err: unknown): boolean {
  return typeof err === "object" && err !== null && proxyFailures.has(err);
}

/**
 * Node's own error, under a code of ours: undici treats ERR_TLS_CERT_ALTNAME_INVALID from a connector
 * specially (it fails only the requests for the connection's server name), which does not fit here.
 */
export const HOST_NAME_MISMATCH = "HOST_NAME_MISMATCH";

function hostNameMismatch(cause: Error): Error {
  return Object.assign(new Error(cause.message, { cause }), { code: HOST_NAME_MISMATCH });
}

/** Closes gracefully, then forcibly once `graceMs` has passed (Node-RED waits 15 s for close handlers). */
export async function closeDispatcher(dispatcher: Dispatcher, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => dispatcher.destroy().then(resolve, resolve), graceMs);
  });
  await Promise.race([dispatcher.close().catch(() => undefined), forced]);
  clearTimeout(timer);
}
