// Faults injected through POST /_practice/faults, applied to the API endpoints (not to /_practice/ or the page).

const FAULT_KINDS = ["error520", "http500", "http502", "http503", "drop", "drop-after", "delay"] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  id: number;
  kind: FaultKind;
  /** remaining matches; absent in probability mode */
  count?: number;
  probability?: number;
  code?: string;
  delayMs?: number;
  apiName?: string;
  applied: number;
}

interface FaultInput {
  kind?: unknown;
  count?: unknown;
  probability?: unknown;
  code?: unknown;
  delayMs?: unknown;
  apiName?: unknown;
}

/** Small seeded generator so that a soak test can repeat its random faults. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private list: Fault[] = [];
  private nextId = 1;
  private random: () => number = Math.random;

  /** returns an error text for an invalid input */
  add(input: FaultInput & { seed?: unknown }): Fault | string {
    const kind = input.kind as FaultKind;
    if (!FAULT_KINDS.includes(kind)) return `kind must be one of ${FAULT_KINDS.join(", ")}`;
    const fault: Fault = { id: this.nextId++, kind, applied: 0 };
    if (input.probability !== undefined) {
      const p = Number(input.probability);
      if (!(p >= 0 && p <= 1)) return "probability must be between 0 and 1";
      fault.probability = p;
      if (input.seed !== undefined) this.random = mulberry32(Number(input.seed));
    } else {
      const count = input.count === undefined ? 1 : Number(input.count);
      if (!Number.isInteger(count) || count < 1) return "count must be a positive integer";
      fault.count = count;
    }
    if (kind === "error520") {
      if (input.code === undefined) return "error520 needs a code";
      fault.code = String(input.code);
    }
    if (kind === "delay") {
      const ms = Number(input.delayMs);
      if (!(ms >= 0)) return "delay needs delayMs >= 0";
      fault.delayMs = ms;
    }
    if (input.apiName !== undefined) fault.apiName = String(input.apiName);
    this.list.push(fault);
    return fault;
  }

  /** The fault for this request, if any; counts it as applied. error520 only fits Chat&Messenger calls. */
  take(apiName: string, isCam: boolean): Fault | undefined {
    if (this.list.length === 0) return undefined;
    for (const fault of this.list) {
      if (fault.apiName !== undefined && fault.apiName !== apiName) continue;
      if (fault.kind === "error520" && !isCam) continue;
      if (fault.probability !== undefined) {
        if (this.random() >= fault.probability) continue;
      } else if (--fault.count! === 0) {
        this.list = this.list.filter((f) => f !== fault);
      }
      fault.applied++;
      return fault;
    }
    return undefined;
  }

  pending(): Fault[] {
    return this.list.slice();
  }

  clear(): void {
    this.list = [];
    this.random = Math.random;
  }
}
