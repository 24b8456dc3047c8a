import type { NodeAPI, NodeDef } from "node-red";
import { CamClient } from "../cam/cam-client";
import { clientOptions, type CamConfigProps } from "../cam/cam-config-settings";
import type { CamConfigNode } from "../cam/cam-config-node";
import { attachClient } from "../core/config-node";
import { useRuntimeTranslator } from "../core/i18n";
import { registerConnectionTest } from "../cam/connection-test";
import { isPractice } from "../core/practice";
import { registerPracticeRoutes } from "../practice/admin-routes";
import { practiceCamClient } from "../practice/practice-clients";

/** Registers the server node; Node-RED loads it from nodes/cam-config.js (made by scripts/build-entries.js). */
export function register(RED: NodeAPI): void {
  useRuntimeTranslator(RED);

  function CamConfig(this: CamConfigNode, config: NodeDef & CamConfigProps) {
    RED.nodes.createNode(this, config);
    this.settings = config;
    this.practice = isPractice(config);
    attachClient(
      this,
      () => {
        if (this.practice) return { client: practiceCamClient() };
        const options = clientOptions(config, this.credentials ?? {});
        return { client: new CamClient(options), serverURL: options.serverURL, tls: options };
      },
      "warnings.plainHttp"
    );
  }

  RED.nodes.registerType("cam-config", CamConfig as never, {
    credentials: { apiToken: { type: "password" }, proxyUsername: { type: "text" }, proxyPassword: { type: "password" } },
  });
  registerConnectionTest(RED);
  registerPracticeRoutes(RED);
}
