import type { Node, NodeAPI, NodeDef } from "node-red";
import { attachClient } from "../core/node/config-node";
import type { ConnectionOptions } from "../core/transport/dispatcher";
import type { CodedError } from "../core/errors";
import { useRuntimeTranslator } from "../core/i18n";
import { isPractice } from "../core/node/practice";
import { registerPracticeRoutes } from "./practice-routes";

interface Closable {
  close(): Promise<void>;
}

/** What sets one API's server node apart; the rest is the same for both. */
export interface ServerKind<Props, Credentials, C extends Closable> {
  type: string;
  credentials: Record<keyof Credentials & string, { type: "text" | "password" }>;
  /** The client of the built-in practice server. */
  practiceClient(): C;
  /** The client of the user's own server, from the node's settings (throws the error that names a wrong field). */
  build(config: Props, credentials: Partial<Credentials>): { client: C; options: ConnectionOptions & { serverURL: string } };
  /** The catalogue key of the warning about a secret sent over plain http. */
  plainHttpWarning: string;
  /** The server dialog's Test connection endpoint. */
  registerConnectionTest(RED: NodeAPI): void;
}

type ServerNode<Props, Credentials, C> = Node<Partial<Credentials>> & { settings?: Props; practice?: boolean; client?: C; configError?: CodedError };

/** Registers a server (config) node: one client per node, the practice server's or one for the user's own server. */
export function registerServerNode<Props, Credentials, C extends Closable>(RED: NodeAPI, kind: ServerKind<Props, Credentials, C>): void {
  useRuntimeTranslator(RED);

  function Server(this: ServerNode<Props, Credentials, C>, config: NodeDef & Props) {
    RED.nodes.createNode(this, config);
    this.settings = config;
    this.practice = isPractice(config as { server?: unknown });
    attachClient(
      this,
      () => {
        if (this.practice) return { client: kind.practiceClient() };
        const { client, options } = kind.build(config, this.credentials ?? {});
        return { client, serverURL: options.serverURL, tls: options };
      },
      kind.plainHttpWarning
    );
  }

  RED.nodes.registerType(kind.type, Server as never, { credentials: kind.credentials });
  kind.registerConnectionTest(RED);
  registerPracticeRoutes(RED);
}
