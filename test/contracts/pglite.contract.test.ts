import { afterAll, beforeAll } from 'vitest';
import { openPglite, type PostgresAdapters } from '../../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { checkpointStoreContract } from './checkpoint-store.contract.js';
import { eventStoreContract } from './event-store.contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';
import { orderReadModelContract } from './order-read-model.contract.js';
import { snapshotStoreContract } from './snapshot-store.contract.js';

let adapters: PostgresAdapters;

beforeAll(async () => {
  adapters = await openPglite({ dataDir: null, clock: new SystemClock() });
});

afterAll(async () => {
  await adapters?.close();
});

eventStoreContract('pglite', () => ({ store: adapters.eventStore, log: adapters.eventStore }));
snapshotStoreContract('pglite', () => adapters.snapshots);
idempotencyStoreContract('pglite', () => adapters.idempotency);
checkpointStoreContract('pglite', () => adapters.checkpoints);
orderReadModelContract('pglite', () => adapters.readModels.orders('contract'));
