import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import { CallScope } from "./core/call-scope";
import { number } from "./core/server-settings";
import { CamError, ErrorCode, inputError } from "./core/errors";
import { t, useRuntimeTranslator } from "./core/i18n";
import { once } from "./core/operation-node";
import { StatusReporter } from "./core/status";
import { compileProperty } from "./core/typed-input";
import type { XassistConfigNode } from "./xassist/xassist-config-node";
import { callIdOf, callLogRequest } from "./xassist/xassist-operations";
import { refuseUncopiable } from "./core/validate";
import { type CallSummary, CallTracker, type CheckedCallLog, checkCallLog, isTransient, summarize } from "./xassist/xassist-watch";

const MAX_WATCHES = 1000;
const DEFAULTS = { interval: 5, timeout: 3600 };

type Send = (msgs: Array<NodeMessage | null>) => void;
type Done = (err?: Error) => void;
type Msg = NodeMessage & Record<string, unknown>;

interface Watch {
  callId: string;
  /** A copy of the message that started the watch, without its payload: each output is a copy of it. */
  template: Msg;
  send: Send;
  done: Done;
  tracker: CallTracker;
  deadline: number;
  timer?: NodeJS.Timeout;
  callLog?: CheckedCallLog;
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
      const finished = once(done, node);
      start(msg as Msg, send, finished).catch((err: unknown) => {
        const error = asCamError(err, ErrorCode.invalidInput);
        status.set({ fill: "red", shape: "ring", text: t("status.error", { code: error.code }) });
        endMessage(finished, error);
      });
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      closing = true;
      scope.abortRunning();
      const count = watches.size;
      for (const watch of watches.values()) {
        watch.finished = true;
        clearTimeout(watch.timer);
        endMessage(watch.done);
      }
      watches.clear();
      status.close();
      // The flow may have no Catch node or debug left: the log is the one place that hears of these.
      if (count > 0) node.warn(t("xassist-call-watch:warnings.stoppedWhileWatching", { count }));
      done();
    });

    async function start(msg: Msg, send: Send, done: Done): Promise<void> {
      // Each output is a copy of this message: one Node-RED cannot copy is refused before anything else.
      refuseUncopiable(msg);
      const value = await readCallId(msg);
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
      const watch: Watch = { callId, template: template(msg), send, done, tracker: new CallTracker(), deadline, finished: false };
      watches.set(callId, watch);
      showCount();
      schedule(watch, 0);
    }

    async function readCallId(msg: Msg): Promise<unknown> {
      try {
        return await resolveCallId(msg);
      } catch (err) {
        throw err instanceof CamError ? err : inputError("callId", "unreadable");
      }
    }

    /** The properties every output keeps; the payload is the output's own. */
    function template(msg: Msg): Msg {
      const { payload: _payload, stop: _stop, callLog: _callLog, call: _call, ...kept } = msg;
      return RED.util.cloneMessage(kept) as Msg;
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

    /** The next poll, or the end at the deadline; nothing a poll meets may escape the timer. */
    function schedule(watch: Watch, wait: number): void {
      watch.timer = setTimeout(() => {
        watch.timer = undefined;
        if (Date.now() >= watch.deadline) return finish(watch, "timeout");
        poll(watch).catch((err: unknown) => fail(watch, asCamError(err, ErrorCode.internal)));
      }, wait);
    }

    async function poll(watch: Watch): Promise<void> {
      if (watch.finished) return;
      try {
        const client = server?.client;
        if (!client) throw server?.configError ?? new CamError(ErrorCode.closed, t("errors.closed"));
        const res = await client.call(callLogRequest(watch.callId), hooks);
        if (watch.finished) return;
        const log = checkCallLog(res.data, watch.callId);
        watch.callLog = log;
        report(watch, log);
        if (watch.finished) return;
        showCount();
      } catch (err) {
        if (watch.finished) return;
        const error = asCamError(err, ErrorCode.internal);
        if (!isTransient(error)) return fail(watch, error);
        status.set({ fill: "yellow", shape: "ring", text: t("xassist-call-watch:status.retrying", { code: error.code, count: watches.size }) });
      }
      const wait = Math.min(intervalMs, watch.deadline - Date.now());
      if (wait <= 0) return finish(watch, "timeout");
      schedule(watch, wait);
    }

    /** One message per new event and per status change, each with that event and a summary of the call. */
    function report(watch: Watch, log: CheckedCallLog): void {
      const changes = watch.tracker.update(log);
      const summary = () => summarize(watch.callId, log, watch.tracker.eventCount);
      for (const event of changes.events) {
        const type = (event.type as string | null | undefined) ?? null;
        const payload = { callId: watch.callId, type, contact: event.contact ?? null, eventId: event.id ?? null, callStatus: log.callStatus };
        watch.send([output(watch, type ?? "event", payload, summary()), null]);
      }
      if (changes.status) {
        const payload = { callId: watch.callId, type: "status", ...changes.status };
        watch.send([output(watch, "status", payload, summary()), null]);
      }
      if (changes.ended) finish(watch, "ended");
    }

    /** The final message: the only one that carries the whole call log, as last read. */
    function finish(watch: Watch, reason: "ended" | "timeout" | "stopped"): void {
      if (watch.finished) return;
      let msg: Msg;
      try {
        const events = watch.tracker.eventCount;
        const payload = { callId: watch.callId, reason, callStatus: watch.callLog?.callStatus ?? null, events };
        msg = output(watch, reason, payload, summarize(watch.callId, watch.callLog, events));
        if (watch.callLog) msg.callLog = watch.callLog.raw;
      } catch (err) {
        return fail(watch, asCamError(err, ErrorCode.internal));
      }
      end(watch);
      try {
        watch.send([null, msg]);
      } catch (err) {
        return endMessage(watch.done, asCamError(err, ErrorCode.internal));
      }
      endMessage(watch.done);
    }

    function fail(watch: Watch, error: CamError): void {
      if (!end(watch)) return;
      status.set({ fill: "red", shape: "ring", text: t("status.error", { code: error.code }) });
      endMessage(watch.done, error);
    }

    /** done() of a message; should Node-RED throw while passing it to a Catch node, the log still hears of it. */
    function endMessage(done: Done, error?: CamError): void {
      try {
        done(error);
      } catch (err) {
        node.error(error ? `${error.code}: ${error.message}` : String((err as Error)?.message ?? err));
      }
    }

    function end(watch: Watch): boolean {
      if (watch.finished) return false;
      watch.finished = true;
      clearTimeout(watch.timer);
      watches.delete(watch.callId);
      showCount();
      return true;
    }

    function output(watch: Watch, topic: string, payload: unknown, call: CallSummary): Msg {
      const msg = RED.util.cloneMessage(watch.template) as Msg;
      msg.topic = topic;
      msg.payload = payload;
      msg.callId = watch.callId;
      msg.call = call;
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

/** Anything thrown as the CamError a Catch node can act on. */
function asCamError(err: unknown, code: string): CamError {
  if (err instanceof CamError) return err;
  return new CamError(code, String((err as Error)?.message ?? err).slice(0, 500));
}
