import type { NodeAPI, NodeDef } from "node-red";
import { CamClient } from "./lib/cam-client";
import { clientOptions, type CamConfigProps } from "./lib/cam-config-settings";
import type { CamConfigNode } from "./lib/cam-config-node";
import { attachClient } from "./lib/config-node";
import { useRuntimeTranslator } from "./lib/i18n";
import { registerConnectionTest } from "./lib/connection-test";

export = function (RED: NodeAPI): void {
  useRuntimeTranslator(RED);

  function CamConfig(this: CamConfigNode, config: NodeDef & CamConfigProps) {
    RED.nodes.createNode(this, config);
    this.settings = config;
    attachClient(this, () => {
      const options = clientOptions(config, this.credentials ?? {});
      return { client: new CamClient(options), serverURL: options.serverURL, tls: options };
    }, "warnings.plainHttp");
  }

  RED.nodes.registerType("cam-config", CamConfig as never, {
    credentials: { apiToken: { type: "password" }, proxyUsername: { type: "text" }, proxyPassword: { type: "password" } },
  });
  registerConnectionTest(RED);
};
