import { Match } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { infraSettings } from '../../infra/lib/infra-settings.js';
import { loadConfig } from '../../src/main/config.js';
import { loadBusConfig } from '../../src/main/bus-config.js';
import { synthesise } from './synthesise.js';

const { stack, template } = synthesise();
const logicalId = (type: string, properties: Record<string, unknown> = {}): string => {
  const ids = Object.keys(template.findResources(type, { Properties: properties }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};
const eventTable = logicalId('AWS::DynamoDB::Table', { TableName: 'prod-EventStore' });
const consumer = logicalId('AWS::Lambda::Function', { Handler: 'index.handler' });
const deadlines = logicalId('AWS::Lambda::Function', { Handler: 'index.deadlineHandler' });
const failures = stack.getLogicalId(stack.streamConsumer.failures.node.defaultChild as CfnQueue);
const bus = logicalId('AWS::Events::EventBus');
const key = logicalId('AWS::KMS::Key');
const bucket = logicalId('AWS::S3::Bucket');
const topic = logicalId('AWS::SNS::Topic');

/** Every statement of the policies attached to a function's role. */
const statementsOf = (fn: string): { Action: string | string[]; Resource: unknown }[] => {
  const role = (template.toJSON().Resources[fn].Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  const attached = [...Object.values(template.findResources('AWS::IAM::Policy')), ...Object.values(template.findResources('AWS::IAM::ManagedPolicy'))].filter((policy) =>
    JSON.stringify(policy.Properties.Roles ?? []).includes(role),
  );
  return attached.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
};
const actionsOf = (fn: string): string[] => statementsOf(fn).flatMap((statement) => [statement.Action].flat());

describe('the event table', () => {
  it('has its stream with new and old images and point-in-time recovery, and is kept when the stack goes', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        TableName: 'prod-EventStore',
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('the stream consumer', () => {
  it('reads the event table stream in batches, halves a failing batch, retries it a bounded number of times, reports partial failures and gives up to a queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: consumer },
      EventSourceArn: { 'Fn::GetAtt': [eventTable, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failures, 'Arn'] } } },
    });
    expect(Object.keys(template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: consumer } } }))).toHaveLength(1);
  });

  it('takes batch size and retries from context', () => {
    const { template: tuned } = synthesise({ batchSize: '25', maxRetryAttempts: '3' });
    tuned.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 25, MaximumRetryAttempts: 3 });
  });

  it('runs the handler module entry points: handler on the stream, deadlineHandler every minute', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs22.x' });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [deadlines, 'Arn'] } })] });
  });

  it('is configured as src/main reads it: the DynamoDB store, consumers off, EMF metrics, the bus, the KMS key, S3 anchors', () => {
    const variables = template.toJSON().Resources[consumer].Properties.Environment.Variables as Record<string, unknown>;
    expect(variables).toMatchObject({
      STORE: 'dynamodb',
      CONSUMERS: 'off',
      METRICS: 'emf',
      DYNAMODB_TABLE_PREFIX: 'prod-',
      DYNAMODB_BILLING_MODE: 'on-demand',
      EVENT_BUS_NAME: { Ref: bus },
      KMS_KEY_ID: { 'Fn::GetAtt': [key, 'Arn'] },
      ANCHOR_STORE: 's3',
      ANCHOR_S3_BUCKET: { Ref: bucket },
      ANCHOR_RETENTION_DAYS: '2557',
    });
    expect(template.toJSON().Resources[deadlines].Properties.Environment.Variables).toEqual(variables);
    // The same variables, with what CloudFormation resolves at deploy time filled in, pass the service's own configuration.
    const env = { ...stack.serviceEnvironment, EVENT_BUS_NAME: 'es-core-events', KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1', ANCHOR_S3_BUCKET: 'es-core-anchors' };
    const config = loadConfig(env);
    expect(config).toMatchObject({ store: 'dynamodb', consumers: 'off', metrics: 'emf', dynamodb: { tablePrefix: 'prod-', billingMode: 'PAY_PER_REQUEST' } });
    expect(config.masterKey.kind).toBe('kms');
    expect(config.audit).toMatchObject({ anchors: { kind: 's3', bucket: 'es-core-anchors', prefix: 'anchors/' }, anchorRetentionDays: 2557, anchorIntervalMs: 0 });
    expect(loadBusConfig(env)).toMatchObject({ busName: 'es-core-events', source: 'es-core' });
  });

  it('may read and write the tables, describe them for the start-up check, decrypt with the key and publish, and nothing more', () => {
    const actions = actionsOf(consumer);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DescribeTimeToLive', 'dynamodb:DescribeContinuousBackups', 'dynamodb:GetRecords', 'kms:Decrypt', 'events:PutEvents', 'sqs:SendMessage']));
    expect(actions.filter((action) => /\*|CreateTable|UpdateTable|DeleteTable|UpdateContinuousBackups|UpdateTimeToLive|kms:GenerateDataKey|^s3:/.test(action))).toEqual([]);
    // Subjects' keys are read to open personal fields; erasing one is the service's business.
    const dataKeys = logicalId('AWS::DynamoDB::Table', { TableName: 'prod-DataKeys' });
    const writes = statementsOf(consumer).filter((statement) => [statement.Action].flat().includes('dynamodb:PutItem'));
    expect(JSON.stringify(writes)).toContain(eventTable);
    expect(JSON.stringify(writes)).not.toContain(dataKeys);
    expect(actionsOf(deadlines)).not.toContain('events:PutEvents');
  });
});

