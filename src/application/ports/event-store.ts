import type { Result } from 'neverthrow';
import type { EventEnvelope, NewEvent } from '../events/envelope.js';

/**
 * - a number: the stream must be at exactly that version (0: it must not exist yet);
 * - 'no-stream': the stream must not exist;
 * - 'any': no check (still atomic and contiguous).
 */
export type ExpectedVersion = number | 'no-stream' | 'any';

/**
 * The largest commit any adapter accepts: DynamoDB's TransactWriteItems limit, applied everywhere so that adapters
 * agree. A commit that carries an idempotency completion writes that record in the same transaction: it holds one
 * event fewer (see validateAppend).
 */
export const MAX_EVENTS_PER_COMMIT = 100;

export type AppendError =
  | { readonly code: 'EVENT_STORE.CONCURRENCY_CONFLICT'; readonly message: string; readonly streamId: string; readonly expected: ExpectedVersion; readonly actual: number }
  | { readonly code: 'EVENT_STORE.INVALID_APPEND'; readonly message: string }
  | { readonly code: 'EVENT_STORE.UNAVAILABLE'; readonly message: string }
  /** The append carried an idempotency completion whose claim is no longer its owner's: nothing was appended. */
  | { readonly code: 'EVENT_STORE.IDEMPOTENCY_CLAIM_LOST'; readonly message: string; readonly key: string };

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the commit. */
  readonly nextVersion: number;
  /** Global position of the commit's last event, where the store has a global order. */
  readonly lastPosition: number | null;
  /** The audit-chain hash of the commit's last event: what the stream's next commit chains from (AppendOptions.previousHash). */
  readonly hash?: string;
}

export interface StreamReadOptions {
  /** Inclusive; default 1. */
  readonly fromVersion?: number;
  /** Inclusive; default the end. */
  readonly toVersion?: number;
  /** Only events that occurred at or before this ISO instant. */
  readonly until?: string;
}

export interface TypeReadOptions {
  /** Inclusive ISO instant on `occurredAt`. */
  readonly from?: string;
  /** Inclusive ISO instant on `occurredAt`. */
  readonly to?: string;
  readonly limit?: number;
}

/**
 * An idempotency claim completed in the same atomic commit as the events (issue 11): no crash can leave
 * events without their key's record or a record without its events. The append is refused when the claim
 * is no longer `owner`'s (its lease ran out and another run took the key).
 */
export interface IdempotencyCompletion {
  readonly key: string;
  readonly owner: string;
  readonly fingerprint: string;
  /** What a repeat of the command returns; written as given. */
  readonly outcome: unknown;
  /** ISO instant after which the record may be removed (retention). */
  readonly expiresAt: string;
}

export interface AppendOptions {
  /**
   * The hash of the stream's event at the expected version, when the caller has read it (the repository
   * has): the store chains the new events from it without reading the stream's head again.
   */
  readonly previousHash?: string;
  readonly idempotency?: IdempotencyCompletion;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, options?: AppendOptions): Promise<Result<AppendResult, AppendError>>;
  /** A stream's events in version order; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: StreamReadOptions): Promise<EventEnvelope[]>;
  /** Events of one type within a time range, ordered by `occurredAt` then stream and version (the ADR's EventTypeIndex). */
  readByType(type: string, options?: TypeReadOptions): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

/**
 * The committed log in commit order, for stores that have one (memory, PostgreSQL, PGlite).
 * Gap-free: a reader never receives position p while an event below p may still commit.
 */
export interface GlobalEventLog {
  /** Up to `limit` events with a position greater than `after`, ascending. */
  readAll(after: number, limit: number): Promise<EventEnvelope[]>;
  /** The highest position a reader may safely see now (0 when empty). */
  headPosition(): Promise<number>;
}
