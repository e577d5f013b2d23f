import { err, ok, type Result } from 'neverthrow';
import { Aggregate, type AggregateDefinition, type AggregateSnapshot, type DomainError, type DomainEvent } from '../../domain/index.js';
import { streamIdOf, type EventMetadata, type NewEvent } from '../events/envelope.js';
import { readStreamAsOf } from '../events/stream-as-of.js';
import type { AppendError, AppendOptions, AppendResult, EventStore } from '../ports/event-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock } from '../ports/runtime.js';
import type { SnapshotStore } from '../ports/snapshot-store.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';
import type { AggregateCache } from './aggregate-cache.js';
import type { SnapshotPolicy } from './snapshot-policy.js';

export interface RepositoryDeps {
  readonly eventStore: EventStore;
  readonly snapshots: SnapshotStore;
  readonly upcasters: UpcasterRegistry;
  readonly policy: SnapshotPolicy;
  readonly metrics: Metrics;
  readonly clock: Clock;
  /** Aggregates as of their last load or save in this process; no caching when absent. */
  readonly cache?: AggregateCache | null;
}

/** Where in its history to load an aggregate; the present when empty. */
export interface LoadTarget {
  readonly asOfVersion?: number;
  readonly asOf?: string;
}

/** The aggregate as it stands, without copying its state: the cache copies what it keeps. */
const currentOf = <S, E extends DomainEvent>(aggregate: Aggregate<S, E>): AggregateSnapshot<S> => ({
  aggregateType: aggregate.definition.type,
  aggregateId: aggregate.id,
  version: aggregate.version,
  stateSchemaVersion: aggregate.definition.stateSchemaVersion,
  state: aggregate.state,
  createdAt: aggregate.createdAt,
  lastModifiedAt: aggregate.lastModifiedAt,
});

export class AggregateRepository {
  /**
   * The audit-chain hash of each aggregate's last stored event, where this repository read it (a load of the
   * present that read events, a cache entry) or wrote it: save passes it as the previous hash, so the store
   * need not read the stream's head to chain the new events. Unknown (a load served wholly by a snapshot): the store reads it.
   */
  readonly #headHashes = new WeakMap<object, string>();

  constructor(private readonly deps: RepositoryDeps) {}

  /**
   * Latest usable snapshot plus the events after it, upcast to the current schemas. Always reads the store;
   * a load of the present then refreshes the cache (a load with a target neither reads nor fills it).
   */
  async load<S, E extends DomainEvent>(definition: AggregateDefinition<S, E>, id: string, target: LoadTarget = {}): Promise<Result<Aggregate<S, E>, DomainError>> {
    const started = performance.now();
    const streamId = streamIdOf(definition.type, id);
    const aggregate = new Aggregate(definition, id);
    const snapshot = await this.deps.snapshots.latest(streamId, target.asOfVersion);
    const usable = snapshot !== null && (target.asOf === undefined || (snapshot.lastModifiedAt !== null && Date.parse(snapshot.lastModifiedAt) <= Date.parse(target.asOf)));
    // A snapshot of another state schema is refused by the aggregate and the full history is read instead.
    const fromSnapshot = usable && aggregate.loadFromSnapshot(snapshot).isOk();
    const range = { fromVersion: fromSnapshot ? aggregate.version + 1 : 1, ...(target.asOfVersion === undefined ? {} : { toVersion: target.asOfVersion }) };
    const events = target.asOf === undefined ? await this.deps.eventStore.readStream(streamId, range) : await readStreamAsOf(this.deps.eventStore, streamId, target.asOf, range);
    const loaded = aggregate.loadFromHistory(events.map((event) => this.deps.upcasters.upcast(event)));
    const dimensions = { AggregateType: definition.type };
    this.deps.metrics.record('AggregateLoadTime', performance.now() - started, 'Milliseconds', dimensions);
    this.deps.metrics.record('EventsLoaded', events.length, 'Count', dimensions);
    const present = target.asOf === undefined && target.asOfVersion === undefined;
    const headHash = events.at(-1)?.hash;
    if (present && loaded.isOk() && headHash !== undefined) this.#headHashes.set(aggregate, headHash);
    if (present && loaded.isOk() && aggregate.version > 0) this.deps.cache?.put(streamId, currentOf(aggregate), headHash);
    return loaded;
  }

  /**
   * The aggregate as this process last loaded or saved it, in a copy of its own, without reading the store;
   * null when the cache does not hold it. It may be stale (another process may have appended since): it
   * is for deciding a command whose append, expecting its version, is the check.
   */
  cached<S, E extends DomainEvent>(definition: AggregateDefinition<S, E>, id: string): Aggregate<S, E> | null {
    const cache = this.deps.cache;
    if (!cache) return null;
    const streamId = streamIdOf(definition.type, id);
    const entry = cache.get(streamId, definition.type);
    if (entry === null) return null;
    const aggregate = new Aggregate(definition, id);
    // The state is copied out of the entry; an entry of another state schema is dropped, never used.
    if (aggregate.loadFromSnapshot(entry).isErr()) {
      cache.evict(streamId);
      return null;
    }
    if (entry.headHash !== undefined) this.#headHashes.set(aggregate, entry.headHash);
    return aggregate;
  }

  /**
   * Appends the uncommitted events expecting the version the aggregate was loaded at; the store assigns their ids.
   * `options.idempotency` completes a key's claim in the same commit.
   */
  async save<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, metadata: EventMetadata, options: Pick<AppendOptions, 'idempotency'> = {}): Promise<Result<AppendResult, AppendError>> {
    const streamId = streamIdOf(aggregate.definition.type, aggregate.id);
    const before = aggregate.persistedVersion;
    const events: NewEvent[] = aggregate.uncommittedEvents.map((event) => ({
      type: event.type,
      schemaVersion: this.deps.upcasters.currentVersion(event.type),
      data: event.data,
      metadata,
      occurredAt: event.occurredAt,
    }));
    const previousHash = before > 0 ? this.#headHashes.get(aggregate) : undefined;
    const appended = await this.deps.eventStore.append(streamId, events, before, previousHash === undefined ? options : { ...options, previousHash });
    if (appended.isErr()) {
      // A conflict shows the state this command started from is stale, and after an unknown outcome nobody knows the
      // version: the cache lets go of it (a later version a winning command put there stays).
      const { code } = appended.error;
      if (code === 'EVENT_STORE.CONCURRENCY_CONFLICT' || code === 'EVENT_STORE.UNAVAILABLE') this.deps.cache?.evict(streamId, before);
      return err(appended.error);
    }
    aggregate.markCommitted();
    const { hash } = appended.value;
    if (hash === undefined) this.#headHashes.delete(aggregate);
    else this.#headHashes.set(aggregate, hash);
    this.deps.cache?.put(streamId, currentOf(aggregate), hash);
    if (this.deps.policy.shouldSnapshot(before, aggregate.version)) {
      // The events are committed; a failed snapshot only costs the next load some reading.
      await this.deps.snapshots.save({ ...aggregate.createSnapshot(), streamId, takenAt: this.deps.clock.now() }).catch(() => {
        this.deps.metrics.record('SnapshotFailures', 1, 'Count', { AggregateType: aggregate.definition.type });
      });
    }
    return ok(appended.value);
  }
}
