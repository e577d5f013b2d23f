import type { EventEnvelope } from '../events/envelope.js';
import type { CommittedEventFeed, FeedBatch } from '../ports/committed-event-feed.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { GlobalEventLog } from '../ports/event-store.js';

const POSITION = /^(0|[1-9][0-9]*)$/;

const positionOf = (position: string | null): number => {
  const after = position === null ? 0 : Number(position);
  if (position !== null && !(POSITION.test(position) && Number.isSafeInteger(after))) {
    // A checkpoint this feed did not write: carrying on from a guess could skip events.
    throw new Error(`a global log position is a non-negative integer; got ${JSON.stringify(position)}`);
  }
  return after;
};

/** The committed-event feed of stores with a global order (memory, PostgreSQL, PGlite): a position is the last global position read. */
export class GlobalLogFeed implements CommittedEventFeed {
  constructor(private readonly log: GlobalEventLog) {}

  async read(position: string | null, limit: number): Promise<FeedBatch> {
    const after = positionOf(position);
    const events = await this.log.readAll(after, limit);
    const last = events.at(-1);
    if (last !== undefined && last.globalPosition === null) throw new Error(`event ${last.eventId} came from the global log without a global position`);
    return { events, position: String(last?.globalPosition ?? after) };
  }

  async behind(position: string | null): Promise<number> {
    return Math.max(0, (await this.log.headPosition()) - positionOf(position));
  }
}

/** The archive of a store with a global log is that log, read from its start. */
export class GlobalLogArchive implements EventArchive {
  constructor(
    private readonly log: GlobalEventLog,
    private readonly batchSize = 1_000,
  ) {}

  async scan(onBatch: (events: readonly EventEnvelope[]) => Promise<void>): Promise<void> {
    for (let after = 0; ; ) {
      const events = await this.log.readAll(after, this.batchSize);
      if (events.length === 0) return;
      await onBatch(events);
      after = events.at(-1)?.globalPosition ?? after;
    }
  }

  approximateCount(): Promise<number> {
    return this.log.headPosition();
  }
}
