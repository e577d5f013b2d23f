import { err, ok, type Result } from 'neverthrow';
import { Aggregate, type AggregateDefinition, type DomainError, type DomainEvent } from '../../domain/index.js';
import { streamIdOf, type EventMetadata, type NewEvent } from '../events/envelope.js';
import type { AppendError, AppendResult, EventStore } from '../ports/event-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import type { SnapshotStore } from '../ports/snapshot-store.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';
import type { SnapshotPolicy } from './snapshot-policy.js';

export interface RepositoryDeps {
  readonly eventStore: EventStore;
  readonly snapshots: SnapshotStore;
  readonly upcasters: UpcasterRegistry;
  readonly policy: SnapshotPolicy;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Where in its history to load an aggregate; the present when empty. */
export interface LoadTarget {
  readonly asOfVersion?: number;
  readonly asOf?: string;
}

export class AggregateRepository {
  constructor(private readonly deps: RepositoryDeps) {}

  /** Latest usable snapshot plus the events after it, upcast to the current schemas. */
  async load<S, E extends DomainEvent>(definition: AggregateDefinition<S, E>, id: string, target: LoadTarget = {}): Promise<Result<Aggregate<S, E>, DomainError>> {
    const started = performance.now();
    const streamId = streamIdOf(definition.type, id);
    const aggregate = new Aggregate(definition, id);
    const snapshot = await this.deps.snapshots.latest(streamId, target.asOfVersion);
    const usable = snapshot !== null && (target.asOf === undefined || (snapshot.lastModifiedAt !== null && Date.parse(snapshot.lastModifiedAt) <= Date.parse(target.asOf)));
    // A snapshot of another state schema is refused by the aggregate and the full history is read instead.
    const fromSnapshot = usable && aggregate.loadFromSnapshot(snapshot).isOk();
    const events = await this.deps.eventStore.readStream(streamId, {
      fromVersion: fromSnapshot ? aggregate.version + 1 : 1,
      ...(target.asOfVersion === undefined ? {} : { toVersion: target.asOfVersion }),
      ...(target.asOf === undefined ? {} : { until: target.asOf }),
    });
    const loaded = aggregate.loadFromHistory(events.map((event) => this.deps.upcasters.upcast(event)));
    const dimensions = { AggregateType: definition.type };
    this.deps.metrics.record('AggregateLoadTime', performance.now() - started, 'Milliseconds', dimensions);
    this.deps.metrics.record('EventsLoaded', events.length, 'Count', dimensions);
    return loaded;
  }

  /** Appends the uncommitted events expecting the version the aggregate was loaded at. */
  async save<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, metadata: EventMetadata): Promise<Result<AppendResult, AppendError>> {
    const streamId = streamIdOf(aggregate.definition.type, aggregate.id);
    const before = aggregate.persistedVersion;
    const events: NewEvent[] = aggregate.uncommittedEvents.map((event) => ({
      eventId: this.deps.ids.next(),
      type: event.type,
      schemaVersion: this.deps.upcasters.currentVersion(event.type),
      data: event.data,
      metadata,
      occurredAt: event.occurredAt,
    }));
    const appended = await this.deps.eventStore.append(streamId, events, before);
    if (appended.isErr()) return err(appended.error);
    aggregate.markCommitted();
    if (this.deps.policy.shouldSnapshot(before, aggregate.version)) {
      // The events are committed; a failed snapshot only costs the next load some reading.
      await this.deps.snapshots.save({ ...aggregate.createSnapshot(), streamId, takenAt: this.deps.clock.now() }).catch(() => {
        this.deps.metrics.record('SnapshotFailures', 1, 'Count', { AggregateType: aggregate.definition.type });
      });
    }
    return ok(appended.value);
  }
}
