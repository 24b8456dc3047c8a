import type { CamClientOptions } from "./cam-client";
import type { Settings } from "../core/node/operation";
import { checkedServerURL, configError, connectionSettings, number, type ConnectionProps, type ProxyCredentials } from "../core/node/server-settings";

/** The config node's numbers (times in seconds) with their defaults and ranges; the editor shows the same. */
const CONFIG_SETTINGS = {
  timeout: { value: 30, min: 1, max: 3600, integer: true },
  concurrency: { value: 16, min: 1, max: 1024, integer: true },
  queueLimit: { value: 10_000, min: 0, max: 1_000_000, integer: true },
  retries: { value: 3, min: 0, max: 10, integer: true },
  maxRetryDelay: { value: 30, min: 0, max: 3600, integer: true },
};
export const camConfig: { type: string; settings: Settings } = { type: "cam-config", settings: CONFIG_SETTINGS };
const RETRY_BASE_MS = 500;

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
    timeoutMs: setting(props, "timeout") * 1000,
    connections: setting(props, "concurrency"),
    queueLimit: setting(props, "queueLimit"),
    retries: setting(props, "retries"),
    maxRetryDelayMs: setting(props, "maxRetryDelay") * 1000,
    retryBaseMs: RETRY_BASE_MS,
    ...connectionSettings(props, credentials),
  };
}

function setting(props: CamConfigProps, name: keyof typeof CONFIG_SETTINGS): number {
  const { value, min, max } = CONFIG_SETTINGS[name];
  return number(props[name], value, name, min, max);
}
