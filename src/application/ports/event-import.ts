import type { Result } from 'neverthrow';
import type { EventEnvelope } from '../events/envelope.js';

export interface ImportOutcome {
  /** Events written by this call. */
  readonly imported: number;
  /** Events already stored at their version with the same id: a re-delivery or a resumed import. */
  readonly skipped: number;
}

/** Why an import stopped; what was imported before it stays, and a re-run skips it. */
export type ImportError =
  /** An event cannot be stored as it is: a field missing or malformed, or a value this store cannot hold as written. */
  | { readonly code: 'EVENT_STORE.IMPORT_INVALID'; readonly message: string; readonly streamId: string; readonly version: number }
  /** Another event (another id) already holds that version of the stream. */
  | { readonly code: 'EVENT_STORE.IMPORT_CONFLICT'; readonly message: string; readonly streamId: string; readonly version: number }
  /** A stream's versions do not follow on from what the store holds (a gap), or do not ascend one by one within the call. */
  | { readonly code: 'EVENT_STORE.IMPORT_OUT_OF_ORDER'; readonly message: string; readonly streamId: string; readonly version: number }
  /** An event does not chain from the one before it, or its hash does not recompute: the store never takes a chain that would not verify. */
  | { readonly code: 'EVENT_STORE.IMPORT_CHAIN_BROKEN'; readonly message: string; readonly streamId: string; readonly version: number };

/**
 * Events carried over from another store exactly as it holds them (disaster recovery's import, the continuous
 * replica): ids, versions, hashes, occurredAt and recordedAt kept, personal fields still sealed; only
 * `globalPosition` is this store's own. Idempotent: an event already stored at its version with the same id is
 * skipped. Within a stream the events must ascend one version at a time and follow on from the stored head; any
 * number of streams may be mixed. Written per stream in commits of at most MAX_EVENTS_PER_COMMIT, each atomic and
 * conditional on the head; nothing is atomic across streams. Infrastructure failures reject: the caller retries.
 */
export interface EventImport {
  importEvents(events: readonly EventEnvelope[]): Promise<Result<ImportOutcome, ImportError>>;
}
