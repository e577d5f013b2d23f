import type { IdempotencyCompletion } from './event-store.js';

/** What a command returned the first time, kept under its idempotency key. */
export interface StoredOutcome {
  readonly fingerprint: string;
  readonly outcome: unknown;
}

export type Claim = { readonly status: 'claimed' } | { readonly status: 'completed'; readonly stored: StoredOutcome } | { readonly status: 'in-progress' };

/**
 * Who claims a key and for how long. A claim whose holder died (a crash between claim and completion) is taken
 * over once its lease has run out, so no key stays stuck for ever; completion and release are checked against the
 * owner, so a run that lost its claim can neither record its outcome nor append (see IdempotencyCompletion).
 */
export interface ClaimLease {
  /** Unique per claim attempt: a claim re-sent by its own owner (a retried request) is still that owner's. */
  readonly owner: string;
  /** ISO instants from the application's clock. */
  readonly now: string;
  readonly until: string;
  /** When the record may be removed (retention); a record past it counts as absent to the next claim. */
  readonly expiresAt: string;
}

export interface IdempotencyStore {
  /** Atomically takes the key for one command, or reports who has it. A record expired at `lease.now` counts as absent. */
  claim(key: string, lease: ClaimLease): Promise<Claim>;
  /**
   * Records the outcome of a command that appended nothing (a refusal), only while `owner` holds the claim.
   * False when it does not (its lease ran out and another run took the key): nothing is recorded.
   * Outcomes with events are recorded by the append itself (AppendOptions.idempotency), atomically with them.
   */
  complete(completion: IdempotencyCompletion): Promise<boolean>;
  /** Gives the key back after a command failed without appending, so that a retry can run; only the owner's claim, never an outcome. */
  release(key: string, owner: string): Promise<void>;
}
