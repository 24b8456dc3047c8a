import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from "undici";

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
}

const PROXY_ENV = ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"];

/** One keep-alive dispatcher per config node, closed with it. */
export function createDispatcher(options: ConnectionOptions): Dispatcher {
  const tls = { ca: options.ca || undefined, rejectUnauthorized: options.rejectUnauthorized };
  const agentOptions = {
    connections: options.connections,
    connect: { ...tls, timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
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
