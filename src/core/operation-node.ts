import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from "node-red";
import { CallScope } from "./call-scope";
import { closeTiming } from "./close-timing";
import { CamError, ErrorCode, inputError } from "./errors";
import { t, useRuntimeTranslator } from "./i18n";
import type { ApiConfigNode, LongLivedOperation, LongLivedWork, Operation } from "./operation";
import { StatusReporter } from "./status";
import { compileProperty, type Resolver } from "./typed-input";
import { refuseUncopiable } from "./validate";

type Send = (msg: NodeMessage | Array<NodeMessage | null>) => void;
type Done = (err?: Error) => void;
type AnyOperation<Req, Res> = Operation<Req, Res> | LongLivedOperation<Req, Res>;

/**
 * The one node path every operation shares: resolve typed inputs → run → status → send/done; a
 * long-lived operation takes the message over instead of run → send/done. Node-RED gives close
 * handlers 15 s. On close, queued messages and those waiting to retry end at once (CLOSED: never
 * sent), a long-lived operation ends its open messages, requests on the wire get
 * closeTiming.graceMs to finish, then are aborted (MAYBE_DELIVERED); closeTiming.waitMs is the last
 * resort should a call ignore both signals.
 */
export function registerOperation<Req, Res>(RED: NodeAPI, op: AnyOperation<Req, Res>): void {
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
    const status = new StatusReporter(node, server?.practice ? t("status.practice") : "");
    // Translated once: a translation per message costs more than the rest of the node path.
    const requesting: NodeStatus = { fill: "blue", shape: "dot", text: t("status.requesting") };
    const finished: NodeStatus = { fill: "green", shape: "dot", text: t("status.done") };
    const pending = new Set<Promise<void>>();
    const scope = new CallScope();
    const unfinished = new Unfinished();
    let closing = false;
    let active = 0;

    const hooks = {
      onRetry: (attempt: number) => status.set({ fill: "yellow", shape: "ring", text: t("status.retrying", { attempt }) }),
      scope,
    };
    const call = (req: Req) => {
      if (!server?.client) throw server?.configError ?? notConfigured();
      return server.client.call(req, hooks);
    };

    /** Ends a message with its error: the status shows it, Catch nodes get it, a close counts it. */
    function fail(done: Done, err: unknown): void {
      const error = asCamError(err);
      if (closing) unfinished.count(error.code);
      status.set(errorStatus(error));
      done(error);
    }

    const longLived = isLongLived(op) ? op : undefined;
    const run = isLongLived(op) ? undefined : op.run.bind(op);
    let work: LongLivedWork | undefined;
    let settingsError: CamError | undefined;
    if (longLived) {
      try {
        work = longLived.open({
          settings: config,
          call,
          status: (s) => status.set(s),
          warn: (text) => node.warn(text),
          copy: (msg) => RED.util.cloneMessage(msg),
          fail,
        });
      } catch (err) {
        settingsError = asCamError(err);
        node.error(settingsError.message);
        status.set(errorStatus(settingsError));
      }
    }

    if (!server) status.set({ fill: "red", shape: "ring", text: t("status.noServer") });
    else if (server.configError) status.set(errorStatus(server.configError));
    else if (server.practice) status.set({ fill: "grey", shape: "ring", text: "" });

    async function inputsOf(msg: NodeMessage): Promise<Record<string, unknown>> {
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
      return values;
    }

    async function handle(run: Operation<Req, Res>["run"], msg: NodeMessage, send: Send, done: Done): Promise<void> {
      if (active++ === 0) status.set(requesting);
      try {
        const outcome = await run({ values: await inputsOf(msg), settings: config, msg }, call);
        (msg as NodeMessage & Record<string, unknown>).payload = outcome.payload;
        if (outcome.extra) Object.assign(msg, outcome.extra);
      } catch (err) {
        active--;
        fail(done, err);
        return;
      }
      if (--active === 0) status.set(finished);
      send(msg);
      done();
    }

    /** A long-lived operation's message: once its inputs are read, the operation ends it. */
    async function hold(msg: NodeMessage, send: Send, done: Done): Promise<void> {
      try {
        const values = await inputsOf(msg);
        // Its inputs were read after the close: there is nothing left to start it in.
        if (closing) return done();
        if (!work) throw settingsError;
        // Its calls come later: a message it cannot serve fails now, as every operation's would.
        if (!server?.client) throw server?.configError ?? notConfigured();
        work.start({ values, settings: config, msg }, send, done);
      } catch (err) {
        fail(done, err);
      }
    }

    node.on("input", (msg: NodeMessage, send: Send, done: Done) => {
      // Whatever throws (even send), the message ends exactly once.
      const ended = once(done, node);
      const handled = run ? handle(run, msg, send, ended) : hold(msg, send, ended);
      const task = handled.catch((err) => ended(asCamError(err)));
      pending.add(task);
      task.then(() => pending.delete(task));
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      closing = true;
      scope.stopWaiting();
      const open = work?.close() ?? 0;
      const grace = setTimeout(() => scope.abortRunning(), closeTiming.graceMs);
      const timer = setTimeout(finish, closeTiming.waitMs);
      Promise.allSettled([...pending]).then(finish);
      let finished = false;
      function finish() {
        if (finished) return;
        finished = true;
        clearTimeout(grace);
        clearTimeout(timer);
        // Every message has ended: what is still on the wire (a long-lived operation's poll) has no one waiting for it.
        scope.abortRunning();
        status.close();
        // The flow may have no Catch node left to tell: the log is the one place that hears of these.
        if (unfinished.total > 0) node.warn(t("warnings.closedWithMessages", { notSent: unfinished.notSent, maybeDelivered: unfinished.maybeDelivered }));
        if (open > 0 && longLived) node.warn(t(longLived.closeWarning, { count: open }));
        done();
      }
    });
  }

  RED.nodes.registerType(op.type, OperationNode);
}

function isLongLived<Req, Res>(op: AnyOperation<Req, Res>): op is LongLivedOperation<Req, Res> {
  return "open" in op;
}

/** The messages a close ended: never sent, or cut off on the wire. */
class Unfinished {
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

const errorStatus = (error: CamError): NodeStatus => ({ fill: "red", shape: "ring", text: t("status.error", { code: error.code }) });

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
