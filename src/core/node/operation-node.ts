import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from "node-red";
import { CallScope } from "../transport/call-scope";
import { closeTiming } from "./close-timing";
import { CodedError, ErrorCode, inputError } from "../errors";
import { editorKey, t, useRuntimeTranslator } from "../i18n";
import { DEFAULT_OUTPUT, type ApiConfigNode, type LongLivedOperation, type LongLivedWork, type Operation, type PlaceResult } from "./operation";
import { StatusReporter, errorStatus } from "./status";
import { compileProperty, type Resolver } from "./typed-input";
import type { CallHooks } from "../transport/transport";
import { refuseUncopiable } from "../validate";

type Send = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
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
    logSentences(this);
    const path = new NodePath(RED, this, config, op);
    this.on("input", (msg: NodeMessage, send: Send, done: Done) => path.input(msg, send, done));
    this.on("close", (_removed: boolean, done: () => void) => path.close(done));
  }

  RED.nodes.registerType(op.type, OperationNode);
}

/** One deployed operation node: its inputs, server, status, the messages it holds, and its close. */
class NodePath<Req, Res> {
  private readonly server: ApiConfigNode<Req, Res> | null;
  private readonly resolvers: Array<[string, Resolver]>;
  private readonly status: StatusReporter;
  // The editor translates these keys into its own language; the node path only sets them.
  private readonly requesting: NodeStatus = { fill: "blue", shape: "dot", text: editorKey("status.requesting") };
  private readonly finished: NodeStatus = { fill: "green", shape: "dot", text: editorKey("status.done") };
  private readonly retrying: NodeStatus = { fill: "yellow", shape: "ring", text: editorKey("status.retrying") };
  /** The config catalogue of the node's API (`<api>-config`): its error codes' phrases come first. */
  private readonly apiCatalogue: string;
  private readonly pending = new Set<Promise<void>>();
  private readonly scope = new CallScope();
  private readonly unfinished = new Unfinished();
  private readonly hooks: CallHooks;
  private readonly run?: Operation<Req, Res>["run"];
  private readonly place: PlaceResult;
  private readonly longLived?: LongLivedOperation<Req, Res>;
  private work?: LongLivedWork;
  private settingsError?: CodedError;
  private closing = false;
  private active = 0;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly config: NodeDef & Record<string, unknown>,
    op: AnyOperation<Req, Res>
  ) {
    this.apiCatalogue = `${op.type.split("-")[0]}-config`;
    this.server = RED.nodes.getNode(config.server as string) as ApiConfigNode<Req, Res> | null;
    this.resolvers = Object.entries(op.inputs).map(([name, fallback]) => [
      name,
      compileProperty(RED, node, name, {
        value: (config[name] as string | undefined) ?? fallback.value,
        type: (config[`${name}Type`] as string | undefined) ?? fallback.type,
      }),
    ]);
    this.status = new StatusReporter(node, this.server?.practice === true);
    let place: PlaceResult | undefined;
    try {
      place = resultPlacer(RED, config.outputProperty);
    } catch (err) {
      this.refuseSettings(asCodedError(err));
    }
    this.place = place ?? (() => undefined);
    this.hooks = {
      onRetry: () => this.status.set(this.retrying),
      scope: this.scope,
    };
    if (isLongLived(op)) {
      this.longLived = op;
      this.open(RED, op);
    } else {
      this.run = op.run.bind(op);
    }
    this.showServer();
  }

  input(msg: NodeMessage, send: Send, done: Done): void {
    // Whatever throws (even send), the message ends exactly once.
    const ended = once(done, this.node);
    const handled = this.run ? this.handle(this.run, msg, send, ended) : this.hold(msg, send, ended);
    const task = handled.catch((err) => ended(asCodedError(err)));
    this.pending.add(task);
    task.then(() => this.pending.delete(task));
  }

  close(done: () => void): void {
    this.closing = true;
    this.scope.stopWaiting();
    const open = this.work?.close() ?? 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(grace);
      clearTimeout(timer);
      // Every message has ended: what is still on the wire (a long-lived operation's poll) has no one waiting for it.
      this.scope.abortRunning();
      this.status.close();
      // The flow may have no Catch node left to tell: the log is the one place that hears of these.
      const { unfinished, longLived, node } = this;
      if (unfinished.total > 0) node.warn(t("warnings.closedWithMessages", { notSent: unfinished.notSent, maybeDelivered: unfinished.maybeDelivered }));
      if (open > 0 && longLived) node.warn(t(longLived.closeWarning, { count: open }));
      done();
    };
    const grace = setTimeout(() => this.scope.abortRunning(), closeTiming.graceMs);
    const timer = setTimeout(finish, closeTiming.waitMs);
    Promise.allSettled([...this.pending]).then(finish);
  }

  /** What the operation calls the API with: the server node's client, with this node's hooks. */
  private readonly call = (req: Req): Promise<Res> => {
    if (!this.server?.client) throw this.server?.configError ?? notConfigured();
    return this.server.client.call(req, this.hooks);
  };

  /** Ends a message with its error: the status shows it, Catch nodes get it, a close counts it. */
  private readonly fail = (done: Done, err: unknown): void => {
    const error = asCodedError(err);
    if (this.closing) this.unfinished.count(error.code);
    this.status.set(this.errorStatus(error));
    done(error);
  };

  /** A long-lived operation's work starts with the node; bad settings fail each message it gets. */
  private open(RED: NodeAPI, op: LongLivedOperation<Req, Res>): void {
    try {
      this.work = op.open({
        settings: this.config,
        call: this.call,
        status: (s) => this.status.set(s),
        warn: (text) => this.node.warn(text),
        copy: (msg) => RED.util.cloneMessage(msg),
        fail: this.fail,
        place: this.place,
      });
    } catch (err) {
      this.refuseSettings(asCodedError(err));
    }
  }

  /** A setting the node cannot work with: said once in the log and the status, then each message fails with it. */
  private refuseSettings(error: CodedError): void {
    this.settingsError ??= error;
    this.node.error(error.message);
    this.status.set(this.errorStatus(error));
  }

  /**
   * The node's state as soon as it is (re)deployed, replacing whatever status it showed before: Node-RED
   * restarts the nodes of a changed server node, so a switch to My server or a corrected token shows
   * at once. On the practice server a grey ring that says so; ready on one's own server: no status (a
   * long-lived operation has shown its own idle state when it opened); no server or a server that
   * cannot work: red, with the reason.
   */
  private showServer(): void {
    const { server } = this;
    if (this.settingsError) return;
    if (!server) this.status.set({ fill: "red", shape: "ring", text: editorKey("status.noServer") });
    else if (server.configError) this.status.set(this.errorStatus(server.configError));
    else if (server.practice) this.status.set({ fill: "grey", shape: "ring", text: editorKey("status.practice") });
    else if (!this.longLived) this.status.set({});
  }

  private errorStatus(error: CodedError): NodeStatus {
    return errorStatus(error.code, this.apiCatalogue);
  }

  private async inputsOf(msg: NodeMessage): Promise<Record<string, unknown>> {
    const values: Record<string, unknown> = {};
    refuseUncopiable(msg);
    for (const [name, resolve] of this.resolvers) {
      let value: unknown;
      try {
        value = resolve(msg);
        if (value instanceof Promise) value = await value;
      } catch (err) {
        throw err instanceof CodedError ? err : inputError(name, "unreadable");
      }
      values[name] = value;
    }
    return values;
  }

  private async handle(run: Operation<Req, Res>["run"], msg: NodeMessage, send: Send, done: Done): Promise<void> {
    if (this.active++ === 0) this.status.set(this.requesting);
    let output: Array<NodeMessage[]> | undefined;
    try {
      if (this.settingsError) throw this.settingsError;
      const outcome = await run({ values: await this.inputsOf(msg), settings: this.config, msg }, this.call);
      if (outcome.extra) Object.assign(msg, outcome.extra);
      if (outcome.each && Array.isArray(outcome.payload)) output = this.split(msg, outcome.payload);
      else this.place(msg, outcome.payload);
    } catch (err) {
      this.active--;
      this.fail(done, err);
      return;
    }
    if (--this.active === 0) this.status.set(this.finished);
    send(output ?? msg);
    done();
  }

  /** One message per item of a result, numbered in msg.parts as a split node numbers them. */
  private split(msg: NodeMessage, items: unknown[]): Array<NodeMessage[]> {
    const id = this.RED.util.generateId();
    const messages = items.map((item, index) => {
      const copy = index === items.length - 1 ? msg : this.RED.util.cloneMessage(msg);
      this.place(copy, item);
      (copy as NodeMessage & { parts?: unknown }).parts = { id, index, count: items.length, type: "array", len: 1 };
      return copy;
    });
    return [messages];
  }

  /** A long-lived operation's message: once its inputs are read, the operation ends it. */
  private async hold(msg: NodeMessage, send: Send, done: Done): Promise<void> {
    try {
      const values = await this.inputsOf(msg);
      // Its inputs were read after the close: there is nothing left to start it in.
      if (this.closing) return done();
      if (!this.work) throw this.settingsError;
      // Its calls come later: a message it cannot serve fails now, as every operation's would.
      if (!this.server?.client) throw this.server?.configError ?? notConfigured();
      this.work.start({ values, settings: this.config, msg }, send, done);
    } catch (err) {
      this.fail(done, err);
    }
  }
}

