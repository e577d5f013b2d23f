/** What a command returned the first time, kept under its idempotency key. */
export interface StoredOutcome {
  readonly fingerprint: string;
  readonly outcome: unknown;
}

export type Claim = { readonly status: 'claimed' } | { readonly status: 'completed'; readonly stored: StoredOutcome } | { readonly status: 'in-progress' };

/**
 * Who claims a key and for how long. A claim whose holder died (a crash between claim and
 * completion) is taken over once its lease has run out, so no key stays stuck for ever.
 */
export interface ClaimLease {
  /** Unique per claim attempt: a claim re-sent by its own owner (a retried request) is still that owner's. */
  readonly owner: string;
  /** ISO instants from the application's clock. */
  readonly now: string;
  readonly until: string;
}

export interface IdempotencyStore {
  /** Atomically takes the key for one command, or reports who has it. */
  claim(key: string, lease: ClaimLease): Promise<Claim>;
  complete(key: string, stored: StoredOutcome): Promise<void>;
  /** Gives the key back after a command failed without appending, so that a retry can run. */
  release(key: string): Promise<void>;
}
