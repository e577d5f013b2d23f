import type { EventEnvelope } from '../events/envelope.js';

/**
 * Every event the store keeps, read straight from the store rather than from the feed: what a rebuild
 * reads, since a feed may keep only recent events (DynamoDB Streams keep 24 hours). Each stream comes in
 * version order; streams come in no particular order and may be handed over concurrently (DynamoDB reads
 * parallel Scan segments).
 */
export interface EventArchive {
  /** Resolves once every event stored before the call began has been handed to `onBatch` (later ones may be too). */
  scan(onBatch: (events: readonly EventEnvelope[]) => Promise<void>): Promise<void>;
  /** About how many events it holds, for progress reports. */
  approximateCount(): Promise<number>;
}
