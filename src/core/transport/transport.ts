import { answerLimit, type Answer } from "./answer";
import { Backoffs, type CallScope } from "./call-scope";
import { closeTiming } from "../node/close-timing";
import { closeDispatcher, createDispatcher, Demand, type ConnectionOptions } from "./dispatcher";
import { CodedError, ErrorCode, RETRYABLE_HTTP_STATUS } from "../errors";
import { exchange, wasNotSent, type Incoming, type Outgoing } from "./exchange";
import { t } from "../i18n";
import { Limiter } from "./limiter";
import { retryDelay, type RetryPolicy } from "./retry";
import { Secrets } from "./secrets";
import { BROKEN, transportError } from "./transport-errors";
import type { Dispatcher } from "./undici";

export interface TransportOptions extends ConnectionOptions, RetryPolicy {
  /** Calls waiting for a connection; beyond it a call fails at once (QUEUE_FULL). */
  queueLimit: number;
  /** The server node's "Max. response size"; unset, each answer kind has its own default. */
  maxResponseBytes?: number;
}

interface RetryHooks {
  onRetry?(attempt: number, error: CodedError, delayMs: number): void;
}

/** What a node passes along with a call: a retry hook, and the scope its close ends the call through. */
export interface CallHooks extends RetryHooks {
  scope?: CallScope;
}

/**
 * What both APIs share: the queue and concurrency limit, the deadline and size limit of every
 * exchange, retries with back-off, close, and the secrets that no error may carry out. Each client
 * plugs in how it authenticates, what its answers mean and which of its calls only read.
 */
export class Transport {
  readonly secrets = new Secrets();
  private readonly dispatcher: Dispatcher;
  private readonly demand = new Demand();
  private readonly limiter: Limiter;
  private readonly backoffs = new Backoffs();
  private closed = false;

  constructor(private readonly options: TransportOptions) {
    this.dispatcher = createDispatcher(options, this.demand);
    this.limiter = new Limiter(options.connections, options.queueLimit);
    if (options.proxy) {
      const proxy = new URL(options.proxy);
      this.secrets.add(decodeURIComponent(proxy.username));
      this.secrets.add(decodeURIComponent(proxy.password));
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs one call: waits for a slot, then attempts it until it succeeds, fails for good or runs out
   * of retries. A read-only call is also repeated after a timeout or a broken connection.
   */
  async run<T>(attempt: () => Promise<T>, readOnly: boolean, hooks: CallHooks = {}): Promise<T> {
    const waiting = this.limiter.acquire(hooks.scope);
    if (waiting) await waiting;
    try {
      return await this.attempts(attempt, readOnly, hooks);
    } finally {
      this.limiter.release();
    }
  }

  /**
   * The attempts of run() without a place in the queue: for work that calls share (a login), which
   * must not wait behind the calls that wait for it.
   */
  async attempts<T>(attempt: () => Promise<T>, readOnly: boolean, hooks: CallHooks = {}): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        if (this.closed) throw closedError();
        return await attempt();
      } catch (err) {
        const error = this.secrets.error(classify(err, readOnly, hooks.scope));
        error.details.attempts = n;
        if (!error.retryable || n > this.options.retries || this.closed) throw error;
        const delay = retryDelay(this.options, n);
        hooks.onRetry?.(n, error, delay);
        if (!(await this.pause(delay, hooks.scope))) throw stoppedWhileWaiting(error, n);
      }
    }
  }

  /** One exchange within the deadline and the size limit for this kind of answer. */
  exchange(out: Outgoing, answer: Answer, scope?: CallScope): Promise<Incoming> {
    if (this.closed) return Promise.reject(closedError());
    const maxBytes = this.options.maxResponseBytes ?? answerLimit(answer);
    return exchange(this.dispatcher, this.demand, out, { deadlineMs: this.options.timeoutMs, maxBytes }, scope);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.limiter.close();
    this.backoffs.interruptAll();
    await closeDispatcher(this.dispatcher, closeTiming.graceMs);
  }

  /** Waits out a back-off; false when the wait was cut short by close() or the node's close. */
  private async pause(ms: number, scope?: CallScope): Promise<boolean> {
    if (this.closed) return false;
    return (await this.backoffs.wait(ms, scope)) && !this.closed;
  }
}

/** Calls that only read may be repeated when a repeat of a write could duplicate it. */
const READ_ONLY_RETRIES = new Set<string>([ErrorCode.timeout, "HTTP_504"]);

/**
 * The transport's codes retried with back-off, for every call and for calls that only read (an API
 * adds its own codes): what docs/failure-modes.md states (test/unit/failure-modes.test.js compares).
 */
export function retriedCodes(): { always: string[]; readOnly: string[] } {
  const http = [...RETRYABLE_HTTP_STATUS].map((status) => `HTTP_${status}`);
  return {
    always: [ErrorCode.network, ...http],
    readOnly: [...READ_ONLY_RETRIES, ErrorCode.maybeDelivered],
  };
}

function classify(err: unknown, readOnly: boolean, scope?: CallScope): CodedError {
  if (scope?.aborted && !(err instanceof CodedError)) {
    return wasNotSent(err) ? closedError() : new CodedError(ErrorCode.maybeDelivered, t("errors.maybeDelivered", { reason: "stopped" }), { retryable: false });
  }
  const error = transportError(err);
  if (!readOnly || error.retryable) return error;
  const reason = String(error.details.reason);
  if (error.code === ErrorCode.maybeDelivered && BROKEN.has(reason)) {
    return new CodedError(ErrorCode.network, t("errors.network", { reason }), { retryable: true, reason });
  }
  if (READ_ONLY_RETRIES.has(error.code)) error.details.retryable = true;
  return error;
}

export function closedError(): CodedError {
  return new CodedError(ErrorCode.closed, t("errors.closed"), { retryable: false });
}

function stoppedWhileWaiting(last: CodedError, attempts: number): CodedError {
  return new CodedError(ErrorCode.closed, t("errors.closed"), { retryable: false, lastCode: last.code, attempts });
}
