import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import type { CommittedEventFeed } from '../../src/application/ports/committed-event-feed.js';
import type { EventArchive } from '../../src/application/ports/event-archive.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import { aStreamId, events } from '../support/event-mother.js';

export interface FeedFixture {
  readonly store: EventStore;
  readonly feed: CommittedEventFeed;
  readonly archive: EventArchive;
}

/** Reads the feed from `position` until it is caught up; every batch, and the position after them. */
const drain = async (feed: CommittedEventFeed, position: string | null, limit = 1_000): Promise<{ batches: EventEnvelope[][]; position: string | null }> => {
  const batches: EventEnvelope[][] = [];
  for (let at = position; ; ) {
    const batch = await feed.read(at, limit);
    if (batch.events.length === 0) return { batches, position: batch.position };
    batches.push([...batch.events]);
    at = batch.position;
  }
};

/** Each of `streams`' versions in the order they came, with re-deliveries collapsed (the feed is at least once). */
const versionsSeen = (read: readonly EventEnvelope[], streams: readonly string[]): Record<string, number[]> => {
  const seen: Record<string, number[]> = Object.fromEntries(streams.map((s) => [s, []]));
  for (const event of read) {
    const list = seen[event.streamId];
    if (list === undefined) continue;
    if (list.includes(event.version)) continue;
    list.push(event.version);
  }
  return seen;
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * What every committed-event feed must do, whatever keeps it (the global log, DynamoDB Streams): every
 * consumer (projections, the relay, workflows) relies on exactly this and nothing more. No order across
 * streams is promised. The store may be shared with other tests: only this test's streams are looked at.
 */
export const committedEventFeedContract = (adapter: string, fixture: () => FeedFixture): void => {
  describe(`CommittedEventFeed contract: ${adapter}`, () => {
    it('delivers every committed event after a saved position, each stream in version order', async () => {
      const { store, feed } = fixture();
      const start = (await drain(feed, null)).position;
      const [a, b] = [aStreamId(), aStreamId()];
      await store.append(a, events(3), 'no-stream');
      await store.append(b, events(2), 'no-stream');
      await store.append(a, events(1), 3);
      const read = (await drain(feed, start)).batches.flat();
      expect(versionsSeen(read, [a, b])).toEqual({ [a]: [1, 2, 3, 4], [b]: [1, 2] });
      const original = (await store.readStream(a))[1] as EventEnvelope;
      expect(read.find((e) => e.eventId === original.eventId)).toEqual(original);
    });

    it('resumes after a saved position without handing back what came before it, and is empty when caught up', async () => {
      const { store, feed } = fixture();
      const start = (await drain(feed, null)).position;
      const first = aStreamId();
      await store.append(first, events(2), 'no-stream');
      const afterFirst = await drain(feed, start);
      expect(versionsSeen(afterFirst.batches.flat(), [first])[first]).toEqual([1, 2]);
      // The position is opaque text: it survives a round trip through a checkpoint store.
      const saved = JSON.parse(JSON.stringify(afterFirst.position)) as string;
      const second = aStreamId();
      await store.append(second, events(1), 'no-stream');
      const afterSecond = (await drain(feed, saved)).batches.flat();
      expect(versionsSeen(afterSecond, [first, second])).toEqual({ [first]: [], [second]: [1] });
      const caughtUp = await feed.read((await drain(feed, saved)).position, 100);
      expect(caughtUp.events.filter((e) => e.streamId === first || e.streamId === second)).toEqual([]);
    });

    it('keeps batches within the limit and loses nothing across them', async () => {
      const { store, feed } = fixture();
      const start = (await drain(feed, null)).position;
      const stream = aStreamId();
      for (let i = 0; i < 5; i += 1) await store.append(stream, events(3), i === 0 ? 'no-stream' : i * 3);
      const { batches } = await drain(feed, start, 4);
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(4);
      expect(versionsSeen(batches.flat(), [stream])[stream]).toEqual(range(15));
    });

    it('delivers every event of concurrent writers on many streams, each stream in order', async () => {
      const { store, feed } = fixture();
      const start = (await drain(feed, null)).position;
      const streams = Array.from({ length: 8 }, () => aStreamId());
      await Promise.all(
        streams.map(async (stream) => {
          for (let version = 0; version < 6; version += 2) expect((await store.append(stream, events(2), version === 0 ? 'no-stream' : version)).isOk()).toBe(true);
        }),
      );
      const read = (await drain(feed, start, 7)).batches.flat();
      expect(versionsSeen(read, streams)).toEqual(Object.fromEntries(streams.map((s) => [s, range(6)])));
    });

    it('says how far behind a position is where it can tell, and nothing once caught up', async () => {
      const { store, feed } = fixture();
      const caughtUp = (await drain(feed, null)).position;
      const before = await feed.behind(caughtUp);
      if (before === null) return expect(await feed.behind(null)).toBeNull();
      expect(before).toBe(0);
      await store.append(aStreamId(), events(3), 'no-stream');
      expect(await feed.behind(caughtUp)).toBeGreaterThanOrEqual(3);
      expect(await feed.behind((await drain(feed, caughtUp)).position)).toBe(0);
    });

    it('has an archive that hands over every stored event, each stream in version order', async () => {
      const { store, archive } = fixture();
      const [a, b] = [aStreamId(), aStreamId()];
      await store.append(a, events(4), 'no-stream');
      await store.append(b, events(2), 'no-stream');
      await store.append(a, events(2), 4);
      const scanned: EventEnvelope[] = [];
      await archive.scan(async (batch) => {
        scanned.push(...batch);
      });
      const ours = scanned.filter((e) => e.streamId === a || e.streamId === b);
      expect(versionsSeen(ours, [a, b])).toEqual({ [a]: range(6), [b]: range(2) });
      expect(ours).toHaveLength(8);
      expect(await archive.approximateCount()).toBeGreaterThanOrEqual(0);
    });
  });
};
