import type { NodeAPI } from "node-red";
import { practiceXassistClient } from "./practice-clients";
import { registerConnectionTest } from "../xassist/connection-test";
import { XassistClient } from "../xassist/xassist-client";
import { xassistOptions, type XassistConfigProps, type XassistCredentials } from "../xassist/xassist-settings";
import { registerServerNode } from "./server-node";

/** Registers the server node; Node-RED loads it from nodes/xassist-config.js (made by scripts/build-entries.js). */
export function register(RED: NodeAPI): void {
  registerServerNode<XassistConfigProps, XassistCredentials, Pick<XassistClient, "call" | "close">>(RED, {
    type: "xassist-config",
    credentials: { username: { type: "text" }, password: { type: "password" }, proxyUsername: { type: "text" }, proxyPassword: { type: "password" } },
    practiceClient: practiceXassistClient,
    build: (config, credentials) => {
      const options = xassistOptions(config, credentials);
      return { client: new XassistClient(options), options };
    },
    plainHttpWarning: "xassist-config:warnings.plainHttp",
    registerConnectionTest,
  });
}
