import type { CommittedEventFeed, FeedBatch } from '../ports/committed-event-feed.js';
import type { GlobalEventLog } from '../ports/event-store.js';

const POSITION = /^(0|[1-9][0-9]*)$/;

/** The committed-event feed of stores with a global order (memory, PostgreSQL, PGlite): a position is the last global position read. */
export class GlobalLogFeed implements CommittedEventFeed {
  constructor(private readonly log: GlobalEventLog) {}

  async read(position: string | null, limit: number): Promise<FeedBatch> {
    const after = position === null ? 0 : Number(position);
    if (position !== null && !(POSITION.test(position) && Number.isSafeInteger(after))) {
      // A checkpoint this feed did not write: carrying on from a guess could skip events.
      throw new Error(`a global log position is a non-negative integer; got ${JSON.stringify(position)}`);
    }
    const events = await this.log.readAll(after, limit);
    const last = events.at(-1);
    if (last !== undefined && last.globalPosition === null) throw new Error(`event ${last.eventId} came from the global log without a global position`);
    return { events, position: String(last?.globalPosition ?? after) };
  }
}
