import type { ApiConfigNode } from "../core/node/operation";
import type { XassistClient, XRequest, XResponse } from "./xassist-client";
import type { XassistConfigProps, XassistCredentials } from "./xassist-settings";

/** The xassist-config node as operation nodes see it: a client, or the reason there is none. */
export interface XassistConfigNode extends ApiConfigNode<XRequest, XResponse> {
  client?: Pick<XassistClient, "call" | "close">;
  credentials: XassistCredentials;
  /** As deployed: the connection test only uses the saved credentials for these same settings. */
  settings?: XassistConfigProps;
}
