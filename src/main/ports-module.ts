import { ContainerModule } from 'inversify';
import { InMemoryMetrics } from '../adapters/memory/in-memory-metrics.js';
import type { CheckpointStore } from '../application/ports/checkpoint-store.js';
import type { CommittedEventFeed } from '../application/ports/committed-event-feed.js';
import type { EventStore, GlobalEventLog } from '../application/ports/event-store.js';
import type { IdempotencyStore } from '../application/ports/idempotency-store.js';
import type { ProjectionTransactions } from '../application/ports/projection-transactions.js';
import type { ReadModelCatalog } from '../application/ports/read-models.js';
import type { SnapshotStore } from '../application/ports/snapshot-store.js';
import { GlobalLogFeed } from '../application/relay/global-log-feed.js';
import type { Runtime } from './container.js';
import { TOKENS } from './tokens.js';

/** What an environment (a store technology) provides; the rest of the container is the same everywhere. */
export interface EnvironmentPorts {
  readonly eventStore: EventStore;
  /** Null where the store keeps no global order (DynamoDB). */
  readonly globalLog: GlobalEventLog | null;
  /** Where none is given, the global log is the feed. */
  readonly feed?: CommittedEventFeed;
  readonly snapshots: SnapshotStore;
  readonly idempotency: IdempotencyStore;
  readonly checkpoints: CheckpointStore;
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
    if (ports.globalLog) bind(TOKENS.GlobalEventLog).toConstantValue(ports.globalLog);
    const feed = ports.feed ?? (ports.globalLog ? new GlobalLogFeed(ports.globalLog) : null);
    if (feed) bind(TOKENS.CommittedEventFeed).toConstantValue(feed);
    bind(TOKENS.SnapshotStore).toConstantValue(ports.snapshots);
    bind(TOKENS.IdempotencyStore).toConstantValue(ports.idempotency);
    bind(TOKENS.CheckpointStore).toConstantValue(ports.checkpoints);
    bind(TOKENS.ReadModelCatalog).toConstantValue(ports.readModels);
    if (ports.projectionTransactions) bind(TOKENS.ProjectionTransactions).toConstantValue(ports.projectionTransactions);
    bind(TOKENS.Closer).toConstantValue(() => ports.close());
  });
