import { afterAll, beforeAll } from 'vitest';
import { openPglite, type PostgresAdapters } from '../../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { GlobalLogArchive, GlobalLogFeed } from '../../src/application/subscriptions/global-log-feed.js';
import { checkpointStoreContract } from './checkpoint-store.contract.js';
import { committedEventFeedContract } from './committed-event-feed.contract.js';
import { dataKeyStoreContract } from './data-key-store.contract.js';
import { deadLetterStoreContract } from './dead-letter-store.contract.js';
import { deadlineSchedulerContract } from './deadline-scheduler.contract.js';
import { eventStoreContract } from './event-store.contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';
import { leaseStoreContract } from './lease-store.contract.js';
import { orderReadModelContract } from './order-read-model.contract.js';
import { readModelCatalogContract } from './read-model-catalog.contract.js';
import { snapshotStoreContract } from './snapshot-store.contract.js';
import { storedTextContract } from './stored-text.contract.js';
import { PostgresStoredText } from '../../src/adapters/postgres/postgres-stored-text.js';
import { engineFixture, projectionEngineContract } from './projection-engine.contract.js';
import { containerOver } from '../support/container-over.js';
import { PostgresProjectionTransactions } from '../../src/adapters/postgres/postgres-projection-transactions.js';

let adapters: PostgresAdapters;

beforeAll(async () => {
  adapters = await openPglite({ dataDir: null, clock: new SystemClock() });
});

afterAll(async () => {
  await adapters?.close();
});

eventStoreContract('pglite', () => ({ store: adapters.eventStore, log: adapters.eventStore }));
snapshotStoreContract('pglite', () => adapters.snapshots);
idempotencyStoreContract('pglite', () => ({ idempotency: adapters.idempotency, eventStore: adapters.eventStore }));
checkpointStoreContract('pglite', () => adapters.checkpoints);
orderReadModelContract('pglite', () => adapters.readModels.orders('contract'));
readModelCatalogContract('pglite', () => adapters.readModels);
committedEventFeedContract('pglite', () => {
  const store = adapters.eventStore;
  return { store, feed: new GlobalLogFeed(store), archive: new GlobalLogArchive(store) };
});
leaseStoreContract('pglite', () => adapters.leases);
deadLetterStoreContract('pglite', () => adapters.deadLetters);
storedTextContract('pglite', () => ({ source: new PostgresStoredText(adapters.driver), eventStore: adapters.eventStore, deadLetters: adapters.deadLetters }));
deadlineSchedulerContract('pglite', () => adapters.deadlines);
projectionEngineContract('pglite', async () =>
  engineFixture(
    containerOver({
      ...adapters,
      feed: new GlobalLogFeed(adapters.eventStore),
      archive: new GlobalLogArchive(adapters.eventStore),
      projectionTransactions: new PostgresProjectionTransactions(adapters.driver),
    }),
  ),
);
dataKeyStoreContract('pglite', () => adapters.dataKeys);
