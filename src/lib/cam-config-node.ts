import type { Node } from "node-red";
import type { CamClient } from "./cam-client";
import type { CamConfigProps, ProxyCredentials } from "./cam-config-settings";
import type { CamError } from "./errors";
import type { CallHooks } from "./transport";

/** What operation nodes need of a config node: a client, or the reason there is none. */
export interface ApiConfigNode<Req, Res> extends Node {
  client?: { call(req: Req, hooks?: CallHooks): Promise<Res> };
  configError?: CamError;
}

export interface CamConfigNode extends Node<{ apiToken?: string } & ProxyCredentials> {
  client?: CamClient;
  /** As deployed: the connection test only uses the saved credentials for these same settings. */
  settings?: CamConfigProps;
  configError?: CamError;
}
