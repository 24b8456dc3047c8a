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

/**
 * The requests of one dispatcher that wait for a connection (exchange.ts counts them). undici keeps a
 * request queued when its connection fails with "other side closed" (a proxy that hangs up before it
 * answers CONNECT) and connects again at once, endlessly, even after we gave up on the request. So
 * a connection is opened only while a request still wants one, and such a failure fails the request.
 */
export class Demand {
  waiting = 0;
}

/** One keep-alive dispatcher per config node, closed with it. */
export function createDispatcher(options: ConnectionOptions, demand: Demand): Dispatcher {
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
    factory: guardedPool(demand, relaxed && !options.skipHostCheck),
  };
  const proxyOptions = { ...agentOptions, requestTls: tlsOptions, clientFactory: proxyPool };
  if (options.proxy) return new ProxyAgent({ ...proxyOptions, uri: options.proxy });
  if (!options.direct && PROXY_ENV.some((name) => process.env[name])) return new EnvHttpProxyAgent(proxyOptions as object);
  return new Agent(agentOptions);
}

type Connector = Undici.buildConnector.connector;

/**
 * The pool for one origin (direct, or through a proxy's tunnel: `connect` is then the proxy agent's
 * own). It connects only on demand, and a connection that breaks before it exists is an error that
 * fails the waiting requests (see Demand). With relaxed checks, each new connection's certificate is
 * checked for the host name: Node does that only when the certificate chain is trusted.
 */
function guardedPool(demand: Demand, checkHostName: boolean) {
  return (origin: string | URL, options: { connect?: Connector | Undici.buildConnector.BuildOptions }): Dispatcher => {
    const built = typeof options.connect === "function" ? options.connect : buildConnector(options.connect ?? {});
    const connect = onDemand(demand, checkHostName ? checkingHostName(built) : built);
    return new Pool(origin, { ...options, connect });
  };
}

/** undici retries a connection that failed with these codes for as long as a request is queued. */
const RECONNECTING = new Set(["UND_ERR_SOCKET", "UND_ERR_INFO"]);
/** Our code for a connection (or a proxy's tunnel) that was closed before it could carry a request. */
const CLOSED_WHILE_CONNECTING = "CLOSED_WHILE_CONNECTING";

function onDemand(demand: Demand, connect: Connector): Connector {
  return (target, callback) => {
    // Called back later: undici asks from inside its resume loop, and a synchronous answer there
    // leaves a closing client waiting for a resume that never comes (close took the whole grace period).
    if (demand.waiting <= 0) return void process.nextTick(callback, notWanted(), null);
    connect(target, (err, socket) => {
      if (err && RECONNECTING.has(String((err as { code?: unknown }).code))) {
        // Only a proxy's CONNECT fails this way: a direct connection breaks with the socket's own code.
        const closed = Object.assign(
          // Stryker disable next-line ObjectLiteral: the cause is for debugging; transportError reads the code and the proxy mark only
          new Error(err.message, { cause: err }),
          { code: CLOSED_WHILE_CONNECTING }
        );
        if (isProxyFailure(err)) proxyFailures.add(closed);
        return callback(closed, null);
      }
      if (err) return callback(err, null);
      callback(null, socket as Socket);
    });
  };
}

/** Ends what undici still holds of requests that were given up (their exchanges have settled). */
function notWanted(): Error {
  // Stryker disable next-line StringLiteral,ObjectLiteral: it reaches only requests whose exchanges have settled; any code but undici's reconnecting ones fails them
  return Object.assign(new Error("no request waits for this connection"), { code: "UND_ERR_ABORTED" });
}

function checkingHostName(connect: Connector): Connector {
  return (target, callback) =>
    connect(target, (err, socket) => {
      if (err) return callback(err, null);
      if (!(socket instanceof tls.TLSSocket)) return callback(null, socket as Socket);
      // Stryker disable next-line Regex,StringLiteral: undici's Client strips an IPv6 host name's brackets before it calls the connector
      const mismatch = tls.checkServerIdentity(target.hostname.replace(/^\[|\]$/g, ""), socket.getPeerCertificate());
      if (!mismatch) return callback(null, socket);
      socket.destroy();
      callback(hostNameMismatch(mismatch), null);
    });
}

/**
 * The connection to the proxy itself, and its CONNECT requests: what fails there (refused, reset,
 * closed before the tunnel's answer) is the proxy's fault, whatever the code says.
 */
function proxyPool(origin: string | URL, options: { connect: Connector }): Dispatcher {
  const { connect } = options;
  const marked: Connector = (target, callback) =>
    connect(target, (err, socket) => {
      if (!err) return callback(null, socket as Socket);
      proxyFailures.add(err);
      callback(err, null);
    });
  // Stryker disable next-line ObjectLiteral: the proxy agent passes only `connect`, and the catch below marks the same errors as `marked`
  const pool = new Pool(origin, { ...options, connect: marked });
  // The proxy agent asks for each tunnel with the promise form of connect().
  const tunnel = pool.connect.bind(pool) as (opts: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData>;
  pool.connect = ((opts: Dispatcher.ConnectOptions) =>
    tunnel(opts).catch((err: unknown) => {
      if (typeof err === "object" && err !== null) proxyFailures.add(err);
      throw err;
    })) as typeof pool.connect;
  return pool;
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
  return Object.assign(
    // Stryker disable next-line ObjectLiteral: the cause is for debugging; transportError reads the code only
    new Error(cause.message, { cause }),
    { code: HOST_NAME_MISMATCH }
  );
}

/** Closes gracefully, then forcibly once `graceMs` has passed (Node-RED waits 15 s for close handlers). */
// Known gap (issue 27 notes): close() empties an Agent's pools, so the destroy() after the grace
// period finds none; a request still on the wire then ends at its own deadline or its node's stop.
export async function closeDispatcher(dispatcher: Dispatcher, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => dispatcher.destroy().then(resolve, resolve), graceMs);
  });
  await Promise.race([dispatcher.close().catch(() => undefined), forced]);
  clearTimeout(timer);
}
