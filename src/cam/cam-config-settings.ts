import type { CamClientOptions } from "./cam-client";
import { checkedServerURL, configError, connectionSettings, number, type ConnectionProps, type ProxyCredentials } from "../core/server-settings";

/** Defaults of the config node; the editor shows the same values. */
export const CONFIG_DEFAULTS = {
  timeout: 30,
  concurrency: 16,
  queueLimit: 10_000,
  retries: 3,
  maxRetryDelay: 30,
  retryBaseMs: 500,
};

export interface CamConfigProps extends ConnectionProps {
  serverURL?: string;
  timeout?: number | string;
  concurrency?: number | string;
  queueLimit?: number | string;
  retries?: number | string;
  maxRetryDelay?: number | string;
}

/** Turns the editor's fields into client options, or a config error naming the field. */
export function clientOptions(props: CamConfigProps, credentials: { apiToken?: string } & ProxyCredentials): CamClientOptions {
  const token = credentials.apiToken;
  const serverURL = checkedServerURL(props.serverURL);
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
    ...connectionSettings(props, credentials),
  };
}
