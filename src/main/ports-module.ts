import { ContainerModule } from 'inversify';
import { InMemoryMetrics } from '../adapters/memory/in-memory-metrics.js';
import type { CheckpointStore } from '../application/ports/checkpoint-store.js';
import type { CommittedEventFeed } from '../application/ports/committed-event-feed.js';
import type { DeadLetterStore } from '../application/ports/dead-letter-sink.js';
import type { DeadlineScheduler } from '../application/ports/deadline-scheduler.js';
import type { EventArchive } from '../application/ports/event-archive.js';
import type { EventStore } from '../application/ports/event-store.js';
import type { IdempotencyStore } from '../application/ports/idempotency-store.js';
import type { LeaseStore } from '../application/ports/lease-store.js';
import type { ProjectionTransactions } from '../application/ports/projection-transactions.js';
import type { ReadModelCatalog } from '../application/ports/read-models.js';
import type { SnapshotStore } from '../application/ports/snapshot-store.js';
import type { Runtime } from './container.js';
import { TOKENS } from './tokens.js';

/** What an environment (a store technology) provides; the rest of the container is the same everywhere. */
export interface EnvironmentPorts {
  readonly eventStore: EventStore;
  /** The one source every consumer reads: the global log, or the event table's stream. */
  readonly feed: CommittedEventFeed;
  /** Every stored event, for rebuilds and replays as of a time. */
  readonly archive: EventArchive;
  readonly snapshots: SnapshotStore;
  readonly idempotency: IdempotencyStore;
  readonly checkpoints: CheckpointStore;
  readonly leases: LeaseStore;
  readonly deadLetters: DeadLetterStore;
  /** Workflows' durable deadlines, polled by every instance. */
  readonly deadlines: DeadlineScheduler;
  readonly readModels: ReadModelCatalog;
  /** Where the store can commit read models and checkpoints together; without it they are written event by event. */
  readonly projectionTransactions?: ProjectionTransactions;
  close(): Promise<void>;
}

export const portsModule = (runtime: Runtime, ports: EnvironmentPorts): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Clock).toConstantValue(runtime.clock);
    bind(TOKENS.Ids).toConstantValue(runtime.ids);
    bind(TOKENS.Metrics).toConstantValue(new InMemoryMetrics());
    bind(TOKENS.EventStore).toConstantValue(ports.eventStore);
    bind(TOKENS.CommittedEventFeed).toConstantValue(ports.feed);
    bind(TOKENS.EventArchive).toConstantValue(ports.archive);
    bind(TOKENS.SnapshotStore).toConstantValue(ports.snapshots);
    bind(TOKENS.IdempotencyStore).toConstantValue(ports.idempotency);
    bind(TOKENS.CheckpointStore).toConstantValue(ports.checkpoints);
    bind(TOKENS.LeaseStore).toConstantValue(ports.leases);
    bind(TOKENS.DeadLetterStore).toConstantValue(ports.deadLetters);
    bind(TOKENS.DeadlineScheduler).toConstantValue(ports.deadlines);
    bind(TOKENS.ReadModelCatalog).toConstantValue(ports.readModels);
    if (ports.projectionTransactions) bind(TOKENS.ProjectionTransactions).toConstantValue(ports.projectionTransactions);
    bind(TOKENS.Closer).toConstantValue(() => ports.close());
  });
