import { afterAll, beforeAll } from 'vitest';
import type { DynamoDbAdapters } from '../../src/adapters/dynamodb/open-dynamodb.js';
import { openLocalDynamoDb } from './dynamodb-adapters.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';

export interface DynamoDbSuite {
  readonly server: () => DynamoDbLocal;
  /** Every adapter over a fresh set of tables on that server. */
  readonly adapters: () => DynamoDbAdapters;
}

/** Starts DynamoDB Local before the file's tests and stops it after; a server that cannot start fails the suite with the reason. */
export const useDynamoDbLocal = (): DynamoDbSuite => {
  let server: DynamoDbLocal | undefined;
  let adapters: DynamoDbAdapters | undefined;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
    adapters = await openLocalDynamoDb(server);
  });
  afterAll(async () => {
    await adapters?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('DynamoDB Local is not running: used outside the suite');
    return value;
  };
  return { server: () => started(server), adapters: () => started(adapters) };
};
