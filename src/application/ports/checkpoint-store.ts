/**
 * Where a subscriber (projection, relay) has got to in a feed, plus the small records consumers keep
 * beside it (live generations, failures, parked events). Positions are opaque strings: a global-log
 * position for PostgreSQL and memory, per-shard sequence numbers for DynamoDB Streams.
 */
export interface CheckpointStore {
  /** Null when the subscriber has never saved a position. */
  load(subscriber: string): Promise<string | null>;
  /**
   * With a `fence` (the lease's), the save is refused with FencedOffError when a save under a newer
   * lease has been made: a holder that lost its lease can never move a checkpoint back.
   */
  save(subscriber: string, position: string, fence?: number): Promise<void>;
  /** Forgets a record (a failure cleared, a generation retired); nothing happens when there is none. */
  remove(subscriber: string): Promise<void>;
}

export class FencedOffError extends Error {
  override readonly name = 'FencedOffError';
  readonly code = 'LEASE.FENCED_OFF';
}
