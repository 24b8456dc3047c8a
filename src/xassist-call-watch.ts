import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import { CallScope } from "./lib/call-scope";
import { number } from "./lib/cam-config-settings";
import { CamError, ErrorCode } from "./lib/errors";
import { t, useRuntimeTranslator } from "./lib/i18n";
import { once } from "./lib/operation-node";
import { StatusReporter } from "./lib/status";
import { compileProperty } from "./lib/typed-input";
import type { XassistConfigNode } from "./lib/xassist-config-node";
import { callIdOf, callLogRequest } from "./lib/xassist-operations";
import { CallTracker, isTransient } from "./lib/xassist-watch";

const MAX_WATCHES = 1000;
const DEFAULTS = { interval: 5, timeout: 3600 };

type Send = (msgs: Array<NodeMessage | null>) => void;
type Done = (err?: Error) => void;
type Msg = NodeMessage & Record<string, unknown>;

interface Watch {
  callId: string;
  msg: NodeMessage;
  send: Send;
  done: Done;
  tracker: CallTracker;
  deadline: number;
  timer?: NodeJS.Timeout;
  callLog?: unknown;
  finished: boolean;
}

interface WatchConfig extends NodeDef {
  server?: string;
  callId?: string;
  callIdType?: string;
  interval?: number | string;
  timeout?: number | string;
}

