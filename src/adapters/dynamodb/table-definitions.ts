import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { BillingMode } from './dynamodb-settings.js';

export interface TableNames {
  /** The ADR's event table: AggregateId (the stream id) and Version, with the EventTypeIndex. */
  readonly events: string;
  readonly snapshots: string;
  readonly checkpoints: string;
  readonly idempotency: string;
  readonly orders: string;
  readonly inventory: string;
  readonly support: string;
  /** Per read-model kind and generation, the last version applied of each stream. */
  readonly appliedVersions: string;
  /** One item per consumer lease, for running each consumer in one process at a time. */
  readonly leases: string;
  /** Events the relay could not publish, by event id. */
  readonly deadLetters: string;
  /** Workflows' pending deadlines, by id, with the DueIndex pollers read and the InstanceIndex. */
  readonly deadlines: string;
  /** Data subjects' wrapped data keys, by subject (GDPR); an erased subject's item keeps no key. */
  readonly dataKeys: string;
}

export const EVENT_TYPE_INDEX = 'EventTypeIndex';
export const CUSTOMER_INDEX = 'CustomerIndex';
/** Pending deadlines by due time: `Due` (a few fixed shard values) and `DueAt`. */
export const DUE_INDEX = 'DueIndex';
/** A workflow instance's deadlines: `Instance` (`<workflow>#<key>`) and `DueAt`. */
export const INSTANCE_INDEX = 'InstanceIndex';

/**
 * The idempotency table's time-to-live attribute: epoch seconds after which DynamoDB deletes the record (within a
 * day or two, best effort); until then the claim treats a record past its `ExpiresAt` as absent.
 */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'ExpiresAtEpochSeconds';

/** A table as CreateTable takes it, plus what CreateTable cannot say: the attribute DynamoDB's TTL deletes items by. */
export type TableDefinition = CreateTableCommandInput & { readonly TimeToLiveAttribute?: string };

/** The ADR's provisioned capacities, used for every table and index when provisioned billing is chosen. */
export const PROVISIONED_CAPACITY = { ReadCapacityUnits: 100, WriteCapacityUnits: 100 } as const;

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export const tableNames = (prefix: string): TableNames => {
  const names: TableNames = {
    events: `${prefix}EventStore`,
    snapshots: `${prefix}Snapshots`,
    checkpoints: `${prefix}Checkpoints`,
    idempotency: `${prefix}IdempotencyKeys`,
    orders: `${prefix}OrderSummaries`,
    inventory: `${prefix}InventoryLevels`,
    support: `${prefix}SupportHistory`,
    appliedVersions: `${prefix}AppliedVersions`,
    leases: `${prefix}Leases`,
    deadLetters: `${prefix}DeadLetters`,
    deadlines: `${prefix}Deadlines`,
    dataKeys: `${prefix}DataKeys`,
  };
  const bad = Object.values(names).find((name) => !TABLE_NAME.test(name));
  if (bad !== undefined) throw new Error(`table name ${JSON.stringify(bad)} is not allowed: DynamoDB accepts 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'`);
  return names;
};

type KeyType = 'S' | 'N';
type Key = readonly [name: string, type: KeyType];

interface TableShape {
  readonly name: string;
  readonly hash: Key;
  readonly range?: Key;
  readonly indexes?: readonly { readonly name: string; readonly hash: Key; readonly range: Key }[];
  readonly stream?: boolean;
  readonly timeToLive?: string;
}

const keySchema = (hash: Key, range?: Key) => [
  { AttributeName: hash[0], KeyType: 'HASH' as const },
  ...(range ? [{ AttributeName: range[0], KeyType: 'RANGE' as const }] : []),
];

const definition = (shape: TableShape, billingMode: BillingMode): TableDefinition => {
  const provisioned = billingMode === 'PROVISIONED' ? { ProvisionedThroughput: { ...PROVISIONED_CAPACITY } } : {};
  const keys = [shape.hash, ...(shape.range ? [shape.range] : []), ...(shape.indexes ?? []).flatMap((index) => [index.hash, index.range])];
  const attributes = [...new Map(keys.map(([name, type]) => [name, type])).entries()].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
  return {
    TableName: shape.name,
    BillingMode: billingMode,
    KeySchema: keySchema(shape.hash, shape.range),
    AttributeDefinitions: attributes,
    ...(shape.indexes
      ? {
          GlobalSecondaryIndexes: shape.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.hash, index.range),
            Projection: { ProjectionType: 'ALL' as const },
            ...provisioned,
          })),
        }
      : {}),
    // As the ADR provisions it. Events are only ever inserted, so an insert's record carries the new image alone and
    // costs nothing more; an item ever modified or removed would show what it held before, for the audit.
    ...(shape.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const } } : {}),
    ...provisioned,
    ...(shape.timeToLive ? { TimeToLiveAttribute: shape.timeToLive } : {}),
  };
};

/** Every table the DynamoDB environment uses, as CreateTable input: also what `npm run provision -- --print` shows. */
export const tableDefinitions = (names: TableNames, billingMode: BillingMode): TableDefinition[] => {
  const shapes: TableShape[] = [
    {
      name: names.events,
      hash: ['AggregateId', 'S'],
      range: ['Version', 'N'],
      indexes: [{ name: EVENT_TYPE_INDEX, hash: ['EventType', 'S'], range: ['Timestamp', 'S'] }],
      stream: true,
    },
    { name: names.snapshots, hash: ['StreamId', 'S'], range: ['Version', 'N'] },
    { name: names.checkpoints, hash: ['Subscriber', 'S'] },
    // Records expire after the configured retention; TTL removes them.
    { name: names.idempotency, hash: ['IdempotencyKey', 'S'], timeToLive: IDEMPOTENCY_TTL_ATTRIBUTE },
    { name: names.orders, hash: ['Id', 'S'], indexes: [{ name: CUSTOMER_INDEX, hash: ['CustomerKey', 'S'], range: ['createdAt', 'S'] }] },
    { name: names.inventory, hash: ['Generation', 'S'], range: ['Sku', 'S'] },
    { name: names.support, hash: ['Pk', 'S'], range: ['Sk', 'S'] },
    // Pk `<kind>#<generation>`, Sk the stream id: a generation's versions share a partition, so dropping it is a Query.
    { name: names.appliedVersions, hash: ['Pk', 'S'], range: ['Sk', 'S'] },
    { name: names.leases, hash: ['Name', 'S'] },
    { name: names.deadLetters, hash: ['EventId', 'S'] },
    { name: names.dataKeys, hash: ['Subject', 'S'] },
    {
      name: names.deadlines,
      hash: ['Id', 'S'],
      indexes: [
        { name: DUE_INDEX, hash: ['Due', 'S'], range: ['DueAt', 'S'] },
        { name: INSTANCE_INDEX, hash: ['Instance', 'S'], range: ['DueAt', 'S'] },
      ],
    },
  ];
  return shapes.map((shape) => definition(shape, billingMode));
};
