import { GlobalLogArchive, GlobalLogFeed } from '../../src/application/subscriptions/global-log-feed.js';
import { postgresForFile } from '../support/postgres-fixture.js';
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
import { engineFixture, projectionEngineContract } from './projection-engine.contract.js';
import { containerOver } from '../support/container-over.js';
import { PostgresProjectionTransactions } from '../../src/adapters/postgres/postgres-projection-transactions.js';
import { PostgresStoredText } from '../../src/adapters/postgres/postgres-stored-text.js';
import { storedTextContract } from './stored-text.contract.js';

const postgres = postgresForFile();

eventStoreContract('postgres', () => ({ store: postgres().adapters.eventStore, log: postgres().adapters.eventStore }));
snapshotStoreContract('postgres', () => postgres().adapters.snapshots);
idempotencyStoreContract('postgres', () => ({ idempotency: postgres().adapters.idempotency, eventStore: postgres().adapters.eventStore }));
checkpointStoreContract('postgres', () => postgres().adapters.checkpoints);
orderReadModelContract('postgres', () => postgres().adapters.readModels.orders('contract'));
readModelCatalogContract('postgres', () => postgres().adapters.readModels);
committedEventFeedContract('postgres', () => {
  const store = postgres().adapters.eventStore;
  return { store, feed: new GlobalLogFeed(store), archive: new GlobalLogArchive(store) };
});
leaseStoreContract('postgres', () => postgres().adapters.leases);
deadLetterStoreContract('postgres', () => postgres().adapters.deadLetters);
storedTextContract('postgres', () => {
  const { adapters } = postgres();
  return { source: new PostgresStoredText(adapters.driver), eventStore: adapters.eventStore, deadLetters: adapters.deadLetters };
});
deadlineSchedulerContract('postgres', () => postgres().adapters.deadlines);
projectionEngineContract('postgres', async () => {
  const { adapters } = postgres();
  return engineFixture(
    containerOver({
      ...adapters,
      feed: new GlobalLogFeed(adapters.eventStore),
      archive: new GlobalLogArchive(adapters.eventStore),
      projectionTransactions: new PostgresProjectionTransactions(adapters.driver),
    }),
  );
});
dataKeyStoreContract('postgres', () => postgres().adapters.dataKeys);
