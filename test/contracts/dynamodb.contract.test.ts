import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
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
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { DynamoDbStoredText } from '../../src/adapters/dynamodb/dynamodb-stored-text.js';
import { engineFixture, projectionEngineContract } from './projection-engine.contract.js';
import { containerOver } from '../support/container-over.js';


const { adapters, server } = useDynamoDbLocal();

// No `log`: DynamoDB has no global order. What it offers instead, per-stream order plus the table's stream, is the
// committed-event feed below; its DynamoDB-only behaviour is tested in test/integration/dynamodb-stream-feed.test.ts.
eventStoreContract('dynamodb', () => ({ store: adapters().eventStore }));
snapshotStoreContract('dynamodb', () => adapters().snapshots);
idempotencyStoreContract('dynamodb', () => ({ idempotency: adapters().idempotency, eventStore: adapters().eventStore }));
checkpointStoreContract('dynamodb', () => adapters().checkpoints);
orderReadModelContract('dynamodb', () => adapters().readModels.orders('contract'));
readModelCatalogContract('dynamodb', () => adapters().readModels);
committedEventFeedContract('dynamodb', () => ({ store: adapters().eventStore, feed: adapters().feed, archive: adapters().archive }));
leaseStoreContract('dynamodb', () => adapters().leases);
deadLetterStoreContract('dynamodb', () => adapters().deadLetters);
storedTextContract('dynamodb', () => {
  const { tables, eventStore, deadLetters } = adapters();
  const tablePrefix = tables.deadLetters.slice(0, -'DeadLetters'.length);
  const client = dynamoDbClient({ endpoint: server().endpoint, region: 'us-east-1', tablePrefix, billingMode: 'PAY_PER_REQUEST' });
  return { source: new DynamoDbStoredText(client, tablePrefix), eventStore, deadLetters };
});
deadlineSchedulerContract('dynamodb', () => adapters().deadlines);
projectionEngineContract('dynamodb', async () => engineFixture(containerOver(adapters())));
dataKeyStoreContract('dynamodb', () => adapters().dataKeys);
