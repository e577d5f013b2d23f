/** What a command returned the first time, kept under its idempotency key. */
export interface StoredOutcome {
  readonly fingerprint: string;
  readonly outcome: unknown;
}

export type Claim = { readonly status: 'claimed' } | { readonly status: 'completed'; readonly stored: StoredOutcome } | { readonly status: 'in-progress' };

export interface IdempotencyStore {
  /** Atomically takes the key for one command, or reports who has it. */
  claim(key: string, fingerprint: string): Promise<Claim>;
  complete(key: string, stored: StoredOutcome): Promise<void>;
  /** Gives the key back after a command failed, so that a retry can run. */
  release(key: string): Promise<void>;
}
