export interface RetryPolicy {
  /** Calls in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 5_000 };

export interface Pacing {
  readonly sleep: (milliseconds: number) => Promise<void>;
  /** In [0, 1): spreads retries of many publishers apart ("full jitter"). */
  readonly random: () => number;
}

export type AttemptOutcome<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly reason: string };

export type RetryOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly attempts: number; readonly reason: string };

/** Runs `attempt` until it is done or the policy's attempts are spent, sleeping an exponentially growing, jittered delay between. */
export const withBackoff = async <T>(policy: RetryPolicy, pacing: Pacing, attempt: (number: number) => Promise<AttemptOutcome<T>>): Promise<RetryOutcome<T>> => {
  for (let number = 1; ; number += 1) {
    const outcome = await attempt(number);
    if (outcome.done) return { ok: true, value: outcome.value };
    if (number >= policy.maxAttempts) return { ok: false, attempts: number, reason: outcome.reason };
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (number - 1));
    await pacing.sleep(Math.round(pacing.random() * ceiling));
  }
};
