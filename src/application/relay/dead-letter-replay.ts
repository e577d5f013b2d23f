import type { DeadLetter, DeadLetterStore } from '../ports/dead-letter-sink.js';
import type { EventPublisher } from '../ports/event-publisher.js';

/**
 * The operator's dead letters: list, replay (published exactly as the original would have been: the letter
 * holds the event as it was handed to the bus) and discard.
 */
export class DeadLetters {
  constructor(
    private readonly store: DeadLetterStore,
    /** Null where no bus is configured; connected only when a replay needs it. */
    private readonly publisher: (() => Promise<EventPublisher>) | null,
  ) {}

  list(limit: number, after?: string): Promise<DeadLetter[]> {
    return this.store.list(limit, after);
  }

  /** Null when there is no such letter. A letter the bus refuses again is set aside again, with the new reason. */
  async replay(eventId: string): Promise<DeadLetter | null> {
    if (this.publisher === null) throw new Error('no event bus is configured (EVENT_BUS_NAME): nothing to replay to');
    const letter = await this.store.get(eventId);
    if (letter === null) return null;
    const publisher = await this.publisher();
    // Published first, removed after: a crash in between leaves the letter to replay again (at least once), never lost.
    await publisher.publish([letter.event]);
    const now = await this.store.get(eventId);
    // The bus refused it again: the publisher has put a new letter with the new reason, which stays.
    if (now !== null && now.deadLetteredAt === letter.deadLetteredAt && now.code === letter.code) await this.store.remove(eventId);
    return letter;
  }

  async discard(eventId: string): Promise<boolean> {
    return this.store.remove(eventId);
  }
}
