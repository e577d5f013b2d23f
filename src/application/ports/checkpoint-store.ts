/**
 * Where a subscriber (projection, relay) has got to in a feed. Positions are opaque strings:
 * a global-log position for PostgreSQL and memory, per-shard sequence numbers for DynamoDB Streams.
 */
export interface CheckpointStore {
  /** Null when the subscriber has never saved a position. */
  load(subscriber: string): Promise<string | null>;
  save(subscriber: string, position: string): Promise<void>;
}
