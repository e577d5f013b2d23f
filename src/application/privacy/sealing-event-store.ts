import type { Result } from 'neverthrow';
import type { EventEnvelope, NewEvent } from '../events/envelope.js';
import type { AppendError, AppendOptions, AppendResult, EventStore, ExpectedVersion, StreamReadOptions, TypeReadOptions } from '../ports/event-store.js';
import type { PersonalDataCodec } from './personal-data-codec.js';
import { openEvents, sealEvent } from './personal-fields.js';

/**
 * The event store as the application sees it: personal fields are sealed on their way in, so the store (and the
 * audit chain it hashes) only ever holds ciphertext, and opened on their way out (ERASED once the subject is).
 */
export class SealingEventStore implements EventStore {
  constructor(
    /** The store as it holds events: sealed. */
    readonly sealed: EventStore,
    private readonly codec: PersonalDataCodec,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, options?: AppendOptions): Promise<Result<AppendResult, AppendError>> {
    const sealed = await Promise.all(events.map((event) => sealEvent(event, streamId, this.codec)));
    return this.sealed.append(streamId, sealed, expected, options);
  }

  async readStream(streamId: string, options?: StreamReadOptions): Promise<EventEnvelope[]> {
    return openEvents(await this.sealed.readStream(streamId, options), this.codec);
  }

  async readByType(type: string, options?: TypeReadOptions): Promise<EventEnvelope[]> {
    return openEvents(await this.sealed.readByType(type, options), this.codec);
  }

  close(): Promise<void> {
    return this.sealed.close();
  }
}
