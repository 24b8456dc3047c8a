import type { Node } from "node-red";
import { isPlainRemote } from "./cam-config-settings";
import type { CamError } from "./errors";
import { t } from "./i18n";

interface Closable {
  close(): Promise<void>;
}

export interface ClientConfigNode<C extends Closable> extends Node {
  client?: C;
  configError?: CamError;
}

/**
 * What both config nodes do: build one client from the settings (or keep the config error that
 * names the field), warn once about a token sent over plain http, and close the client with the node.
 */
export function attachClient<C extends Closable>(
  node: ClientConfigNode<C>,
  build: () => { client: C; serverURL: string },
  plainHttpWarning: string
): void {
  try {
    const { client, serverURL } = build();
    node.client = client;
    if (isPlainRemote(serverURL)) node.warn(t(plainHttpWarning, { host: new URL(serverURL).host }));
  } catch (err) {
    node.configError = err as CamError;
    node.error(node.configError.message);
  }
  node.on("close", (done: () => void) => {
    const client = node.client;
    node.client = undefined;
    (client ? client.close() : Promise.resolve()).then(done, done);
  });
}
