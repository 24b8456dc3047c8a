// Ring buffer of the requests the API endpoints received, for GET /_practice/requests.
import { MAX_RECORDED_BODY_CHARS } from "../contract";

export interface Outcome {
  /** the operation ran and its effects (if any) applied */
  processed: boolean;
  fault: string | null;
  httpStatus: number | null;
  /** Chat&Messenger body status (200 or 520), when JSON */
  status: number | null;
  code: string | null;
}

export interface RecordedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  /** the raw query string, without "?" */
  query: string;
  api: "cam" | "xassist" | "unknown";
  apiName: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  fields: unknown;
  outcome: Outcome;
}

export class Recorder {
  private items: (RecordedRequest | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(private capacity: number) {
    this.items = new Array(Math.max(1, capacity));
  }

  /** requests since the last clear */
  get total(): number {
    return this.seq;
  }

  add(entry: Omit<RecordedRequest, "seq" | "outcome">): RecordedRequest {
    const record = entry as RecordedRequest;
    record.seq = ++this.seq;
    if (record.body.length > MAX_RECORDED_BODY_CHARS) record.body = record.body.slice(0, MAX_RECORDED_BODY_CHARS) + "…";
    record.outcome = { processed: false, fault: null, httpStatus: null, status: null, code: null };
    this.items[this.next] = record;
    this.next = (this.next + 1) % this.items.length;
    return record;
  }

  /** oldest first; `since` = only entries with a larger seq */
  list(since = 0, limit = Infinity): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    const n = this.items.length;
    for (let i = 0; i < n; i++) {
      const item = this.items[(this.next + i) % n];
      if (item && item.seq > since) out.push(item);
    }
    return out.length > limit ? out.slice(out.length - limit) : out;
  }

  clear(): void {
    this.items = new Array(this.items.length);
    this.next = 0;
    this.seq = 0;
  }
}
