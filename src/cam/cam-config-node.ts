import type { Node } from "node-red";
import type { CamClient } from "./cam-client";
import type { ProxyCredentials } from "../core/node/server-settings";
import type { CamConfigProps } from "./cam-config-settings";
import type { CodedError } from "../core/errors";

export interface CamConfigNode extends Node<{ apiToken?: string } & ProxyCredentials> {
  client?: Pick<CamClient, "call" | "close">;
  practice?: boolean;
  /** As deployed: the connection test only uses the saved credentials for these same settings. */
  settings?: CamConfigProps;
  configError?: CodedError;
}
