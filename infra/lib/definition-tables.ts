import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../../src/adapters/dynamodb/table-definitions.js';

/**
 * What the translation understands of a definition. A definition that gains anything else (a local index, a
 * table class, encryption settings) is refused at synth, so provisioning and CDK cannot part silently: the
 * translation is taught first.
 */
const TRANSLATED = new Set(['TableName', 'BillingMode', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'StreamSpecification', 'ProvisionedThroughput', 'TimeToLiveAttribute']);

const ATTRIBUTE_TYPES: Readonly<Record<string, AttributeType>> = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY };
const PROJECTIONS: Readonly<Record<string, ProjectionType>> = { ALL: ProjectionType.ALL, KEYS_ONLY: ProjectionType.KEYS_ONLY, INCLUDE: ProjectionType.INCLUDE };
const STREAM_VIEWS: Readonly<Record<string, StreamViewType>> = {
  NEW_IMAGE: StreamViewType.NEW_IMAGE,
  OLD_IMAGE: StreamViewType.OLD_IMAGE,
  NEW_AND_OLD_IMAGES: StreamViewType.NEW_AND_OLD_IMAGES,
  KEYS_ONLY: StreamViewType.KEYS_ONLY,
};

export interface AutoScaling {
  /** The most units target tracking may set; the definition's capacity is the least. */
  readonly maxCapacity: number;
  readonly targetUtilizationPercent: number;
}

const refuse = (table: string, what: string): never => {
  throw new Error(`table ${table}: ${what} is not translated to CDK (infra/lib/definition-tables.ts); teach the translation before changing the definition`);
};

const lookup = <T>(table: string, map: Readonly<Record<string, T>>, key: string | undefined, what: string): T => map[key ?? ''] ?? refuse(table, `${what} ${JSON.stringify(key)}`);

const keysOf = (definition: TableDefinition, keySchema: TableDefinition['KeySchema']): { partitionKey: Attribute; sortKey?: Attribute } => {
  const table = definition.TableName as string;
  const attribute = (name: string | undefined): Attribute => {
    const declared = definition.AttributeDefinitions?.find((candidate) => candidate.AttributeName === name) ?? refuse(table, `key ${JSON.stringify(name)} without an attribute definition`);
    return { name: name as string, type: lookup(table, ATTRIBUTE_TYPES, declared.AttributeType, 'attribute type') };
  };
  const hash = keySchema?.find((key) => key.KeyType === 'HASH') ?? refuse(table, 'a key schema without a HASH key');
  const range = keySchema?.find((key) => key.KeyType === 'RANGE');
  return { partitionKey: attribute(hash.AttributeName), ...(range ? { sortKey: attribute(range.AttributeName) } : {}) };
};

/**
 * One table of `tableDefinitions` (src/adapters/dynamodb/table-definitions.ts) as a CDK table: the same keys, indexes,
 * stream, TTL and billing that `npm run provision` creates, and point-in-time recovery, which provisioning turns on
 * for every table. Provisioned billing starts at the definition's capacities and scales on utilisation.
 */
export const tableFromDefinition = (scope: Construct, id: string, definition: TableDefinition, scaling: AutoScaling): Table => {
  const name = definition.TableName as string;
  const unknown = Object.keys(definition).filter((key) => !TRANSLATED.has(key));
  if (unknown.length > 0) refuse(name, unknown.join(', '));
  const provisioned = definition.BillingMode === 'PROVISIONED';
  if (!provisioned && definition.BillingMode !== 'PAY_PER_REQUEST') refuse(name, `billing mode ${JSON.stringify(definition.BillingMode)}`);
  const capacity = (throughput: TableDefinition['ProvisionedThroughput']) =>
    provisioned ? { readCapacity: throughput?.ReadCapacityUnits ?? refuse(name, 'provisioned billing without read capacity'), writeCapacity: throughput?.WriteCapacityUnits ?? refuse(name, 'provisioned billing without write capacity') } : {};
  const stream = definition.StreamSpecification;
  const table = new Table(scope, id, {
    tableName: name,
    ...keysOf(definition, definition.KeySchema),
    billingMode: provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST,
    ...capacity(definition.ProvisionedThroughput),
    ...(stream?.StreamEnabled ? { stream: lookup(name, STREAM_VIEWS, stream.StreamViewType, 'stream view type') } : {}),
    ...(definition.TimeToLiveAttribute ? { timeToLiveAttribute: definition.TimeToLiveAttribute } : {}),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // The log and its read models outlive any stack: deleting the stack must not delete them.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    const projection = lookup(name, PROJECTIONS, index.Projection?.ProjectionType, 'projection type');
    table.addGlobalSecondaryIndex({
      indexName: index.IndexName as string,
      ...keysOf(definition, index.KeySchema),
      projectionType: projection,
      ...(projection === ProjectionType.INCLUDE ? { nonKeyAttributes: index.Projection?.NonKeyAttributes ?? [] } : {}),
      ...capacity(index.ProvisionedThroughput),
    });
  }
  if (provisioned) scale(table, definition, scaling);
  return table;
};

const scale = (table: Table, definition: TableDefinition, { maxCapacity, targetUtilizationPercent }: AutoScaling): void => {
  const least = (units: number | undefined) => ({ minCapacity: units as number, maxCapacity: Math.max(maxCapacity, units as number) });
  const throughput = definition.ProvisionedThroughput;
  table.autoScaleReadCapacity(least(throughput?.ReadCapacityUnits)).scaleOnUtilization({ targetUtilizationPercent });
  table.autoScaleWriteCapacity(least(throughput?.WriteCapacityUnits)).scaleOnUtilization({ targetUtilizationPercent });
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    const indexName = index.IndexName as string;
    table.autoScaleGlobalSecondaryIndexReadCapacity(indexName, least(index.ProvisionedThroughput?.ReadCapacityUnits)).scaleOnUtilization({ targetUtilizationPercent });
    table.autoScaleGlobalSecondaryIndexWriteCapacity(indexName, least(index.ProvisionedThroughput?.WriteCapacityUnits)).scaleOnUtilization({ targetUtilizationPercent });
  }
};
