import type { NodeMessage } from "node-red";
import { CodedError, ErrorCode } from "../core/errors";
import { t } from "../core/i18n";
import {
  fromMsg,
  type EndMessage,
  type LongLivedNode,
  type LongLivedOperation,
  type LongLivedWork,
  type OperationInput,
  type SendOutputs,
} from "../core/node/operation";
import { number } from "../core/node/server-settings";
import { type CallSummary, CallTracker, type CheckedCallLog, type EventLimit, checkCallLog, isTransient, summarize } from "./xassist-call-tracker";
import type { XRequest, XResponse } from "./xassist-client";
import { CALL_WATCH_SETTINGS as SETTINGS, callIdOf, callLogRequest } from "./xassist-operations";

const MAX_WATCHES = 1000;

type Msg = NodeMessage & Record<string, unknown>;
type WatchNode = LongLivedNode<XRequest, XResponse>;

interface Watch {
  callId: string;
  /** A copy of the message that started the watch, without its payload: each output is a copy of it. */
  template: Msg;
  send: SendOutputs;
  done: EndMessage;
  tracker: CallTracker;
  deadline: number;
  timer?: NodeJS.Timeout;
  callLog?: CheckedCallLog;
  finished: boolean;
  /** The event limits this watch has warned about: once each. */
  warned: Set<EventLimit>;
}

/** Watches calls: a message per call event and status change on the first output, the end on the second. */
export const callWatch: LongLivedOperation<XRequest, XResponse> = {
  type: "xassist-call-watch",
  inputs: { callId: fromMsg("payload") },
  settings: SETTINGS,
  open: (node) => new Watches(node),
  closeWarning: "xassist-call-watch:warnings.stoppedWhileWatching",
};

