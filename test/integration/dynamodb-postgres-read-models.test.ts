import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { tableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { openDynamoDbApp } from '../../src/main/environment-apps.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

let dynamodb: DynamoDbLocal;
let postgres: PostgresServer;
let folder: string;

beforeAll(async () => {
  [dynamodb, postgres, folder] = await Promise.all([startDynamoDbLocal(), startPostgres(), mkdtemp(join(tmpdir(), 'read-models-'))]);
});
afterAll(async () => {
  await Promise.all([dynamodb?.stop(), postgres?.stop(), folder ? rm(folder, { recursive: true, force: true }) : undefined]);
});

describe('READ_MODELS=postgres with STORE=dynamodb: events in DynamoDB, read models in PostgreSQL for reporting', () => {
  it('projects an order from the event table stream into PostgreSQL and serves the query from there', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const url = await postgres.createDatabase();
    const tablePrefix = `rm${randomUUID().slice(0, 8)}-`;
    const app = await openDynamoDbApp({
      endpoint: dynamodb.endpoint,
      region: 'us-east-1',
      tablePrefix,
      readModelsDatabaseUrl: url,
      settings: { FULFILMENT: 'manual', CONSUMERS: 'off', DATA_DIR: folder, MASTER_KEY: randomBytes(32).toString('base64') },
    });
    const context = { metadata: { correlationId: randomUUID(), causationId: null, actor: 'reporting-test' } };
    try {
      (await app.customers.handle({ type: 'RegisterCustomer', customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, context))._unsafeUnwrap();
      const order = { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 3, unitPrice: 500 }], shippingAddress: { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' } };
      (await app.orders.handle({ type: 'PlaceOrder', ...order }, context))._unsafeUnwrap();
      expect(await app.catchUp()).toBeGreaterThanOrEqual(2);
      expect((await app.orderQueries.orderDetails('o-1'))._unsafeUnwrap()).toMatchObject({ orderId: 'o-1', status: 'CREATED', totalAmount: 1500, itemCount: 3 });
      expect((await app.orderQueries.customerOrders('c-1')).map((summary) => summary.orderId)).toEqual(['o-1']);
    } finally {
      await app.close();
    }

    // The row is in PostgreSQL, where a reporting tool reads it with SQL ...
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ order_id: string; total_amount: string }>('SELECT order_id, total_amount FROM rm_order_summaries');
      expect(rows.map((row) => [row.order_id, Number(row.total_amount)])).toEqual([['o-1', 1500]]);
      // ... and the events are in DynamoDB only: PostgreSQL's event table stays empty.
      expect((await client.query('SELECT count(*)::int AS n FROM es_events')).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
    const ddb = dynamoDbClient({ endpoint: dynamodb.endpoint, region: 'us-east-1', tablePrefix, billingMode: 'PAY_PER_REQUEST' });
    try {
      const tables = tableNames(tablePrefix);
      expect((await ddb.send(new ScanCommand({ TableName: tables.orders }))).Count).toBe(0);
      expect((await ddb.send(new ScanCommand({ TableName: tables.events }))).Count).toBeGreaterThanOrEqual(2);
    } finally {
      ddb.destroy();
    }
  });
});
