import { afterAll, beforeAll } from 'vitest';
import { openPostgres, type PostgresAdapters } from '../../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { checkpointStoreContract } from './checkpoint-store.contract.js';
import { eventStoreContract } from './event-store.contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';
import { orderReadModelContract } from './order-read-model.contract.js';
import { snapshotStoreContract } from './snapshot-store.contract.js';

let server: PostgresServer | undefined;
let adapters: PostgresAdapters;

beforeAll(async () => {
  server = await startPostgres();
  adapters = await openPostgres({ url: await server.createDatabase(), clock: new SystemClock() });
});

afterAll(async () => {
  await adapters?.close();
  await server?.stop();
});

eventStoreContract('postgres', () => ({ store: adapters.eventStore, log: adapters.eventStore }));
snapshotStoreContract('postgres', () => adapters.snapshots);
idempotencyStoreContract('postgres', () => adapters.idempotency);
checkpointStoreContract('postgres', () => adapters.checkpoints);
orderReadModelContract('postgres', () => adapters.readModels.orders('contract'));
