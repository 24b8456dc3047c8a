import { checkedServerURL, connectionSettings, number, type ConnectionProps, type ProxyCredentials } from "../core/node/server-settings";
import { CodedError, ErrorCode } from "../core/errors";
import { t } from "../core/i18n";
import type { Settings } from "../core/node/operation";
import { XASSIST_APIS } from "./xassist-apis";
import type { XassistClientOptions } from "./xassist-client";

/** The config node's settings (times in seconds) with their defaults and limits; the editor shows the same. */
const XASSIST_SETTINGS = {
  tokenLifetime: { value: 300, min: 10, max: 86_400, integer: true },
  timeout: { value: 30, min: 1, max: 3600, integer: true },
  retries: { value: 2, min: 0, max: 10, integer: true },
  refreshPath: { value: XASSIST_APIS.refresh.path, pattern: /^\/\S*$/ },
};
export const xassistConfig: { type: string; settings: Settings } = { type: "xassist-config", settings: XASSIST_SETTINGS };
/** Fixed for xAssist: not in the dialog. */
const FIXED = { connections: 8, queueLimit: 1_000, retryBaseMs: 500, maxRetryDelayMs: 10_000 };

export interface XassistConfigProps extends ConnectionProps {
  serverURL?: string;
  domain?: string;
  forceLogin?: boolean;
  refreshPath?: string;
  tokenLifetime?: number | string;
  timeout?: number | string;
  retries?: number | string;
}

export interface XassistCredentials extends ProxyCredentials {
  username?: string;
  password?: string;
}

/** Turns the editor's fields into client options, or a config error naming the field. */
export function xassistOptions(props: XassistConfigProps, credentials: XassistCredentials = {}): XassistClientOptions {
  const serverURL = checkedServerURL(props.serverURL);
  const username = (credentials.username ?? "").trim();
  if (!username) throw missing("username");
  if (!credentials.password) throw missing("password");
  const refreshPath = (props.refreshPath ?? "").trim() || XASSIST_SETTINGS.refreshPath.value;
  if (!XASSIST_SETTINGS.refreshPath.pattern.test(refreshPath)) throw missing("refreshPath", "path");
  return {
    serverURL,
    domain: (props.domain ?? "").trim(),
    username,
    password: credentials.password,
    forceLogin: props.forceLogin === true,
    refreshPath,
    tokenLifetimeMs: setting(props, "tokenLifetime") * 1000,
    timeoutMs: setting(props, "timeout") * 1000,
    retries: setting(props, "retries"),
    ...FIXED,
    ...connectionSettings(props, credentials),
  };
}

function missing(field: string, reason = field): CodedError {
  return new CodedError(ErrorCode.notConfigured, t(`xassist-config:errors.config.${reason}`, { field }), { field });
}

function setting(props: XassistConfigProps, name: "tokenLifetime" | "timeout" | "retries"): number {
  const { value, min, max } = XASSIST_SETTINGS[name];
  return number(props[name], value, name, min, max);
}
