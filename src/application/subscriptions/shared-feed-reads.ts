import type { CommittedEventFeed, FeedBatch } from '../ports/committed-event-feed.js';

interface Recent {
  readonly at: number;
  readonly batch: Promise<FeedBatch>;
}

/**
 * One read of the feed for every consumer of a process at the same position. The consumers of one feed move in
 * step (the same batch size from the same position ends at the same position), so without this each projection
 * and the relay would read, and decode, the same batch again. A batch kept for `keepMs` is a prefix of what a fresh
 * read would answer, since committed events do not change. Only a full batch is handed to a second reader: a short
 * one means "caught up", which a reader may only be told by a read begun after it asked.
 */
export class SharedFeedReads implements CommittedEventFeed {
  readonly #recent = new Map<string, Recent>();

  constructor(
    private readonly feed: CommittedEventFeed,
    private readonly keepMs = 100,
    private readonly maxKept = 16,
  ) {}

  async read(position: string | null, limit: number): Promise<FeedBatch> {
    const key = `${limit}:${position ?? ''}`;
    const kept = this.#recent.get(key);
    if (kept !== undefined && Date.now() - kept.at <= this.keepMs) {
      const batch = await kept.batch.catch(() => null);
      // Only a full batch is shared: a short one says "nothing more yet", true only of a read begun after this call.
      if (batch !== null && batch.events.length >= limit) return batch;
    }
    return this.#readAndKeep(key, position, limit);
  }

  #readAndKeep(key: string, position: string | null, limit: number): Promise<FeedBatch> {
    const now = Date.now();
    const batch = this.feed.read(position, limit);
    const entry = { at: now, batch };
    this.#recent.delete(key);
    this.#recent.set(key, entry);
    // A failed read is nobody's to share: the next reader asks the feed again.
    batch.catch(() => {
      if (this.#recent.get(key) === entry) this.#recent.delete(key);
    });
    for (const [oldest, recent] of this.#recent) {
      if (this.#recent.size <= this.maxKept && now - recent.at <= this.keepMs) break;
      this.#recent.delete(oldest);
    }
    return batch;
  }

  behind(position: string | null): Promise<number | null> {
    return this.feed.behind(position);
  }
}