export = function (RED: NodeAPI): void {
  useRuntimeTranslator(RED);

  function XassistCallWatch(this: Node, config: WatchConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const server = RED.nodes.getNode(config.server ?? "") as XassistConfigNode | null;
    const resolveCallId = compileProperty(RED, node, "callId", { value: config.callId ?? "payload", type: config.callIdType ?? "msg" });
    const status = new StatusReporter(node);
    const watches = new Map<string, Watch>();
    let intervalMs = DEFAULTS.interval * 1000;
    let timeoutMs = DEFAULTS.timeout * 1000;
    let settingsError: CamError | undefined;
    let closing = false;
    // On close, polls waiting to retry end at once and polls on the wire are cut off.
    const scope = new CallScope();
    const hooks = { scope };
    try {
      intervalMs = number(config.interval, DEFAULTS.interval, "interval", 0.5, 86_400) * 1000;
      timeoutMs = number(config.timeout, DEFAULTS.timeout, "timeout", 0, 31 * 86_400) * 1000;
    } catch (err) {
      settingsError = err as CamError;
      node.error(settingsError.message);
    }
    showCount();
    if (!server) status.set({ fill: "red", shape: "ring", text: t("status.noServer") });

    node.on("input", (msg: NodeMessage, send: Send, done: Done) => {
      const finished = once(done);
      start(msg as Msg, send, finished).catch((err: CamError) => {
        status.set({ fill: "red", shape: "ring", text: t("status.error", { code: err.code ?? ErrorCode.invalidInput }) });
        finished(err);
      });
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      closing = true;
      scope.abortRunning();
      for (const watch of watches.values()) {
        watch.finished = true;
        clearTimeout(watch.timer);
        watch.done();
      }
      watches.clear();
      status.close();
      done();
    });

    async function start(msg: Msg, send: Send, done: Done): Promise<void> {
      let value = resolveCallId(msg);
      if (value instanceof Promise) value = await value;
      if (closing) return done();
      if (msg.stop === true) return stop(value, done);
      const callId = callIdOf("callId", value);
      if (settingsError) throw settingsError;
      if (watches.has(callId)) {
        node.warn(t("xassist-call-watch:warnings.alreadyWatched", { callId }));
        return done();
      }
      if (watches.size >= MAX_WATCHES) {
        throw new CamError(ErrorCode.queueFull, t("xassist-call-watch:errors.tooMany", { limit: MAX_WATCHES }));
      }
      if (!server?.client) throw server?.configError ?? noServer();
      const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
      const watch: Watch = { callId, msg, send, done, tracker: new CallTracker(), deadline, finished: false };
      watches.set(callId, watch);
      showCount();
      void poll(watch);
    }

    /** msg.stop: the watch of the message's call, or every watch when it names none. */
    function stop(value: unknown, done: Done): void {
      const blank = value === undefined || value === null || value === "";
      const callId = blank ? undefined : callIdOf("callId", value);
      for (const watch of [...watches.values()]) {
        if (callId === undefined || watch.callId === callId) finish(watch, "stopped");
      }
      done();
    }

    async function poll(watch: Watch): Promise<void> {
      watch.timer = undefined;
      if (watch.finished) return;
      try {
        const client = server?.client;
        if (!client) throw server?.configError ?? new CamError(ErrorCode.closed, t("errors.closed"));
        const res = await client.call(callLogRequest(watch.callId), hooks);
        if (watch.finished) return;
        watch.callLog = res.data;
        report(watch, res.data);
        if (watch.finished) return;
        showCount();
      } catch (err) {
        if (watch.finished) return;
        const error = err instanceof CamError ? err : new CamError(ErrorCode.badResponse, String((err as Error)?.message ?? err));
        if (!isTransient(error)) return fail(watch, error);
        status.set({ fill: "yellow", shape: "ring", text: t("xassist-call-watch:status.retrying", { code: error.code, count: watches.size }) });
      }
      const wait = Math.min(intervalMs, watch.deadline - Date.now());
      if (wait <= 0) return finish(watch, "timeout");
      watch.timer = setTimeout(() => (Date.now() >= watch.deadline ? finish(watch, "timeout") : void poll(watch)), wait);
    }

    function report(watch: Watch, callLog: unknown): void {
      const changes = watch.tracker.update(callLog);
      const callStatus = (callLog as { callStatus?: unknown } | null)?.callStatus ?? null;
      for (const event of changes.events) {
        const payload = { callId: watch.callId, type: event.type ?? null, contact: event.contact ?? null, eventId: event.id ?? null, callStatus };
        watch.send([output(watch, String(event.type ?? "event"), payload, callLog), null]);
      }
      if (changes.status) {
        const payload = { callId: watch.callId, type: "status", ...changes.status };
        watch.send([output(watch, "status", payload, callLog), null]);
      }
      if (changes.ended) finish(watch, "ended");
    }

    function finish(watch: Watch, reason: "ended" | "timeout" | "stopped"): void {
      if (!end(watch)) return;
      const callStatus = (watch.callLog as { callStatus?: unknown } | undefined)?.callStatus ?? null;
      const payload = { callId: watch.callId, reason, callStatus, events: watch.tracker.eventCount };
      watch.send([null, output(watch, reason, payload, watch.callLog)]);
      watch.done();
    }

    function fail(watch: Watch, error: CamError): void {
      if (!end(watch)) return;
      status.set({ fill: "red", shape: "ring", text: t("status.error", { code: error.code }) });
      watch.done(error);
    }

    function end(watch: Watch): boolean {
      if (watch.finished) return false;
      watch.finished = true;
      clearTimeout(watch.timer);
      watches.delete(watch.callId);
      showCount();
      return true;
    }

    function output(watch: Watch, topic: string, payload: unknown, callLog: unknown): NodeMessage {
      const msg = RED.util.cloneMessage(watch.msg) as Msg;
      msg.topic = topic;
      msg.payload = payload;
      msg.callId = watch.callId;
      if (callLog !== undefined) msg.callLog = callLog;
      delete msg.stop;
      return msg;
    }

    function showCount(): void {
      if (watches.size === 0) status.set({ fill: "grey", shape: "ring", text: t("xassist-call-watch:status.idle") });
      else status.set({ fill: "blue", shape: "dot", text: t("xassist-call-watch:status.watching", { count: watches.size }) });
    }
  }

  RED.nodes.registerType("xassist-call-watch", XassistCallWatch);
};

function noServer(): CamError {
  return new CamError(ErrorCode.notConfigured, t("xassist-config:errors.config.noServer", { field: "server" }), { field: "server" });
}
