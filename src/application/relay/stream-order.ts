import type { EventEnvelope } from '../events/envelope.js';

export interface StreamGap {
  readonly streamId: string;
  /** The version that should have come next. */
  readonly expectedVersion: number;
  /** The version that came instead. */
  readonly foundVersion: number;
}

export interface PublishPlan {
  /** Each stream in version order and contiguous with what was published before it. */
  readonly ready: EventEnvelope[];
  /** Streams held at a missing version: their events from the gap on are not in `ready`. */
  readonly gaps: StreamGap[];
}

const byVersion = (a: EventEnvelope, b: EventEnvelope): number => a.version - b.version;

/**
 * Orders a feed batch for publishing. A stream's events are sorted by version into the places its records
 * held in the batch, so an ordered feed passes through unchanged and streams stay interleaved as committed.
 * A version at or below the last one published (or seen earlier in the batch) is a re-delivery and is dropped;
 * a version beyond the next one is a gap, and the stream is held there.
 */
export const planPublishing = (events: readonly EventEnvelope[], lastPublished: (streamId: string) => number | undefined): PublishPlan => {
  const byStream = new Map<string, EventEnvelope[]>();
  for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  const gaps: StreamGap[] = [];
  const contiguous = new Map<string, EventEnvelope[]>();
  for (const [streamId, records] of byStream) {
    const sorted = [...records].sort(byVersion);
    let expected = (lastPublished(streamId) ?? (sorted[0] as EventEnvelope).version - 1) + 1;
    const kept: EventEnvelope[] = [];
    for (const event of sorted) {
      if (event.version < expected) continue;
      if (event.version > expected) {
        gaps.push({ streamId, expectedVersion: expected, foundVersion: event.version });
        break;
      }
      kept.push(event);
      expected += 1;
    }
    contiguous.set(streamId, kept);
  }
  const taken = new Map<string, number>();
  const ready: EventEnvelope[] = [];
  for (const { streamId } of events) {
    const index = taken.get(streamId) ?? 0;
    const next = contiguous.get(streamId)?.[index];
    if (next === undefined) continue;
    ready.push(next);
    taken.set(streamId, index + 1);
  }
  return { ready, gaps };
};
