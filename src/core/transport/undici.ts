/**
 * undici, loaded on first use instead of when Node-RED loads the palette: loading it takes 40–150 ms,
 * which every Node-RED start would pay even with none of these nodes in its flows. Import from here
 * what you would import from "undici"; each name below is a getter that loads undici the first time.
 */
import type * as Undici from "undici";

export type { Dispatcher } from "undici";
export declare const Agent: typeof Undici.Agent;
export declare const EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent;
export declare const ProxyAgent: typeof Undici.ProxyAgent;
export declare const Pool: typeof Undici.Pool;
export declare const buildConnector: typeof Undici.buildConnector;

let undici: typeof Undici | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
const load = (): typeof Undici => (undici ??= require("undici") as typeof Undici);

for (const name of ["Agent", "EnvHttpProxyAgent", "ProxyAgent", "Pool", "buildConnector"] as const) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
}
