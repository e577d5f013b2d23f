import { describe, expect, it } from 'vitest';
import type { CommittedEventFeed, FeedBatch } from '../../../src/application/ports/committed-event-feed.js';
import type { EventEnvelope } from '../../../src/application/events/envelope.js';
import { SharedFeedReads } from '../../../src/application/subscriptions/shared-feed-reads.js';

const events = (count: number): EventEnvelope[] => Array.from({ length: count }, () => ({}) as EventEnvelope);
const FULL = 2;

/** A feed that counts its reads and answers each with `size` events and the position it was asked for, moved on by one. */
const countingFeed = (fail: (position: string | null) => boolean = () => false, size = 2) => {
  const reads: (string | null)[] = [];
  const feed: CommittedEventFeed = {
    read: async (position): Promise<FeedBatch> => {
      reads.push(position);
      if (fail(position)) throw new Error(`read at ${position} failed`);
      return { events: events(size), position: `${Number(position ?? 0) + 1}` };
    },
    behind: async () => 0,
  };
  return { feed, reads };
};

describe('SharedFeedReads', () => {
  it('answers readers at the same position and batch size with one read of the feed', async () => {
    const { feed, reads } = countingFeed();
    const shared = new SharedFeedReads(feed, 1_000);
    const answers = await Promise.all([shared.read('5', FULL), shared.read('5', FULL), shared.read('5', FULL)]);
    expect(answers.map((batch) => batch.position)).toEqual(['6', '6', '6']);
    expect(reads).toEqual(['5']);
    await shared.read('5', 1);
    await shared.read('6', FULL);
    expect(reads).toEqual(['5', '5', '6']);
  });

  it('never hands a short batch (caught up) to a reader that did not start its read', async () => {
    const { feed, reads } = countingFeed(() => false, 1);
    const shared = new SharedFeedReads(feed, 1_000);
    await Promise.all([shared.read('7', FULL), shared.read('7', FULL)]);
    await shared.read('7', FULL);
    expect(reads).toEqual(['7', '7', '7']);
  });

  it('reads again once a kept batch is older than it may be', async () => {
    const { feed, reads } = countingFeed();
    const shared = new SharedFeedReads(feed, 0);
    await shared.read('1', FULL);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await shared.read('1', FULL);
    expect(reads).toEqual(['1', '1']);
  });

  it('does not share a failed read', async () => {
    let failing = true;
    const { feed, reads } = countingFeed(() => failing);
    const shared = new SharedFeedReads(feed, 1_000);
    await expect(shared.read('1', FULL)).rejects.toThrow('read at 1 failed');
    failing = false;
    expect((await shared.read('1', FULL)).position).toBe('2');
    expect(reads).toEqual(['1', '1']);
  });

  it('keeps a bounded number of batches, forgetting the oldest', async () => {
    const { feed, reads } = countingFeed();
    const shared = new SharedFeedReads(feed, 1_000, 2);
    for (const position of ['1', '2', '3']) await shared.read(position, FULL);
    await shared.read('3', FULL);
    await shared.read('1', FULL);
    expect(reads).toEqual(['1', '2', '3', '1']);
  });
});
