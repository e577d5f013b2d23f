import { afterAll, beforeAll } from 'vitest';
import { localSettings } from '../support/dynamodb-adapters.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { openFulfilmentApp } from '../support/fulfilment-app.js';
import { fulfilmentSuite } from './order-fulfilment.suite.js';

let server: DynamoDbLocal | undefined;
beforeAll(async () => {
  server = await startDynamoDbLocal();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

// The committed feed is the table's stream here: the suite polls until each step shows.
// The clock starts now, not at the suites' fixed instant: DynamoDB Local's TTL deletes idempotency records by the wall
// clock, and records stamped months ago would vanish mid-test.
fulfilmentSuite('DynamoDB Local', async () => {
  if (server === undefined) throw new Error('DynamoDB Local did not start');
  return openFulfilmentApp({ store: 'dynamodb', dynamodb: localSettings(server), pollIntervalMs: 100 }, new Date().toISOString());
});
