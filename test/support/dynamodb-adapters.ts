import { randomUUID } from 'node:crypto';
import { openDynamoDb, type DynamoDbAdapters } from '../../src/adapters/dynamodb/open-dynamodb.js';
import type { DynamoDbSettings } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import type { DynamoDbLocal } from './dynamodb-local.js';

/** Settings for a fresh set of tables on a DynamoDB Local server: a prefix of its own keeps suites sharing a server apart. */
export const localSettings = (server: DynamoDbLocal): DynamoDbSettings => ({
  endpoint: server.endpoint,
  region: 'us-east-1',
  tablePrefix: `t${randomUUID().slice(0, 8)}-`,
  billingMode: 'PAY_PER_REQUEST',
});

export const openLocalDynamoDb = (server: DynamoDbLocal): Promise<DynamoDbAdapters> => openDynamoDb({ settings: localSettings(server), clock: new SystemClock() });