describe('the bus, the key and the anchor bucket', () => {
  it('archives what the relay publishes on the bus, for replay', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'es-core-events' });
    template.hasResourceProperties('AWS::Events::Archive', { SourceArn: { 'Fn::GetAtt': [bus, 'Arn'] }, EventPattern: { source: ['es-core'] }, RetentionDays: 365 });
  });

  it('keeps the crypto-shredding key, rotated, under an alias', () => {
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/prod-es-core-master', TargetKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
  });

  it('locks anchors in COMPLIANCE mode in a versioned, private bucket', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('alarms and the dashboard', () => {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => resource.Properties);
  const query = (alarm: (typeof alarms)[number]) => JSON.stringify(alarm.Metrics ?? alarm.MetricName);

  it.each([
    ['projection lag over 5 s', 'SELECT MAX(SubscriptionLag) FROM SCHEMA(\\"EventSourcing\\", Consumer)', 5_000, 2],
    ['events dead-lettered', 'SELECT SUM(EventsDeadLettered) FROM \\"EventSourcing\\"', 0, 1],
    ['dead letters outstanding', 'SELECT MAX(DeadLetters) FROM \\"EventSourcing\\"', 0, 1],
    ['replica lag over a minute', 'SELECT MAX(ReplicaLag) FROM SCHEMA(\\"EventSourcing\\", Replica)', 60_000, 2],
    ['failed commands', 'SELECT SUM(CommandsFailed) FROM \\"EventSourcing\\"', 0, 1],
    ['replica stopped', 'SELECT SUM(ReplicaStopped) FROM \\"EventSourcing\\"', 0, 1],
    ['failed event processing', "SELECT COUNT(EventProcessingResult) FROM SCHEMA(\\\"EventSourcing\\\", EventType, Projection, Result) WHERE Result = 'Failure'", 0, 1],
  ])('%s, from the service metrics', (_name, expression, threshold, periods) => {
    const alarm = alarms.find((candidate) => query(candidate).includes(expression));
    expect(alarm).toMatchObject({ Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: periods, TreatMissingData: 'notBreaching', AlarmActions: [{ Ref: topic }] });
  });

  it('Lambda iterator age over a minute, and batches given up on the failure queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Dimensions: [{ Name: 'FunctionName', Value: { Ref: consumer } }], Threshold: 60_000, Statistic: 'Maximum' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failures, 'QueueName'] } }], Threshold: 0 });
  });

  it('throttles of every table and its indexes', () => {
    const throttles = alarms.filter((alarm) => query(alarm).includes('ThrottleEvents'));
    expect(throttles).toHaveLength(12);
    const events = throttles.find((alarm) => query(alarm).includes(eventTable));
    expect(query(events as (typeof alarms)[number])).toContain('EventTypeIndex');
    expect(query(events as (typeof alarms)[number])).toContain('ReadThrottleEvents');
  });

  it('draw the ADR metrics in namespace EventSourcing, with their dimensions', () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody);
    for (const search of [
      '{EventSourcing,EventType,Projection} MetricName=\\\\\\"EventProcessingTime\\\\\\"',
      '{EventSourcing,EventType,Projection,Result} MetricName=\\\\\\"EventProcessingResult\\\\\\"',
      '{EventSourcing,AggregateType} MetricName=\\\\\\"AggregateLoadTime\\\\\\"',
      '{EventSourcing,AggregateType} MetricName=\\\\\\"EventsLoaded\\\\\\"',
      '{EventSourcing,Consumer} MetricName=\\\\\\"SubscriptionLag\\\\\\"',
    ]) {
      expect(body).toContain(search);
    }
  });
});

describe('grantService', () => {
  it('gives whatever runs the service what the consumers lack: writing subjects\' keys, generating data keys, writing locked anchors', () => {
    const { template: granted } = synthesise({}, { extend: (built) => built.grantService(new Role(built, 'ServiceRole', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com') })) });
    const statements = Object.values(granted.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 's3:PutObjectRetention', 's3:PutObject', 'events:PutEvents', 'dynamodb:DeleteItem']));
  });
});

describe('the settings', () => {
  it('provisioned billing reaches both the tables and the functions', () => {
    const { template: provisioned } = synthesise({ billing: 'provisioned' });
    provisioned.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ DYNAMODB_BILLING_MODE: 'provisioned' }) } });
    provisioned.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'prod-EventStore', ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 100 } });
  });

  it('refuses a bad value, naming the context key and what it accepts', () => {
    const context = (values: Record<string, unknown>) => (key: string) => values[key];
    expect(() => infraSettings(context({ billing: 'cheap' }))).toThrow('context billing must be on-demand or provisioned; got "cheap"');
    expect(() => infraSettings(context({ batchSize: '0' }))).toThrow('context batchSize must be a whole number from 1 to 10000; got "0"');
    expect(() => infraSettings(context({ tablePrefix: 'prod/' }))).toThrow(/context tablePrefix must be a table name prefix/);
    expect(infraSettings(context({ maxCapacity: 800 })).maxCapacity).toBe(800);
  });
});