/** The node's Output property: where its result goes; msg.payload when unset, as before the property existed. */
function resultPlacer(RED: NodeAPI, output: unknown): PlaceResult {
  const path = typeof output === "string" ? output.trim().replace(/^msg\./, "") : "";
  if (path === "" || path === DEFAULT_OUTPUT) return (msg, result) => void ((msg as Record<string, unknown>)[DEFAULT_OUTPUT] = result);
  try {
    RED.util.normalisePropertyExpression(path);
  } catch {
    throw inputError("outputProperty", "notProperty", { value: path });
  }
  return (msg, result) => RED.util.setMessageProperty(msg, path, result, true);
}

type FlowOfNode = { handleError?(node: Node, error: unknown, msg: object): boolean };

/**
 * Catch nodes get an error of ours as it is (msg.error.code, and the field in msg.error.cause); the
 * log and the Debug sidebar, which would show it as a folded object with its sentence cut short, get
 * the whole sentence and its code. These are the two steps of Node-RED's own Node.error: hand the
 * error to the flow's Catch nodes, and log it when none took it.
 */
function logSentences(node: Node): void {
  const error = node.error.bind(node);
  node.error = (logMessage: unknown, msg?: unknown) => {
    const flow = (node as Node & { _flow?: FlowOfNode })._flow;
    if (!(logMessage instanceof CodedError) || typeof msg !== "object" || msg === null || typeof flow?.handleError !== "function") {
      return error(logMessage as string, msg as NodeMessage);
    }
    if (flow.handleError(node, logMessage, msg)) return;
    const { message, code } = logMessage;
    error(message.includes(code) ? message : `${message} (${code})`);
  };
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

function notConfigured(): CodedError {
  return new CodedError(ErrorCode.notConfigured, t("errors.config.noServer", { field: "server" }), { field: "server" });
}

/** Anything unexpected still reaches Catch nodes as a CodedError with a code. */
function asCodedError(err: unknown): CodedError {
  if (err instanceof CodedError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CodedError(ErrorCode.internal, message);
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