/** The calls one node watches, each polled until it ends, the watch times out or msg.stop ends it. */
class Watches implements LongLivedWork {
  private readonly watches = new Map<string, Watch>();
  /** The watches whose last poll met an event limit: the status shows it. */
  private readonly limited = new Set<Watch>();
  private readonly intervalMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly node: WatchNode) {
    const { interval, timeout } = SETTINGS;
    this.intervalMs = number(node.settings.interval, interval.value, "interval", interval.min, interval.max) * 1000;
    this.timeoutMs = number(node.settings.timeout, timeout.value, "timeout", timeout.min, timeout.max) * 1000;
    this.showCount();
  }

  start({ values, msg }: OperationInput, send: SendOutputs, done: EndMessage): void {
    if ((msg as Msg).stop === true) return this.stop(values.callId, done);
    const callId = callIdOf("callId", values.callId);
    if (this.watches.has(callId)) {
      this.node.warn(t("xassist-call-watch:warnings.alreadyWatched", { callId }));
      return done();
    }
    if (this.watches.size >= MAX_WATCHES) {
      throw new CodedError(ErrorCode.queueFull, t("xassist-call-watch:errors.tooMany", { limit: MAX_WATCHES }));
    }
    const deadline = this.timeoutMs > 0 ? Date.now() + this.timeoutMs : Infinity;
    const watch: Watch = { callId, template: this.template(msg as Msg), send, done, tracker: new CallTracker(), deadline, finished: false, warned: new Set() };
    this.watches.set(callId, watch);
    this.showCount();
    this.schedule(watch, 0);
  }

  close(): number {
    const count = this.watches.size;
    for (const watch of this.watches.values()) {
      watch.finished = true;
      clearTimeout(watch.timer);
      watch.done();
    }
    this.watches.clear();
    this.limited.clear();
    return count;
  }

  /** The properties every output keeps; its result goes where the node's Output property says. */
  private template(msg: Msg): Msg {
    const { stop: _stop, callLog: _callLog, call: _call, ...kept } = msg;
    return this.node.copy(kept as Msg);
  }

  /** msg.stop: the watch of the message's call, or every watch when it names none. */
  private stop(value: unknown, done: EndMessage): void {
    const blank = value === undefined || value === null || value === "";
    const callId = blank ? undefined : callIdOf("callId", value);
    for (const watch of [...this.watches.values()]) {
      if (callId === undefined || watch.callId === callId) this.finish(watch, "stopped");
    }
    done();
  }

  /** The next poll, or the end at the deadline; nothing a poll meets may escape the timer. */
  private schedule(watch: Watch, wait: number): void {
    watch.timer = setTimeout(() => {
      watch.timer = undefined;
      if (Date.now() >= watch.deadline) return this.finish(watch, "timeout");
      this.poll(watch).catch((err: unknown) => this.fail(watch, err));
    }, wait);
  }

  private async poll(watch: Watch): Promise<void> {
    if (watch.finished) return;
    try {
      const res = await this.node.call(callLogRequest(watch.callId));
      if (watch.finished) return;
      const log = checkCallLog(res.data, watch.callId);
      watch.callLog = log;
      this.report(watch, log);
      if (watch.finished) return;
      this.showCount();
    } catch (err) {
      if (watch.finished) return;
      if (!(err instanceof CodedError && isTransient(err))) return this.fail(watch, err);
      const text = t("xassist-call-watch:status.retrying", { code: err.code, count: this.watches.size });
      this.node.status({ fill: "yellow", shape: "ring", text });
    }
    const wait = Math.min(this.intervalMs, watch.deadline - Date.now());
    if (wait <= 0) return this.finish(watch, "timeout");
    this.schedule(watch, wait);
  }

  /** One message per new event and per status change, each with that event and a summary of the call. */
  private report(watch: Watch, log: CheckedCallLog): void {
    const changes = watch.tracker.update(log);
    if (changes.limit) this.warnLimit(watch, changes.limit);
    if (changes.limit || watch.tracker.full) this.limited.add(watch);
    else this.limited.delete(watch);
    const summary = () => summarize(watch.callId, log);
    for (const event of changes.events) {
      const type = (event.type as string | null | undefined) ?? null;
      const payload = { callId: watch.callId, type, contact: event.contact ?? null, eventId: event.id ?? null, callStatus: log.callStatus };
      watch.send([this.output(watch, type ?? "event", payload, summary()), null]);
    }
    if (changes.status) {
      const payload = { callId: watch.callId, type: "status", ...changes.status };
      watch.send([this.output(watch, "status", payload, summary()), null]);
    }
    if (changes.ended) this.finish(watch, "ended");
  }

  private warnLimit(watch: Watch, limit: EventLimit): void {
    if (watch.warned.has(limit)) return;
    watch.warned.add(limit);
    this.node.warn(t(`xassist-call-watch:warnings.${limit}`, { callId: watch.callId, limit: watch.tracker.limits[limit] }));
  }

  /** The final message: the only one that carries the whole call log, as last read. */
  private finish(watch: Watch, reason: "ended" | "timeout" | "stopped"): void {
    if (watch.finished) return;
    let msg: Msg;
    try {
      const events = watch.tracker.eventCount;
      const payload = { callId: watch.callId, reason, callStatus: watch.callLog?.callStatus ?? null, events };
      msg = this.output(watch, reason, payload, summarize(watch.callId, watch.callLog));
      if (watch.callLog) msg.callLog = watch.callLog.raw;
    } catch (err) {
      return this.fail(watch, err);
    }
    this.end(watch);
    try {
      watch.send([null, msg]);
    } catch (err) {
      return this.node.fail(watch.done, err);
    }
    watch.done();
  }

  private fail(watch: Watch, err: unknown): void {
    if (this.end(watch)) this.node.fail(watch.done, err);
  }

  private end(watch: Watch): boolean {
    if (watch.finished) return false;
    watch.finished = true;
    clearTimeout(watch.timer);
    this.watches.delete(watch.callId);
    this.limited.delete(watch);
    this.showCount();
    return true;
  }

  private output(watch: Watch, topic: string, payload: unknown, call: CallSummary): Msg {
    const msg = this.node.copy(watch.template);
    msg.topic = topic;
    this.node.place(msg, payload);
    msg.callId = watch.callId;
    msg.call = call;
    return msg;
  }

  private showCount(): void {
    const count = this.watches.size;
    if (count === 0) this.node.status({ fill: "grey", shape: "ring", text: t("xassist-call-watch:status.idle") });
    else if (this.limited.size > 0) this.node.status({ fill: "yellow", shape: "dot", text: t("xassist-call-watch:status.limited", { count }) });
    else this.node.status({ fill: "blue", shape: "dot", text: t("xassist-call-watch:status.watching", { count }) });
  }
}
