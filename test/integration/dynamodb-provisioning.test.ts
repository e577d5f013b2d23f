import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { provisionTables } from '../../src/adapters/dynamodb/provisioning.js';
import { DUE_INDEX, EVENT_TYPE_INDEX, INSTANCE_INDEX, tableDefinitions, tableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';

const { server } = useDynamoDbLocal();
let client: DynamoDBClient;

// After the suite's own hook, which starts the server; these tests create tables under prefixes of their own.
beforeAll(() => {
  client = dynamoDbClient(localSettings(server()));
});

afterAll(() => client?.destroy());

const describeTable = async (name: string) => (await client.send(new DescribeTableCommand({ TableName: name }))).Table;

describe('DynamoDB provisioning', () => {
  it('creates every table as the ADR designs the event table, and a second run changes nothing', async () => {
    const names = tableNames(localSettings(server()).tablePrefix);
    const definitions = tableDefinitions(names, 'PAY_PER_REQUEST');
    const first = await provisionTables(client, definitions, { pollMs: 50 });
    expect(first.map((table) => table.action)).toEqual(definitions.map(() => 'created'));
    // DynamoDB Local has no continuous backups: reported as such, never claimed.
    expect(new Set(first.map((table) => table.pointInTimeRecovery))).toEqual(new Set(['unsupported by this endpoint']));
    const events = await describeTable(names.events);
    expect(events?.TableStatus).toBe('ACTIVE');
    expect(events?.KeySchema).toEqual([
      { AttributeName: 'AggregateId', KeyType: 'HASH' },
      { AttributeName: 'Version', KeyType: 'RANGE' },
    ]);
    expect(events?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema?.map((key) => key.AttributeName)])).toEqual([[EVENT_TYPE_INDEX, ['EventType', 'Timestamp']]]);
    expect(events?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(events?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const keysOf = async (name: string) => (await describeTable(name))?.KeySchema?.map((key) => `${key.AttributeName}:${key.KeyType}`);
    expect(await keysOf(names.appliedVersions)).toEqual(['Pk:HASH', 'Sk:RANGE']);
    expect(await keysOf(names.leases)).toEqual(['Name:HASH']);
    expect(await keysOf(names.deadLetters)).toEqual(['EventId:HASH']);
    const deadlines = await describeTable(names.deadlines);
    expect(deadlines?.KeySchema?.map((key) => key.AttributeName)).toEqual(['Id']);
    expect(deadlines?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema?.map((key) => key.AttributeName)]).sort()).toEqual([
      [DUE_INDEX, ['Due', 'DueAt']],
      [INSTANCE_INDEX, ['Instance', 'DueAt']],
    ]);
    const second = await provisionTables(client, definitions, { pollMs: 50 });
    expect(second.map((table) => table.action)).toEqual(definitions.map(() => 'unchanged'));
  });

  it('uses the ADR capacities when provisioned billing is chosen, and switches an existing table over', async () => {
    const names = tableNames(localSettings(server()).tablePrefix);
    await provisionTables(client, tableDefinitions(names, 'PAY_PER_REQUEST'), { pollMs: 50 });
    const switched = await provisionTables(client, tableDefinitions(names, 'PROVISIONED'), { pollMs: 50 });
    expect(switched.every((table) => table.action === 'updated')).toBe(true);
    const events = await describeTable(names.events);
    expect(events?.BillingModeSummary?.BillingMode).toBe('PROVISIONED');
    expect(events?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 100, WriteCapacityUnits: 100 });
  });

  it('adds what an existing table lacks: the index and the stream', async () => {
    const names = tableNames(localSettings(server()).tablePrefix);
    await client.send(
      new CreateTableCommand({
        TableName: names.events,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'AggregateId', KeyType: 'HASH' },
          { AttributeName: 'Version', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'AggregateId', AttributeType: 'S' },
          { AttributeName: 'Version', AttributeType: 'N' },
        ],
      }),
    );
    const [events] = await provisionTables(client, tableDefinitions(names, 'PAY_PER_REQUEST').slice(0, 1), { pollMs: 50 });
    expect(events?.action).toBe('updated');
    const table = await describeTable(names.events);
    expect(table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([EVENT_TYPE_INDEX]);
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('keeps a stream already on with another view type: replacing it would strand its consumers', async () => {
    const names = tableNames(`${localSettings(server()).tablePrefix}kept-`);
    const [definition] = tableDefinitions(names, 'PAY_PER_REQUEST');
    const { TimeToLiveAttribute: _, ...events } = definition ?? { TableName: '' };
    await client.send(new CreateTableCommand({ ...events, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    const before = (await describeTable(names.events))?.LatestStreamArn;
    const [provisioned] = await provisionTables(client, tableDefinitions(names, 'PAY_PER_REQUEST').slice(0, 1), { pollMs: 50 });
    expect(provisioned?.action).toBe('unchanged');
    const table = await describeTable(names.events);
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(table?.LatestStreamArn).toBe(before);
  });

  it('refuses a prefix that would make table names DynamoDB does not accept', () => {
    expect(() => tableNames('prod/')).toThrow(/prod\/EventStore.*3-255 characters/);
  });
});
