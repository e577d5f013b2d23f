import { ContainerModule } from 'inversify';
import { InMemoryEventStore } from '../adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../adapters/memory/in-memory-metrics.js';
import { InMemoryPublisher } from '../adapters/memory/in-memory-publisher.js';
import {
  InMemoryCheckpointStore,
  InMemoryIdempotencyStore,
  InMemorySnapshotStore,
} from '../adapters/memory/in-memory-stores.js';
import { InMemoryReadModelCatalog } from '../adapters/memory/in-memory-read-models.js';
import type { Clock, IdGenerator } from '../application/ports/runtime.js';
import { TOKENS } from './tokens.js';

/** Everything in the process: for specs, tests and a quick look. */
export const memoryModule = (clock: Clock, ids: IdGenerator): ContainerModule =>
  new ContainerModule(({ bind }) => {
    const store = new InMemoryEventStore(clock);
    bind(TOKENS.Clock).toConstantValue(clock);
    bind(TOKENS.Ids).toConstantValue(ids);
    bind(TOKENS.Metrics).toConstantValue(new InMemoryMetrics());
    bind(TOKENS.EventStore).toConstantValue(store);
    bind(TOKENS.GlobalEventLog).toConstantValue(store);
    bind(TOKENS.SnapshotStore).toConstantValue(new InMemorySnapshotStore());
    bind(TOKENS.IdempotencyStore).toConstantValue(new InMemoryIdempotencyStore());
    bind(TOKENS.CheckpointStore).toConstantValue(new InMemoryCheckpointStore());
    bind(TOKENS.ReadModelCatalog).toConstantValue(new InMemoryReadModelCatalog());
    bind(TOKENS.Publisher).toConstantValue(new InMemoryPublisher());
    bind(TOKENS.Closer).toConstantValue(() => store.close());
  });
