import type { EventEnvelope } from '../events/envelope.js';

export interface FeedBatch {
  /** Committed events; within one stream in version order. No order across streams is promised. */
  readonly events: readonly EventEnvelope[];
  /** The opaque position just after this batch, to save as a checkpoint once the batch is handled. */
  readonly position: string;
}

/**
 * The position a consumer saved can no longer be resumed: the feed has trimmed records it had not read
 * yet (DynamoDB Streams keep 24 hours). Carrying on would silently skip them; the consumer rebuilds from
 * the store instead.
 */
export class FeedPositionExpiredError extends Error {
  override readonly name = 'FeedPositionExpiredError';
  readonly code = 'FEED.POSITION_EXPIRED';
}

/**
 * Committed events, from a saved position onwards, at least once: the one source every consumer
 * (projections, the relay, workflows) reads. The gap-free global log on memory, PostgreSQL and PGlite;
 * the event table's stream on DynamoDB.
 */
export interface CommittedEventFeed {
  /**
   * The next batch after `position` (null: from the oldest event the feed keeps); an empty batch when
   * caught up. Rejects with FeedPositionExpiredError when `position` points at trimmed records. Depends on
   * `position` alone: a reader asks for the next batch while it still handles the one before, and may drop it.
   */
  read(position: string | null, limit: number): Promise<FeedBatch>;
  /** How many committed events lie beyond `position`, where the feed can tell cheaply; null where it cannot (DynamoDB Streams). */
  behind(position: string | null): Promise<number | null>;
}
