import { X509Certificate } from "node:crypto";
import type { ConnectionOptions } from "../transport/dispatcher";
import { CodedError, ErrorCode } from "../errors";
import { t } from "../i18n";

/** What both server nodes' dialogs share: TLS, proxy and the response size limit. */
export interface ConnectionProps {
  /** PRACTICE_SERVER (practice.ts) for the built-in practice server; otherwise the user's own */
  server?: string;
  maxResponse?: number | string;
  ca?: string;
  insecure?: boolean;
  skipHostCheck?: boolean;
  proxy?: string;
}

/** A proxy's login is kept with the credentials, never in the proxy URL, which is saved in the flow. */
export interface ProxyCredentials {
  proxyUsername?: string;
  proxyPassword?: string;
}

/** An http(s) URL without a login: one in the URL would be saved in the flow, unencrypted, and never used. */
export function checkedServerURL(value: string | undefined): string {
  // Stryker disable next-line StringLiteral: no value fails the URL check below, whatever text stands in for it
  const serverURL = (value ?? "").trim();
  // Only http:// and https:// (the URL parser would also take "http:host" and other schemes).
  if (!/^https?:\/\/[^\s/]/i.test(serverURL)) throw configError("serverURL", "url");
  let url: URL;
  try {
    url = new URL(serverURL);
  } catch {
    throw configError("serverURL", "url");
  }
  if (url.username || url.password) throw configError("serverURL", "urlLogin");
  return serverURL;
}

/** The limit is entered in MB; blank leaves the transport's defaults. */
export const MAX_RESPONSE_MB = { min: 0.1, max: 1024 };

type ConnectionSettings = Pick<ConnectionOptions, "ca" | "rejectUnauthorized" | "skipHostCheck" | "proxy" | "maxResponseBytes">;

export function connectionSettings(props: ConnectionProps, credentials: ProxyCredentials): ConnectionSettings {
  const insecure = props.insecure === true;
  return {
    ca: caText(props.ca),
    rejectUnauthorized: !insecure,
    skipHostCheck: insecure && props.skipHostCheck === true,
    proxy: proxyURL(props.proxy, credentials),
    maxResponseBytes: megabytes(props.maxResponse),
  };
}

function megabytes(value: number | string | undefined): number | undefined {
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  return Math.round(number(value, 0, "maxResponse", MAX_RESPONSE_MB.min, MAX_RESPONSE_MB.max) * 1024 * 1024);
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** PEM certificates only: Node ignores what it cannot read, which would leave the user wondering why the CA is not trusted. */
function caText(value: string | undefined): string | undefined {
  const ca = value?.trim();
  if (!ca) return undefined;
  const certificates = ca.match(PEM_CERTIFICATE);
  if (!certificates?.every(readable)) throw configError("ca", "ca");
  return ca;
}

function readable(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
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

export function configError(field: string, reason: string, params: Record<string, unknown> = {}): CodedError {
  return new CodedError(ErrorCode.notConfigured, t(`errors.config.${reason}`, { field, ...params }), { field });
}
