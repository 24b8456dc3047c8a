import { checkedServerURL, connectionSettings, number, type ConnectionProps, type ProxyCredentials } from "../core/server-settings";
import { CamError, ErrorCode } from "../core/errors";
import { t } from "../core/i18n";
import { XASSIST_PATHS, type XassistClientOptions } from "./xassist-client";

/** Defaults of the config node; the editor shows the same values. */
export const XASSIST_DEFAULTS = {
  timeout: 30,
  tokenLifetime: 300,
  connections: 8,
  queueLimit: 1_000,
  retries: 2,
  retryBaseMs: 500,
  maxRetryDelayMs: 10_000,
};

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
  const refreshPath = (props.refreshPath ?? "").trim() || XASSIST_PATHS.refresh;
  if (!/^\/\S*$/.test(refreshPath)) throw missing("refreshPath", "path");
  return {
    serverURL,
    domain: (props.domain ?? "").trim(),
    username,
    password: credentials.password,
    forceLogin: props.forceLogin === true,
    refreshPath,
    tokenLifetimeMs: number(props.tokenLifetime, XASSIST_DEFAULTS.tokenLifetime, "tokenLifetime", 10, 86_400) * 1000,
    timeoutMs: number(props.timeout, XASSIST_DEFAULTS.timeout, "timeout", 1, 3600) * 1000,
    connections: XASSIST_DEFAULTS.connections,
    queueLimit: XASSIST_DEFAULTS.queueLimit,
    retries: number(props.retries, XASSIST_DEFAULTS.retries, "retries", 0, 10),
    retryBaseMs: XASSIST_DEFAULTS.retryBaseMs,
    maxRetryDelayMs: XASSIST_DEFAULTS.maxRetryDelayMs,
    ...connectionSettings(props, credentials),
  };
}

function missing(field: string, reason = field): CamError {
  return new CamError(ErrorCode.notConfigured, t(`xassist-config:errors.config.${reason}`, { field }), { field });
}
