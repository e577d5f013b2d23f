import { InMemoryEventStore } from '../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryCheckpointStore, InMemoryIdempotencyStore, InMemoryOrderReadModel, InMemorySnapshotStore } from '../../src/adapters/memory/in-memory-stores.js';
import { InMemoryReadModelCatalog } from '../../src/adapters/memory/in-memory-read-models.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { InMemoryDeadLetterStore } from '../../src/adapters/memory/in-memory-dead-letter-store.js';
import { InMemoryLeaseStore } from '../../src/adapters/memory/in-memory-lease-store.js';
import { InMemoryDeadlineScheduler } from '../../src/adapters/memory/in-memory-deadline-scheduler.js';
import { GlobalLogArchive, GlobalLogFeed } from '../../src/application/subscriptions/global-log-feed.js';
import { committedEventFeedContract } from './committed-event-feed.contract.js';
import { dataKeyStoreContract } from './data-key-store.contract.js';
import { InMemoryDataKeyStore } from '../../src/adapters/memory/in-memory-data-key-store.js';
import { deadLetterStoreContract } from './dead-letter-store.contract.js';
import { deadlineSchedulerContract } from './deadline-scheduler.contract.js';
import { leaseStoreContract } from './lease-store.contract.js';
import { engineFixture, projectionEngineContract } from './projection-engine.contract.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { checkpointStoreContract } from './checkpoint-store.contract.js';
import { eventStoreContract } from './event-store.contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';
import { readModelCatalogContract } from './read-model-catalog.contract.js';
import { orderReadModelContract } from './order-read-model.contract.js';
import { snapshotStoreContract } from './snapshot-store.contract.js';

eventStoreContract('memory', () => {
  const store = new InMemoryEventStore(new SystemClock());
  return { store, log: store };
});

// One instance per suite, like one database shared by every test: the suites must not rely on an empty store.
const snapshots = new InMemorySnapshotStore();
snapshotStoreContract('memory', () => snapshots);
const idempotency = new InMemoryIdempotencyStore();
const completingStore = new InMemoryEventStore(new SystemClock(), idempotency);
idempotencyStoreContract('memory', () => ({ idempotency, eventStore: completingStore }));
const checkpoints = new InMemoryCheckpointStore();
checkpointStoreContract('memory', () => checkpoints);
const orders = new InMemoryOrderReadModel();
orderReadModelContract('memory', () => orders);
const catalog = new InMemoryReadModelCatalog();
readModelCatalogContract('memory', () => catalog);

const log = new InMemoryEventStore(new SystemClock());
committedEventFeedContract('memory', () => ({ store: log, feed: new GlobalLogFeed(log), archive: new GlobalLogArchive(log) }));
const leases = new InMemoryLeaseStore(new SystemClock());
leaseStoreContract('memory', () => leases);
const deadLetters = new InMemoryDeadLetterStore();
deadLetterStoreContract('memory', () => deadLetters);
const deadlines = new InMemoryDeadlineScheduler();
deadlineSchedulerContract('memory', () => deadlines);
projectionEngineContract('memory', async () => engineFixture(await createContainer(loadConfig({}, { store: 'memory' })), false));
const dataKeys = new InMemoryDataKeyStore();
dataKeyStoreContract('memory', () => dataKeys);
