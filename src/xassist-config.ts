import type { NodeAPI, NodeDef } from "node-red";
import { attachClient } from "./lib/config-node";
import { useRuntimeTranslator } from "./lib/i18n";
import { XassistClient } from "./lib/xassist-client";
import type { XassistConfigNode } from "./lib/xassist-config-node";
import { xassistOptions, type XassistConfigProps } from "./lib/xassist-settings";

export = function (RED: NodeAPI): void {
  useRuntimeTranslator(RED);

  function XassistConfig(this: XassistConfigNode, config: NodeDef & XassistConfigProps) {
    RED.nodes.createNode(this, config);
    attachClient(this, () => {
      const options = xassistOptions(config, this.credentials);
      return { client: new XassistClient(options), serverURL: options.serverURL, tls: options };
    }, "xassist-config:warnings.plainHttp");
  }

  RED.nodes.registerType("xassist-config", XassistConfig as never, {
    credentials: {
      username: { type: "text" },
      password: { type: "password" },
      proxyUsername: { type: "text" },
      proxyPassword: { type: "password" },
    },
  });
};
