import type { ContainerModule } from 'inversify';
import { InMemoryEventStore } from '../adapters/memory/in-memory-event-store.js';
import { InMemoryReadModelCatalog } from '../adapters/memory/in-memory-read-models.js';
import { InMemoryCheckpointStore, InMemoryIdempotencyStore, InMemorySnapshotStore } from '../adapters/memory/in-memory-stores.js';
import type { Runtime } from './container.js';
import { portsModule } from './ports-module.js';

/** Everything in the process: for specs, tests and a quick look. */
export const memoryModule = (runtime: Runtime): ContainerModule => {
  const store = new InMemoryEventStore(runtime.clock);
  return portsModule(runtime, {
    eventStore: store,
    globalLog: store,
    snapshots: new InMemorySnapshotStore(),
    idempotency: new InMemoryIdempotencyStore(),
    checkpoints: new InMemoryCheckpointStore(),
    readModels: new InMemoryReadModelCatalog(),
    close: () => store.close(),
  });
};
