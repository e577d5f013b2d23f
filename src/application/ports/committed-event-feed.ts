import type { EventEnvelope } from '../events/envelope.js';

export interface FeedBatch {
  /** Committed events; within one stream in version order. */
  readonly events: readonly EventEnvelope[];
  /** The opaque position just after this batch, to save as a checkpoint once the batch is handled. */
  readonly position: string;
}

/**
 * Committed events, from a saved position onwards, at least once. The global log (memory,
 * PostgreSQL) and DynamoDB Streams each offer one; relays and subscribers read through this.
 */
export interface CommittedEventFeed {
  /** The next batch after `position` (null: from the beginning); an empty batch when caught up. */
  read(position: string | null, limit: number): Promise<FeedBatch>;
}
