import { err, ok, type Result } from 'neverthrow';
import { claimLost, expectedVersionConflict, validateAppend } from '../../application/events/append-rules.js';
import type { EventEnvelope, NewEvent } from '../../application/events/envelope.js';
import { newEventIds } from '../../application/events/event-ids.js';
import { invalidPreviousHash, staleHashConflict } from '../../application/audit/chain-append.js';
import { chainCommit, headHashOf } from '../../application/audit/event-chain.js';
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
import { importThrough, type ImportCommit } from '../../application/events/event-import-plan.js';
import type { EventImport, ImportError, ImportOutcome } from '../../application/ports/event-import.js';
import { byOccurrence, inTimeRange } from './event-order.js';
import type { InMemoryIdempotencyStore } from './in-memory-stores.js';

export class InMemoryEventStore implements EventStore, GlobalEventLog, EventImport {
  readonly #log: EventEnvelope[] = [];
  readonly #streams = new Map<string, EventEnvelope[]>();

  constructor(
    private readonly clock: Clock,
    /** Where an append's idempotency completion is recorded, in the same synchronous step as its events. */
    private readonly keys: InMemoryIdempotencyStore | null = null,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, options: AppendOptions = {}): Promise<Result<AppendResult, AppendError>> {
    const invalid = validateAppend(streamId, events, expected, options) ?? invalidPreviousHash(options);
    if (invalid) return err(invalid);
    const stream = this.#streams.get(streamId) ?? [];
    const conflict = expectedVersionConflict(streamId, expected, stream.length);
    if (conflict) return err(conflict);
    const headHash = headHashOf(stream.at(-1));
    if (options.previousHash !== undefined && options.previousHash !== headHash) return err(staleHashConflict(streamId, expected, stream.length));
    const completion = options.idempotency;
    if (completion !== undefined) {
      if (this.keys === null) return err({ code: 'EVENT_STORE.INVALID_APPEND', message: 'this in-memory event store was opened without an idempotency store to complete keys in' });
      // Checked here and written with the events, with no await in between: nothing can take the key meanwhile.
      if (!this.keys.holds(completion.key, completion.owner)) return err(claimLost(completion.key));
    }
    const recordedAt = this.clock.now();
    const ids = newEventIds(events.length);
    // Cloned before hashing: the chain covers what is stored, and a clone is what every read hands out.
    const cloned = events.map((event, index) => structuredClone({ ...event, eventId: ids[index] as string }));
    const links = chainCommit(streamId, stream.length, headHash, cloned);
    const stored = cloned.map(
      (event, index): EventEnvelope => ({ ...event, streamId, version: stream.length + index + 1, recordedAt, globalPosition: this.#log.length + index + 1, ...links[index] }),
    );
    stream.push(...stored);
    this.#streams.set(streamId, stream);
    this.#log.push(...stored);
    if (completion !== undefined) this.keys?.completeWith(completion);
    const last = stored[stored.length - 1] as EventEnvelope;
    return ok({ streamId, nextVersion: last.version, lastPosition: last.globalPosition, hash: last.hash });
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

  importEvents(events: readonly EventEnvelope[]): Promise<Result<ImportOutcome, ImportError>> {
    return importThrough(
      {
        stored: async (ranges) => new Map(ranges.map(({ streamId, from, to }) => [streamId, (this.#streams.get(streamId) ?? []).filter((event) => event.version >= from && event.version <= to)])),
        write: async (commits) => commits.map((commit) => this.#importCommit(commit)),
      },
      events,
    );
  }

  #importCommit(commit: ImportCommit): boolean {
    const stream = this.#streams.get(commit.streamId) ?? [];
    if (stream.length !== commit.base || headHashOf(stream.at(-1)) !== commit.previousHash) return false;
    const stored = commit.events.map((event, index): EventEnvelope => ({ ...structuredClone(event), globalPosition: this.#log.length + index + 1 }));
    stream.push(...stored);
    this.#streams.set(commit.streamId, stream);
    this.#log.push(...stored);
    return true;
  }

  async readAll(after: number, limit: number): Promise<EventEnvelope[]> {
    return this.#log.slice(Math.max(0, after), Math.max(0, after) + limit).map((event) => structuredClone(event));
  }

  async headPosition(): Promise<number> {
    return this.#log.length;
  }

  async close(): Promise<void> {}
}
