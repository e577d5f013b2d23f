import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { tableFromDefinition } from '../../infra/lib/definition-tables.js';
import { EVENT_TYPE_INDEX, IDEMPOTENCY_TTL_ATTRIBUTE, PROVISIONED_CAPACITY, tableDefinitions, tableNames, type TableDefinition } from '../../src/adapters/dynamodb/table-definitions.js';
import { synthesise } from './synthesise.js';

interface TemplateTable {
  readonly TableName: string;
  readonly KeySchema: unknown[];
  readonly AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  readonly BillingMode?: string;
  readonly ProvisionedThroughput?: unknown;
  readonly GlobalSecondaryIndexes?: { IndexName: string; KeySchema: unknown[]; Projection: unknown; ProvisionedThroughput?: unknown }[];
  readonly StreamSpecification?: { StreamViewType: string };
  readonly TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  readonly PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean };
}

const byName = <T extends { AttributeName?: string; IndexName?: string }>(items: readonly T[] = []) =>
  [...items].sort((a, b) => (a.AttributeName ?? a.IndexName ?? '').localeCompare(b.AttributeName ?? b.IndexName ?? ''));

/** What CreateTable would be given, read back from the CloudFormation table (property names are the same in both). */
const asDefinition = (table: TemplateTable) => ({
  TableName: table.TableName,
  // CloudFormation's default billing is provisioned, and CDK leaves the default out.
  BillingMode: table.BillingMode ?? 'PROVISIONED',
  KeySchema: table.KeySchema,
  AttributeDefinitions: byName(table.AttributeDefinitions),
  GlobalSecondaryIndexes: byName(table.GlobalSecondaryIndexes),
  StreamViewType: table.StreamSpecification?.StreamViewType,
  TimeToLiveAttribute: table.TimeToLiveSpecification?.Enabled ? table.TimeToLiveSpecification.AttributeName : undefined,
  ProvisionedThroughput: table.ProvisionedThroughput,
});

const expected = (definition: TableDefinition) => ({
  TableName: definition.TableName,
  BillingMode: definition.BillingMode,
  KeySchema: definition.KeySchema,
  AttributeDefinitions: byName(definition.AttributeDefinitions),
  GlobalSecondaryIndexes: byName(definition.GlobalSecondaryIndexes),
  StreamViewType: definition.StreamSpecification?.StreamEnabled ? definition.StreamSpecification.StreamViewType : undefined,
  TimeToLiveAttribute: definition.TimeToLiveAttribute,
  ProvisionedThroughput: definition.ProvisionedThroughput,
});

describe.each([
  ['on-demand', 'PAY_PER_REQUEST'],
  ['provisioned', 'PROVISIONED'],
] as const)('the CDK tables with %s billing', (billing, mode) => {
  const { template } = synthesise({ billing, tablePrefix: 'drift-' });
  const tables = Object.values(template.findResources('AWS::DynamoDB::Table')).map((resource) => resource.Properties as TemplateTable);
  const definitions = tableDefinitions(tableNames('drift-'), mode);

  it('are exactly the tables provisioning creates, no more and no fewer', () => {
    expect(tables.map((table) => table.TableName).sort()).toEqual(definitions.map((definition) => definition.TableName).sort());
  });

  it.each(definitions.map((definition) => [definition.TableName, definition] as const))('%s matches its definition: keys, attribute types, indexes, stream, TTL, capacity', (name, definition) => {
    const table = tables.find((candidate) => candidate.TableName === name) as TemplateTable;
    expect(asDefinition(table)).toEqual(expected(definition));
    // Provisioning turns point-in-time recovery on for every table.
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it(mode === 'PROVISIONED' ? 'scale every table and index from the ADR capacity' : 'have no auto scaling', () => {
    const targets = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')).map((resource) => resource.Properties);
    const indexes = definitions.reduce((count, definition) => count + (definition.GlobalSecondaryIndexes?.length ?? 0), 0);
    // Read and write, for each table and each index.
    expect(targets).toHaveLength(mode === 'PROVISIONED' ? 2 * (definitions.length + indexes) : 0);
    for (const target of targets) expect(target).toMatchObject({ MinCapacity: PROVISIONED_CAPACITY.ReadCapacityUnits, MaxCapacity: 4_000 });
  });
});

describe('the definition behind the event table', () => {
  it('is the ADR event table: AggregateId and Version, EventTypeIndex, new and old images, the idempotency table expiring by TTL', () => {
    const [events, , , idempotency] = tableDefinitions(tableNames('x-'), 'PAY_PER_REQUEST');
    expect(events?.KeySchema?.map((key) => key.AttributeName)).toEqual(['AggregateId', 'Version']);
    expect(events?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([EVENT_TYPE_INDEX]);
    expect(events?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(idempotency?.TimeToLiveAttribute).toBe(IDEMPOTENCY_TTL_ATTRIBUTE);
  });

  it('cannot gain a setting the CDK translation does not know: synth refuses it', () => {
    const [events] = tableDefinitions(tableNames('x-'), 'PAY_PER_REQUEST') as [TableDefinition];
    const withLocalIndex = { ...events, LocalSecondaryIndexes: [{ IndexName: 'ByType', KeySchema: events.KeySchema, Projection: { ProjectionType: 'ALL' as const } }] };
    expect(() => tableFromDefinition(new Stack(), 'Events', withLocalIndex, { maxCapacity: 4_000, targetUtilizationPercent: 70 })).toThrow(/x-EventStore: LocalSecondaryIndexes is not translated to CDK/);
  });
});
