import { CamError, ErrorCode } from "./errors";
import type { CamClientOptions } from "./cam-client";
import { t } from "./i18n";

/** Defaults of the config node; the editor shows the same values. */
export const CONFIG_DEFAULTS = {
  timeout: 30,
  concurrency: 16,
  queueLimit: 10_000,
  retries: 3,
  maxRetryDelay: 30,
  retryBaseMs: 500,
};

export interface CamConfigProps {
  serverURL?: string;
  timeout?: number | string;
  concurrency?: number | string;
  queueLimit?: number | string;
  retries?: number | string;
  maxRetryDelay?: number | string;
  ca?: string;
  insecure?: boolean;
  proxy?: string;
}

/** A proxy's login is kept with the credentials, never in the proxy URL, which is saved in the flow. */
export interface ProxyCredentials {
  proxyUsername?: string;
  proxyPassword?: string;
}

/** Turns the editor's fields into client options, or a config error naming the field. */
export function clientOptions(props: CamConfigProps, credentials: { apiToken?: string } & ProxyCredentials): CamClientOptions {
  const token = credentials.apiToken;
  const serverURL = (props.serverURL ?? "").trim();
  let url: URL;
  try {
    url = new URL(serverURL);
  } catch {
    throw configError("serverURL", "url");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw configError("serverURL", "url");
  if (!token) throw configError("apiToken", "token");
  // A pasted line break would make every request fail as an invalid header.
  if (/[\u0000-\u001f\u007f]/.test(token)) throw configError("apiToken", "tokenChars");
  return {
    serverURL,
    token,
    timeoutMs: number(props.timeout, CONFIG_DEFAULTS.timeout, "timeout", 1, 3600) * 1000,
    connections: number(props.concurrency, CONFIG_DEFAULTS.concurrency, "concurrency", 1, 1024),
    queueLimit: number(props.queueLimit, CONFIG_DEFAULTS.queueLimit, "queueLimit", 0, 1_000_000),
    retries: number(props.retries, CONFIG_DEFAULTS.retries, "retries", 0, 10),
    maxRetryDelayMs: number(props.maxRetryDelay, CONFIG_DEFAULTS.maxRetryDelay, "maxRetryDelay", 0, 3600) * 1000,
    retryBaseMs: CONFIG_DEFAULTS.retryBaseMs,
    ca: props.ca?.trim() || undefined,
    rejectUnauthorized: props.insecure !== true,
    proxy: proxyURL(props.proxy, credentials),
  };
}

/** The proxy URL for undici, with the login from the credentials (undici sends it as Proxy-Authorization). */
export function proxyURL(value: string | undefined, credentials: ProxyCredentials): string | undefined {
  const proxy = value?.trim();
  if (!proxy) return undefined;
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    throw configError("proxy", "url");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw configError("proxy", "url");
  if (url.username || url.password) throw configError("proxy", "proxyLogin");
  if (credentials.proxyUsername) {
    url.username = encodeURIComponent(credentials.proxyUsername);
    url.password = encodeURIComponent(credentials.proxyPassword ?? "");
  }
  return url.toString();
}

/** Plain HTTP is the documented on-premise mode, but a token sent in clear beyond this machine deserves a warning. */
export function isPlainRemote(serverURL: string): boolean {
  const url = new URL(serverURL);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return url.protocol === "http:" && !(host === "localhost" || host === "::1" || /^127\./.test(host));
}

export function number(value: unknown, fallback: number, field: string, min: number, max: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw configError(field, "range", { min, max });
  return n;
}

export function configError(field: string, reason: string, params: Record<string, unknown> = {}): CamError {
  return new CamError(ErrorCode.notConfigured, t(`errors.config.${reason}`, { field, ...params }), { field });
}
