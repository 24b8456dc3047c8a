export interface RetryPolicy {
  /** Extra attempts after the first, for transient failures only. */
  retries: number;
  retryBaseMs: number;
  maxRetryDelayMs: number;
}

/**
 * Exponential back-off (base, 2×base, 4×base, … capped at maxRetryDelayMs) with jitter: a random
 * wait between half and all of that, so that many nodes hit by the same 491 do not come back in step.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const capped = Math.min(policy.maxRetryDelayMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(capped * (0.5 + random() * 0.5));
}
