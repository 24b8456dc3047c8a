import { CamError, ErrorCode } from "./errors";

type Fields = Record<string, unknown>;

const ENDED = "Ended";

export interface CallChanges {
  /** Call events not seen before, oldest first. */
  events: Fields[];
  /** Set when the call's status differs from the last poll (or on the first poll). */
  status?: { callStatus: unknown; previousStatus: unknown };
  ended: boolean;
}

/** Remembers what one watched call has already reported, and tells what a new CallLog adds. */
export class CallTracker {
  private readonly seen = new Set<string>();
  private status: unknown = null;
  private first = true;
  eventCount = 0;

  update(callLog: unknown): CallChanges {
    const log = (callLog ?? {}) as Fields;
    const events: Fields[] = [];
    const list = Array.isArray(log.callEvents) ? log.callEvents : [];
    list.forEach((event: unknown, index) => {
      const id = (event as Fields | null)?.id;
      const key = typeof id === "number" || typeof id === "string" ? `id:${id}` : `at:${index}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      events.push((event ?? {}) as Fields);
    });
    this.eventCount += events.length;
    const changes: CallChanges = { events, ended: log.callStatus === ENDED };
    if (this.first || log.callStatus !== this.status) {
      changes.status = { callStatus: log.callStatus ?? null, previousStatus: this.status };
      this.status = log.callStatus ?? null;
    }
    this.first = false;
    return changes;
  }
}

/** Worth polling again: the server or the network may recover before the watch times out. */
export function isTransient(error: CamError): boolean {
  const status = error.details.status;
  if (typeof status === "number") return status >= 500 || status === 429;
  const transient: string[] = [ErrorCode.network, ErrorCode.timeout, ErrorCode.maybeDelivered, ErrorCode.badResponse];
  return transient.includes(error.code);
}
