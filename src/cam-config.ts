import type { NodeAPI, NodeDef } from "node-red";
import { CamClient } from "./lib/cam-client";
import { clientOptions, isPlainRemote, type CamConfigProps } from "./lib/cam-config-settings";
import type { CamConfigNode } from "./lib/cam-config-node";
import type { CamError } from "./lib/errors";
import { t, useRuntimeTranslator } from "./lib/i18n";
import { registerConnectionTest } from "./lib/connection-test";

export = function (RED: NodeAPI): void {
  useRuntimeTranslator(RED);

  function CamConfig(this: CamConfigNode, config: NodeDef & CamConfigProps) {
    RED.nodes.createNode(this, config);
    this.serverURL = (config.serverURL ?? "").trim();
    try {
      const options = clientOptions(config, this.credentials?.apiToken);
      if (isPlainRemote(options.serverURL)) this.warn(t("warnings.plainHttp", { host: new URL(options.serverURL).host }));
      this.client = new CamClient(options);
    } catch (err) {
      this.configError = err as CamError;
      this.error(this.configError.message);
    }
    this.on("close", (done: () => void) => {
      const client = this.client;
      this.client = undefined;
      (client ? client.close() : Promise.resolve()).then(done, done);
    });
  }

  RED.nodes.registerType("cam-config", CamConfig as never, { credentials: { apiToken: { type: "password" } } });
  registerConnectionTest(RED);
};
