import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { PROVISIONED_CAPACITY, type TableDefinition } from './table-definitions.js';

export type PointInTimeRecovery = 'enabled' | 'unsupported by this endpoint';

export interface ProvisionedTable {
  readonly table: string;
  /** What this run did; `unchanged` when the table already matched its definition. */
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly pointInTimeRecovery: PointInTimeRecovery;
  /** The attribute DynamoDB deletes expired items by, for tables that have one. */
  readonly timeToLive?: string;
}

export interface ProvisionOptions {
  /** How often to ask whether a table is ACTIVE yet. */
  readonly pollMs?: number;
  /** How long a table may take to become ACTIVE. */
  readonly timeoutMs?: number;
}

const describeTable = async (client: DynamoDBClient, name: string): Promise<TableDescription | null> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table ?? null;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
};

const waitUntilActive = async (client: DynamoDBClient, name: string, { pollMs = 1_000, timeoutMs = 600_000 }: ProvisionOptions): Promise<TableDescription> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describeTable(client, name);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return table;
    if (Date.now() > deadline) throw new Error(`table ${name} is not ACTIVE after ${timeoutMs} ms (status ${table?.TableStatus ?? 'missing'})`);
    await sleep(pollMs);
  }
};

/** The changes that bring an existing table to its definition, one UpdateTable call each (DynamoDB takes one index change per call). */
const updatesFor = (wanted: CreateTableCommandInput, current: TableDescription): UpdateTableCommandInput[] => {
  const name = wanted.TableName as string;
  const updates: UpdateTableCommandInput[] = [];
  const currentMode = current.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const existingIndexes = new Set((current.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  if (currentMode !== wanted.BillingMode) {
    const provisioned = wanted.BillingMode === 'PROVISIONED';
    updates.push({
      TableName: name,
      BillingMode: wanted.BillingMode,
      ...(provisioned ? { ProvisionedThroughput: { ...PROVISIONED_CAPACITY } } : {}),
      ...(provisioned && existingIndexes.size > 0
        ? { GlobalSecondaryIndexUpdates: [...existingIndexes].map((IndexName) => ({ Update: { IndexName, ProvisionedThroughput: { ...PROVISIONED_CAPACITY } } })) }
        : {}),
    });
  }
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (existingIndexes.has(index.IndexName)) continue;
    updates.push({ TableName: name, AttributeDefinitions: wanted.AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: index }] });
  }
  const stream = wanted.StreamSpecification;
  const currentStream = current.StreamSpecification;
  // A stream already on is kept whatever its view type (tables provisioned before the definition asked for old images
  // have NEW_IMAGE): replacing it would give it a new ARN, expire every consumer's position, strand the Lambda's
  // mapping and lose what is written between the switch off and on. Consumers read only new images.
  if (stream?.StreamEnabled && !currentStream?.StreamEnabled) updates.push({ TableName: name, StreamSpecification: stream });
  return updates;
};

/** DynamoDB Local has no continuous backups and answers with UnknownOperationException; that is reported, not hidden. */
const enablePointInTimeRecovery = async (client: DynamoDBClient, name: string): Promise<PointInTimeRecovery> => {
  try {
    const status = await client.send(new DescribeContinuousBackupsCommand({ TableName: name }));
    if (status.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED') return 'enabled';
    await client.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    return 'enabled';
  } catch (error) {
    if (error instanceof Error && error.name === 'UnknownOperationException') return 'unsupported by this endpoint';
    throw error;
  }
};

const timeToLiveOn = async (client: DynamoDBClient, name: string, attribute: string): Promise<boolean> => {
  const current = (await client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
  const status = current?.TimeToLiveStatus;
  return (status === 'ENABLED' || status === 'ENABLING') && current?.AttributeName === attribute;
};

/** Turns TTL on by `attribute` unless it already is (DynamoDB refuses a second change within an hour). */
const enableTimeToLive = async (client: DynamoDBClient, name: string, attribute: string): Promise<void> => {
  if (await timeToLiveOn(client, name, attribute)) return;
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } }));
  } catch (error) {
    // Another provisioner (a second instance starting) turned it on first: refused as a repeated change, and done.
    if (!(error instanceof Error && error.name === 'ValidationException' && (await timeToLiveOn(client, name, attribute)))) throw error;
  }
};

const provisionTable = async (client: DynamoDBClient, definition: TableDefinition, options: ProvisionOptions): Promise<ProvisionedTable> => {
  const { TimeToLiveAttribute: timeToLive, ...wanted } = definition;
  const name = wanted.TableName as string;
  let action: ProvisionedTable['action'] = 'unchanged';
  let current = await describeTable(client, name);
  if (current === null) {
    try {
      await client.send(new CreateTableCommand(wanted));
      action = 'created';
    } catch (error) {
      // Another provisioner created it first: it is checked against the definition like any existing table.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  current = await waitUntilActive(client, name, options);
  for (const update of action === 'created' ? [] : updatesFor(wanted, current)) {
    await client.send(new UpdateTableCommand(update));
    await waitUntilActive(client, name, options);
    action = 'updated';
  }
  if (timeToLive !== undefined) await enableTimeToLive(client, name, timeToLive);
  return { table: name, action, pointInTimeRecovery: await enablePointInTimeRecovery(client, name), ...(timeToLive === undefined ? {} : { timeToLive }) };
};

/** Creates the tables that are missing and brings the others to their definitions, then waits until all are ACTIVE. Safe to run again. */
export const provisionTables = async (client: DynamoDBClient, definitions: readonly TableDefinition[], options: ProvisionOptions = {}): Promise<ProvisionedTable[]> =>
  Promise.all(definitions.map((definition) => provisionTable(client, definition, options)));
