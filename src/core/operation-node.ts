import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from "node-red";
import { CallScope } from "./call-scope";
import { CamError, ErrorCode, inputError } from "./errors";
import { t, useRuntimeTranslator } from "./i18n";
import type { ApiConfigNode, Operation } from "./operation";
import { StatusReporter } from "./status";
import { compileProperty, type Resolver } from "./typed-input";
import { refuseUncopiable } from "./validate";

/**
 * Node-RED gives close handlers 15 s. On close, queued messages and those waiting to retry end at
 * once (CLOSED: never sent); requests on the wire get CLOSE_GRACE_MS to finish, then are aborted
 * (MAYBE_DELIVERED); CLOSE_WAIT_MS is the last resort should a call ignore both signals.
 */
const CLOSE_GRACE_MS = 10_000;
const CLOSE_WAIT_MS = 12_000;

type Send = (msg: NodeMessage) => void;
type Done = (err?: Error) => void;

/** The one node path every operation shares: resolve typed inputs → run → status → send/done. */
export function registerOperation<Req, Res>(RED: NodeAPI, op: Operation<Req, Res>): void {
  useRuntimeTranslator(RED);

  function OperationNode(this: Node, config: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, config);
    const node = this;
    const server = RED.nodes.getNode(config.server as string) as ApiConfigNode<Req, Res> | null;
    const resolvers: Array<[string, Resolver]> = Object.entries(op.inputs).map(([name, fallback]) => [
      name,
      compileProperty(RED, node, name, {
        value: (config[name] as string | undefined) ?? fallback.value,
        type: (config[`${name}Type`] as string | undefined) ?? fallback.type,
      }),
    ]);
    const status = new StatusReporter(node);
    // Translated once: a translation per message costs more than the rest of the node path.
    const requesting: NodeStatus = { fill: "blue", shape: "dot", text: t("status.requesting") };
    const finished: NodeStatus = { fill: "green", shape: "dot", text: t("status.done") };
    const pending = new Set<Promise<void>>();
    const scope = new CallScope();
    const unfinished = new Unfinished();
    let closing = false;
    let active = 0;

    if (!server) status.set({ fill: "red", shape: "ring", text: t("status.noServer") });
    else if (server.configError) status.set({ fill: "red", shape: "ring", text: t("status.error", { code: server.configError.code }) });

    const hooks = {
      onRetry: (attempt: number) => status.set({ fill: "yellow", shape: "ring", text: t("status.retrying", { attempt }) }),
      scope,
    };
    const call = (req: Req) => {
      if (!server?.client) throw server?.configError ?? notConfigured();
      return server.client.call(req, hooks);
    };

    async function handle(msg: NodeMessage, send: Send, done: Done): Promise<void> {
      if (active++ === 0) status.set(requesting);
      try {
        const values: Record<string, unknown> = {};
        refuseUncopiable(msg);
        for (const [name, resolve] of resolvers) {
          let value: unknown;
          try {
            value = resolve(msg);
            if (value instanceof Promise) value = await value;
          } catch (err) {
            throw err instanceof CamError ? err : inputError(name, "unreadable");
          }
          values[name] = value;
        }
        const outcome = await op.run({ values, settings: config, msg }, call);
        (msg as NodeMessage & Record<string, unknown>).payload = outcome.payload;
        if (outcome.extra) Object.assign(msg, outcome.extra);
      } catch (err) {
        active--;
        const error = asCamError(err);
        if (closing) unfinished.count(error.code);
        status.set({ fill: "red", shape: "ring", text: t("status.error", { code: error.code }) });
        done(error);
        return;
      }
      if (--active === 0) status.set(finished);
      send(msg);
      done();
    }

    node.on("input", (msg: NodeMessage, send: Send, done: Done) => {
      // Whatever throws (even send), the message ends exactly once.
      const finished = once(done, node);
      const task = handle(msg, send, finished).catch((err) => finished(asCamError(err)));
      pending.add(task);
      task.then(() => pending.delete(task));
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      closing = true;
      scope.stopWaiting();
      const grace = setTimeout(() => scope.abortRunning(), CLOSE_GRACE_MS);
      const timer = setTimeout(finish, CLOSE_WAIT_MS);
      Promise.allSettled([...pending]).then(finish);
      let finished = false;
      function finish() {
        if (finished) return;
        finished = true;
        clearTimeout(grace);
        clearTimeout(timer);
        status.close();
        // The flow may have no Catch node left to tell: the log is the one place that hears of these.
        if (unfinished.total > 0) node.warn(t("warnings.closedWithMessages", { notSent: unfinished.notSent, maybeDelivered: unfinished.maybeDelivered }));
        done();
      }
    });
  }

  RED.nodes.registerType(op.type, OperationNode);
}

/** The messages a close ended: never sent, or cut off on the wire. */
export class Unfinished {
  notSent = 0;
  maybeDelivered = 0;

  count(code: string): void {
    if (code === ErrorCode.closed) this.notSent++;
    else if (code === ErrorCode.maybeDelivered) this.maybeDelivered++;
  }

  get total(): number {
    return this.notSent + this.maybeDelivered;
  }
}

function notConfigured(): CamError {
  return new CamError(ErrorCode.notConfigured, t("errors.config.noServer", { field: "server" }), { field: "server" });
}

/** Anything unexpected still reaches Catch nodes as a CamError with a code. */
function asCamError(err: unknown): CamError {
  if (err instanceof CamError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CamError(ErrorCode.internal, message);
}

/** A done() that ends its message at most once. */
export function once(done: Done, node: Node): Done {
  let called = false;
  return (err) => {
    if (called) return;
    called = true;
    try {
      done(err);
    } catch {
      // Node-RED could not copy the message for a Catch node (a property it cannot read): the log still hears of it.
      node.error(err ?? new Error("done"));
    }
  };
}
