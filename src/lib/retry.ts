export interface RetryPolicy {
  /** Extra attempts after the first, for transient failures only. */
  retries: number;
  retryBaseMs: number;
  maxRetryDelayMs: number;
}

/** Exponential back-off with "full jitter" between half and all of the capped delay. */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  const capped = Math.min(policy.maxRetryDelayMs, policy.retryBaseMs * 2 ** (attempt - 1));
  return Math.round(capped * (0.5 + Math.random() * 0.5));
}
