import type { NodeAPI, NodeDef } from "node-red";
import { isPlainRemote } from "./lib/cam-config-settings";
import type { CamError } from "./lib/errors";
import { t, useRuntimeTranslator } from "./lib/i18n";
import { XassistClient } from "./lib/xassist-client";
import type { XassistConfigNode } from "./lib/xassist-config-node";
import { xassistOptions, type XassistConfigProps } from "./lib/xassist-settings";

export = function (RED: NodeAPI): void {
  useRuntimeTranslator(RED);

  function XassistConfig(this: XassistConfigNode, config: NodeDef & XassistConfigProps) {
    RED.nodes.createNode(this, config);
    try {
      const options = xassistOptions(config, this.credentials);
      if (isPlainRemote(options.serverURL)) {
        this.warn(t("xassist-config:warnings.plainHttp", { host: new URL(options.serverURL).host }));
      }
      this.client = new XassistClient(options);
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

  RED.nodes.registerType("xassist-config", XassistConfig as never, {
    credentials: { username: { type: "text" }, password: { type: "password" } },
  });
};
