import type { Result } from 'neverthrow';
import type { NewEvent } from '../../src/application/events/envelope.js';
import type { AppendError, AppendOptions, AppendResult, EventStore, ExpectedVersion } from '../../src/application/ports/event-store.js';

/**
 * A real store with a competing writer: before each of the first `rounds` appends it lets
 * `compete` commit to the same stream, so that the append meets a genuine version conflict.
 */
export class ContendedEventStore implements EventStore {
  appends = 0;

  constructor(
    private readonly inner: EventStore,
    private readonly compete: (inner: EventStore, streamId: string) => Promise<void>,
    private readonly rounds = Number.POSITIVE_INFINITY,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, options: AppendOptions = {}): Promise<Result<AppendResult, AppendError>> {
    this.appends += 1;
    if (this.appends <= this.rounds) await this.compete(this.inner, streamId);
    return this.inner.append(streamId, events, expected, options);
  }

  readStream: EventStore['readStream'] = (streamId, options) => this.inner.readStream(streamId, options);
  readByType: EventStore['readByType'] = (type, options) => this.inner.readByType(type, options);
  close: EventStore['close'] = () => this.inner.close();
}
