import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from "./undici";

export interface ConnectionOptions {
  /** Sockets per origin: the config node's concurrency limit. */
  connections: number;
  /** PEM text of extra trusted certificate authorities (on-premise servers). */
  ca?: string;
  /** false accepts any certificate (self-signed test servers). */
  rejectUnauthorized: boolean;
  /** Explicit proxy URL; when empty, HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment apply. */
  proxy?: string;
  timeoutMs: number;
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
  const tls = { ca: options.ca || undefined, rejectUnauthorized: options.rejectUnauthorized };
  const agentOptions = {
    connections: options.connections,
    connect: { ...tls, timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: options.keepAliveMs ?? KEEP_ALIVE_DEFAULT_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS,
    keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS,
  };
  if (options.proxy) return new ProxyAgent({ ...agentOptions, uri: options.proxy, requestTls: tls });
  if (PROXY_ENV.some((name) => process.env[name])) return new EnvHttpProxyAgent({ ...agentOptions, requestTls: tls } as object);
  return new Agent(agentOptions);
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
