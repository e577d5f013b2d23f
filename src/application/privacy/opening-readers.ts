import type { EventEnvelope } from '../events/envelope.js';
import type { CommittedEventFeed, FeedBatch } from '../ports/committed-event-feed.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { PersonalDataCodec } from './personal-data-codec.js';
import { openEvents } from './personal-fields.js';

/** The committed-event feed with personal fields opened: what projections, the workflow and the relay read. */
export class OpeningFeed implements CommittedEventFeed {
  constructor(
    private readonly feed: CommittedEventFeed,
    private readonly codec: PersonalDataCodec,
  ) {}

  async read(position: string | null, limit: number): Promise<FeedBatch> {
    const batch = await this.feed.read(position, limit);
    return batch.events.length === 0 ? batch : { ...batch, events: await openEvents(batch.events, this.codec) };
  }

  behind(position: string | null): Promise<number | null> {
    return this.feed.behind(position);
  }
}

/** The archive with personal fields opened: a rebuild after an erasure produces the erased form. */
export class OpeningArchive implements EventArchive {
  constructor(
    private readonly archive: EventArchive,
    private readonly codec: PersonalDataCodec,
  ) {}

  scan(onBatch: (events: readonly EventEnvelope[]) => Promise<void>): Promise<void> {
    return this.archive.scan(async (events) => onBatch(await openEvents(events, this.codec)));
  }

  approximateCount(): Promise<number> {
    return this.archive.approximateCount();
  }
}
