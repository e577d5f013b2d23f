import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { HANDLER_ENTRY, LOCK_FILE, PROJECT_ROOT, TSCONFIG } from './project-paths.js';

export interface StreamConsumerProps {
  readonly tables: Readonly<Record<keyof TableNames, Table>>;
  readonly bus: IEventBus;
  readonly masterKey: IKey;
  /** What src/main/config.ts reads, shared by both functions. */
  readonly environment: Readonly<Record<string, string>>;
  readonly batchSize: number;
  readonly maxRetryAttempts: number;
}

/** Tables the consumers only read: subjects' keys are written when a subject registers, through the service. */
const READ_ONLY: readonly (keyof TableNames)[] = ['dataKeys'];

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** How every function of the stack is built: one esbuild bundle of a src/main entry (the stream handler's by default). */
export const bundled = (id: string, handler: string, environment: Readonly<Record<string, string>>, timeout: Duration, entry: string = HANDLER_ENTRY): NodejsFunctionProps => ({
  entry,
  handler,
  projectRoot: PROJECT_ROOT,
  depsLockFilePath: LOCK_FILE,
  runtime: Runtime.NODEJS_22_X,
  architecture: Architecture.ARM_64,
  memorySize: 1_024,
  timeout,
  environment: { ...environment, NODE_OPTIONS: '--enable-source-maps' },
  bundling: {
    format: OutputFormat.ESM,
    target: 'node22',
    mainFields: ['module', 'main'],
    // The bundle is ESM, and some CommonJS dependencies call require() for Node's own modules.
    banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    // The SDK versions the tests ran against, not whichever the runtime carries.
    bundleAwsSDK: true,
    tsconfig: TSCONFIG,
    sourceMap: true,
    minify: true,
    keepNames: true,
  },
  description: `es-core ${id}`,
});

/**
 * The Lambda side of the DynamoDB environment (CONSUMERS=off in the service): `handler` on the event table's stream
 * feeds every projection, the fulfilment workflow and the relay; `deadlineHandler` fires due workflow deadlines
 * every minute. A batch that keeps failing is retried, halved, and finally described on the failure queue.
 */
export class StreamConsumer extends Construct {
  readonly consumer: NodejsFunction;
  readonly deadlines: NodejsFunction;
  /** Where the mapping sends a batch it gave up on (its shard, sequence numbers and error, not the records). */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const { tables } = props;
    this.failures = new Queue(this, 'StreamFailures', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });

    this.consumer = new NodejsFunction(this, 'Consumer', {
      ...bundled('stream consumer', 'handler', props.environment, Duration.minutes(2)),
      logGroup: new LogGroup(this, 'ConsumerLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN }),
    });
    this.consumer.addEventSource(
      new DynamoEventSource(tables.events, {
        // Nothing missed when the mapping is created after the first events.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        bisectBatchOnError: true,
        retryAttempts: props.maxRetryAttempts,
        // The handler reports the first record not handled by every consumer (lambda-stream-handler.ts).
        reportBatchItemFailures: true,
        // One batch per shard at a time: each stream's events reach the consumers in version order.
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.failures),
      }),
    );

    this.deadlines = new NodejsFunction(this, 'Deadlines', {
      ...bundled('workflow deadlines', 'deadlineHandler', props.environment, Duration.seconds(55)),
      logGroup: new LogGroup(this, 'DeadlineLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN }),
    });
    new Rule(this, 'DeadlineSchedule', { schedule: Schedule.expression('rate(1 minute)'), targets: [new LambdaFunction(this.deadlines, { retryAttempts: 0 })] });

    for (const fn of [this.consumer, this.deadlines]) grantStoreAccess(fn, tables, props.masterKey);
    props.bus.grantPutEventsTo(this.consumer);
  }
}

/**
 * What the composition root does with the DynamoDB store at start: reads and writes the tables, checks each one
 * against its definition (describe calls only: CDK created them to match, so provisioning finds nothing to change),
 * and unwraps data subjects' keys to open personal fields. Nothing here creates, updates or deletes a table.
 */
export const grantStoreAccess = (grantee: IGrantable, tables: Readonly<Record<keyof TableNames, Table>>, masterKey: IKey): void => {
  const arns = (entries: [keyof TableNames, Table][]) => entries.flatMap(([, table]) => [table.tableArn, `${table.tableArn}/index/*`]);
  const all = Object.entries(tables) as [keyof TableNames, Table][];
  const written = all.filter(([name]) => !READ_ONLY.includes(name));
  // Two statements rather than a grant per table: one policy document stays well under IAM's size limit.
  // (A transaction is authorised by the put, update, delete and condition-check actions of its items.)
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...READ_ACTIONS, 'dynamodb:DescribeTimeToLive', 'dynamodb:DescribeContinuousBackups'], resources: arns(all) }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: WRITE_ACTIONS, resources: arns(written) }));
  masterKey.grantDecrypt(grantee);
};
