import { err, ok, type Result } from 'neverthrow';
import { expectedVersionConflict, validateAppend } from '../../application/events/append-rules.js';
import type { EventEnvelope, NewEvent } from '../../application/events/envelope.js';
import { newEventIds } from '../../application/events/event-ids.js';
import type {
  AppendError,
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  GlobalEventLog,
  StreamReadOptions,
  TypeReadOptions,
} from '../../application/ports/event-store.js';
import type { Clock } from '../../application/ports/runtime.js';
import { byOccurrence, inTimeRange } from './event-order.js';

export class InMemoryEventStore implements EventStore, GlobalEventLog {
  readonly #log: EventEnvelope[] = [];
  readonly #streams = new Map<string, EventEnvelope[]>();

  constructor(private readonly clock: Clock) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, _options: AppendOptions = {}): Promise<Result<AppendResult, AppendError>> {
    const invalid = validateAppend(streamId, events, expected);
    if (invalid) return err(invalid);
    const stream = this.#streams.get(streamId) ?? [];
    const conflict = expectedVersionConflict(streamId, expected, stream.length);
    if (conflict) return err(conflict);
    const recordedAt = this.clock.now();
    const ids = newEventIds(events.length);
    const stored = events.map(
      (event, index): EventEnvelope =>
        structuredClone({ ...event, eventId: ids[index] as string, streamId, version: stream.length + index + 1, recordedAt, globalPosition: this.#log.length + index + 1 }),
    );
    stream.push(...stored);
    this.#streams.set(streamId, stream);
    this.#log.push(...stored);
    const last = stored[stored.length - 1] as EventEnvelope;
    return ok({ streamId, nextVersion: last.version, lastPosition: last.globalPosition });
  }

  async readStream(streamId: string, options: StreamReadOptions = {}): Promise<EventEnvelope[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    const until = options.until;
    return (this.#streams.get(streamId) ?? [])
      .filter((event) => event.version >= from && event.version <= to && (until === undefined || Date.parse(event.occurredAt) <= Date.parse(until)))
      .map((event) => structuredClone(event));
  }

  async readByType(type: string, options: TypeReadOptions = {}): Promise<EventEnvelope[]> {
    return this.#log
      .filter((event) => event.type === type && inTimeRange(event.occurredAt, options))
      .sort(byOccurrence)
      .slice(0, options.limit ?? Number.MAX_SAFE_INTEGER)
      .map((event) => structuredClone(event));
  }

  async readAll(after: number, limit: number): Promise<EventEnvelope[]> {
    return this.#log.slice(Math.max(0, after), Math.max(0, after) + limit).map((event) => structuredClone(event));
  }

  async headPosition(): Promise<number> {
    return this.#log.length;
  }

  async close(): Promise<void> {}
}
