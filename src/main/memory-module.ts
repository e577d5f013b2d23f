import type { ContainerModule } from 'inversify';
import { InMemoryDeadLetterStore } from '../adapters/memory/in-memory-dead-letter-store.js';
import { InMemoryDeadlineScheduler } from '../adapters/memory/in-memory-deadline-scheduler.js';
import { InMemoryEventStore } from '../adapters/memory/in-memory-event-store.js';
import { InMemoryLeaseStore } from '../adapters/memory/in-memory-lease-store.js';
import { InMemoryReadModelCatalog } from '../adapters/memory/in-memory-read-models.js';
import { InMemoryCheckpointStore, InMemoryIdempotencyStore, InMemorySnapshotStore } from '../adapters/memory/in-memory-stores.js';
import { GlobalLogArchive, GlobalLogFeed } from '../application/subscriptions/global-log-feed.js';
import type { Runtime } from './container.js';
import { portsModule } from './ports-module.js';

/** Everything in the process: for specs, tests and a quick look. */
export const memoryModule = (runtime: Runtime): ContainerModule => {
  // One key store for both: an append completes its key in the same step as it stores the events.
  const idempotency = new InMemoryIdempotencyStore();
  const store = new InMemoryEventStore(runtime.clock, idempotency);
  return portsModule(runtime, {
    eventStore: store,
    feed: new GlobalLogFeed(store),
    archive: new GlobalLogArchive(store),
    snapshots: new InMemorySnapshotStore(),
    idempotency,
    checkpoints: new InMemoryCheckpointStore(),
    leases: new InMemoryLeaseStore(runtime.clock),
    deadLetters: new InMemoryDeadLetterStore(),
    deadlines: new InMemoryDeadlineScheduler(),
    readModels: new InMemoryReadModelCatalog(),
    close: () => store.close(),
  });
};
