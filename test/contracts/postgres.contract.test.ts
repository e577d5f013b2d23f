import { postgresForFile } from '../support/postgres-fixture.js';
import { checkpointStoreContract } from './checkpoint-store.contract.js';
import { eventStoreContract } from './event-store.contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';
import { orderReadModelContract } from './order-read-model.contract.js';
import { snapshotStoreContract } from './snapshot-store.contract.js';


const postgres = postgresForFile();

eventStoreContract('postgres', () => ({ store: postgres().adapters.eventStore, log: postgres().adapters.eventStore }));
snapshotStoreContract('postgres', () => postgres().adapters.snapshots);
idempotencyStoreContract('postgres', () => postgres().adapters.idempotency);
checkpointStoreContract('postgres', () => postgres().adapters.checkpoints);
orderReadModelContract('postgres', () => postgres().adapters.readModels.orders('contract'));
