import type { NodeAPI } from "node-red";
import { CamClient } from "../cam/cam-client";
import { clientOptions, type CamConfigProps } from "../cam/cam-config-settings";
import { registerConnectionTest } from "../cam/connection-test";
import type { ProxyCredentials } from "../core/node/server-settings";
import { registerKnownValues } from "./known-values";
import { practiceCamClient } from "./practice-clients";
import { registerServerNode } from "./server-node";

/** Registers the server node; Node-RED loads it from nodes/cam-config.js (made by scripts/build-entries.js). */
export function register(RED: NodeAPI): void {
  registerServerNode<CamConfigProps, { apiToken?: string } & ProxyCredentials, Pick<CamClient, "call" | "close">>(RED, {
    type: "cam-config",
    credentials: { apiToken: { type: "password" }, proxyUsername: { type: "text" }, proxyPassword: { type: "password" } },
    practiceClient: practiceCamClient,
    build: (config, credentials) => {
      const options = clientOptions(config, credentials);
      return { client: new CamClient(options), options };
    },
    plainHttpWarning: "warnings.plainHttp",
    registerConnectionTest,
  });
  registerKnownValues(RED);
}
