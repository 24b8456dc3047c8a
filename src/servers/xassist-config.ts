import type { NodeAPI, NodeDef } from "node-red";
import { attachClient } from "../core/config-node";
import { useRuntimeTranslator } from "../core/i18n";
import { isPractice } from "../core/practice";
import { registerPracticeRoutes } from "../practice/admin-routes";
import { practiceXassistClient } from "../practice/practice-clients";
import { registerConnectionTest } from "../xassist/connection-test";
import { XassistClient } from "../xassist/xassist-client";
import type { XassistConfigNode } from "../xassist/xassist-config-node";
import { xassistOptions, type XassistConfigProps } from "../xassist/xassist-settings";

/** Registers the server node; Node-RED loads it from nodes/xassist-config.js (made by scripts/build-entries.js). */
export function register(RED: NodeAPI): void {
  useRuntimeTranslator(RED);

  function XassistConfig(this: XassistConfigNode, config: NodeDef & XassistConfigProps) {
    RED.nodes.createNode(this, config);
    this.settings = config;
    this.practice = isPractice(config);
    attachClient(
      this,
      () => {
        if (this.practice) return { client: practiceXassistClient() };
        const options = xassistOptions(config, this.credentials);
        return { client: new XassistClient(options), serverURL: options.serverURL, tls: options };
      },
      "xassist-config:warnings.plainHttp"
    );
  }

  RED.nodes.registerType("xassist-config", XassistConfig as never, {
    credentials: {
      username: { type: "text" },
      password: { type: "password" },
      proxyUsername: { type: "text" },
      proxyPassword: { type: "password" },
    },
  });
  registerConnectionTest(RED);
  registerPracticeRoutes(RED);
}
