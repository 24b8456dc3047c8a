import type { Node } from "node-red";
import { isPlainRemote } from "./server-settings";
import type { ConnectionOptions } from "../transport/dispatcher";
import type { CodedError } from "../errors";
import { t } from "../i18n";

interface Closable {
  close(): Promise<void>;
}

interface ClientConfigNode<C extends Closable> extends Node {
  client?: C;
  configError?: CodedError;
  /** Bound to the built-in practice server: the operation nodes' status says so. */
  practice?: boolean;
}

interface BuiltClient<C> {
  client: C;
  /** absent for the practice server: nothing to warn about */
  serverURL?: string;
  /** The certificate settings, for the warning about relaxed checks. */
  tls?: Pick<ConnectionOptions, "rejectUnauthorized" | "skipHostCheck">;
}

/**
 * What both config nodes do: build one client from the settings (or keep the config error that
 * names the field), warn once about a token sent over plain http or certificate checks relaxed,
 * and close the client with the node.
 */
export function attachClient<C extends Closable>(node: ClientConfigNode<C>, build: () => BuiltClient<C>, plainHttpWarning: string): void {
  try {
    const { client, serverURL, tls } = build();
    node.client = client;
    if (serverURL !== undefined) warnAboutConnection(node, serverURL, tls, plainHttpWarning);
  } catch (err) {
    node.configError = err as CodedError;
    node.error(node.configError.message);
  }
  node.on("close", (done: () => void) => {
    const client = node.client;
    node.client = undefined;
    (client ? client.close() : Promise.resolve()).then(done, done);
  });
}

function warnAboutConnection(node: Node, serverURL: string, tls: BuiltClient<unknown>["tls"], plainHttpWarning: string): void {
  const host = new URL(serverURL).host;
  if (isPlainRemote(serverURL)) node.warn(t(plainHttpWarning, { host }));
  if (tls && !tls.rejectUnauthorized) node.warn(t(tls.skipHostCheck ? "warnings.insecureAnyHost" : "warnings.insecure", { host }));
}
