import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { tableDefinitions, tableNames, type TableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { OperationalAlarms } from './alarms.js';
import { tableFromDefinition } from './definition-tables.js';
import type { InfraSettings } from './infra-settings.js';
import { OperationsDashboard } from './operations-dashboard.js';
import { ServiceTransports } from './service-transports.js';
import { grantStoreAccess, StreamConsumer } from './stream-consumer.js';

export interface EventSourcingStackProps extends StackProps {
  readonly settings: InfraSettings;
}

/** Where anchors go in the bucket (ANCHOR_S3_PREFIX's default). */
const ANCHOR_PREFIX = 'anchors/';

/**
 * The ADR's production environment: the event table and every other table (from the one definition provisioning
 * uses), the bus with its replay archive, the stream consumer and deadline Lambdas, the crypto-shredding key, the
 * Object Lock anchor bucket, the service's HTTP API and command queue (each in a function), alarms and a dashboard.
 */
export class EventSourcingStack extends Stack {
  readonly tables: Readonly<Record<keyof TableNames, Table>>;
  readonly bus: EventBus;
  readonly masterKey: Key;
  readonly anchorBucket: Bucket;
  readonly streamConsumer: StreamConsumer;
  readonly transports: ServiceTransports;
  /** What src/main/config.ts reads, for the stream consumer and anything else that runs the service against this stack. */
  readonly serviceEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: EventSourcingStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const names = tableNames(settings.tablePrefix);
    const definitions = tableDefinitions(names, settings.billing === 'provisioned' ? 'PROVISIONED' : 'PAY_PER_REQUEST');
    const declared = (Object.entries(names) as [keyof TableNames, string][]).map(([key, name]) => {
      const definition = definitions.find((candidate) => candidate.TableName === name);
      if (definition === undefined) throw new Error(`table ${name} (${key}) has no definition in tableDefinitions`);
      const id = `${key[0]?.toUpperCase()}${key.slice(1)}`;
      const table = tableFromDefinition(this, `${id}Table`, definition, { maxCapacity: settings.maxCapacity, targetUtilizationPercent: 70 });
      return { key, id, table, indexes: (definition.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName as string) };
    });
    const tables = Object.fromEntries(declared.map(({ key, table }) => [key, table])) as Record<keyof TableNames, Table>;
    this.tables = tables;

    this.bus = new EventBus(this, 'Bus', { eventBusName: settings.eventBusName });
    this.bus.archive('Archive', {
      archiveName: `${settings.eventBusName}-archive`.slice(0, 48),
      description: 'Every event the relay published, for replay to a new or repaired subscriber',
      eventPattern: { source: [settings.eventSource] },
      retention: Duration.days(settings.archiveRetentionDays),
    });

    // Wraps each data subject's key; erasing a subject deletes its wrapped key, which makes its sealed fields unreadable.
    this.masterKey = new Key(this, 'MasterKey', {
      description: 'es-core master key: wraps data subjects\' keys (crypto-shredding)',
      enableKeyRotation: true,
      alias: `alias/${settings.tablePrefix}es-core-master`,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.anchorBucket = new Bucket(this, 'AnchorBucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(settings.anchorRetentionDays)),
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.serviceEnvironment = {
      STORE: 'dynamodb',
      // The Lambda on the stream drives the consumers.
      CONSUMERS: 'off',
      METRICS: 'emf',
      DYNAMODB_TABLE_PREFIX: settings.tablePrefix,
      // Must match the tables' billing, or provisioning at start would try to switch them (and be refused).
      DYNAMODB_BILLING_MODE: settings.billing,
      EVENT_BUS_NAME: this.bus.eventBusName,
      EVENT_SOURCE: settings.eventSource,
      KMS_KEY_ID: this.masterKey.keyArn,
      ANCHOR_STORE: 's3',
      ANCHOR_S3_BUCKET: this.anchorBucket.bucketName,
      ANCHOR_S3_PREFIX: ANCHOR_PREFIX,
      ANCHOR_RETENTION_DAYS: String(settings.anchorRetentionDays),
      // Functions never anchor on a timer; the service or `cli anchor` does.
      ANCHOR_INTERVAL_MS: '0',
      // The only writable folder in a Lambda; key files made there would not outlive the instance.
      DATA_DIR: '/tmp/es-core',
    };

    this.streamConsumer = new StreamConsumer(this, 'StreamConsumer', {
      tables,
      bus: this.bus,
      masterKey: this.masterKey,
      environment: this.serviceEnvironment,
      batchSize: settings.batchSize,
      maxRetryAttempts: settings.maxRetryAttempts,
    });

    this.transports = new ServiceTransports(this, 'Transports', { environment: this.serviceEnvironment, auth: settings.auth });
    this.grantService(this.transports.http);
    this.grantService(this.transports.commandHandler);

    const alarms = new OperationalAlarms(this, 'Alarms', {
      consumer: this.streamConsumer.consumer,
      deadlines: this.streamConsumer.deadlines,
      failures: this.streamConsumer.failures,
      commandDeadLetters: this.transports.commandDeadLetters,
      tables: declared,
      iteratorAgeAlarmMs: settings.iteratorAgeAlarmMs,
      alarmEmail: settings.alarmEmail,
    });
    new OperationsDashboard(this, 'Operations', {
      dashboardName: `${settings.tablePrefix}es-core`,
      consumer: this.streamConsumer.consumer,
      failures: this.streamConsumer.failures,
      alarms: alarms.alarms,
    });
  }

  /**
   * Everything the service (HTTP handler, CLI) needs besides the consumers': the tables, the master key to register
   * and erase subjects, publishing, and writing anchors (Object Lock retention is set on each put).
   */
  grantService(grantee: IGrantable): void {
    grantStoreAccess(grantee, this.tables, this.masterKey);
    this.tables.dataKeys.grantReadWriteData(grantee);
    this.masterKey.grant(grantee, 'kms:GenerateDataKey');
    this.bus.grantPutEventsTo(grantee);
    this.anchorBucket.grantReadWrite(grantee, `${ANCHOR_PREFIX}*`);
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObjectRetention'], resources: [this.anchorBucket.arnForObjects(`${ANCHOR_PREFIX}*`)] }));
  }
}
