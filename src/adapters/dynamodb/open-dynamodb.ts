import type { Clock } from '../../application/ports/runtime.js';
import { DynamoDbDataKeyStore } from './dynamodb-data-key-store.js';
import { DynamoDbDeadLetterStore } from './dynamodb-dead-letter-store.js';
import { DynamoDbDeadlineScheduler } from './dynamodb-deadline-scheduler.js';
import { DynamoDbEventArchive } from './dynamodb-event-archive.js';
import { DynamoDbEventStore } from './dynamodb-event-store.js';
import { DynamoDbLeaseStore } from './dynamodb-lease-store.js';
import { DynamoDbReadModelCatalog } from './dynamodb-read-models.js';
import { documentClient, dynamoDbClient, dynamoDbStreamsClient, type DynamoDbSettings } from './dynamodb-settings.js';
import { DynamoDbCheckpointStore, DynamoDbIdempotencyStore, DynamoDbSnapshotStore } from './dynamodb-stores.js';
import { DynamoDbStreamFeed } from './dynamodb-stream-feed.js';
import { provisionTables, type ProvisionedTable } from './provisioning.js';
import { tableDefinitions, tableNames, type TableNames } from './table-definitions.js';

export interface DynamoDbAdapters {
  readonly tables: TableNames;
  /** What provisioning found and did, table by table. */
  readonly provisioned: readonly ProvisionedTable[];
  readonly eventStore: DynamoDbEventStore;
  readonly snapshots: DynamoDbSnapshotStore;
  readonly idempotency: DynamoDbIdempotencyStore;
  readonly checkpoints: DynamoDbCheckpointStore;
  readonly readModels: DynamoDbReadModelCatalog;
  /** The event table's stream, for relays and subscribers. */
  readonly feed: DynamoDbStreamFeed;
  /** Every stored event, read from the table itself: what a rebuild reads, the stream keeping only 24 hours. */
  readonly archive: DynamoDbEventArchive;
  readonly leases: DynamoDbLeaseStore;
  readonly deadLetters: DynamoDbDeadLetterStore;
  readonly deadlines: DynamoDbDeadlineScheduler;
  /** Data subjects' wrapped data keys (GDPR). */
  readonly dataKeys: DynamoDbDataKeyStore;
  close(): Promise<void>;
}

export interface OpenDynamoDbOptions {
  readonly settings: DynamoDbSettings;
  readonly clock: Clock;
}

/** Provisions the tables (idempotent: a no-op when they match) and opens every DynamoDB adapter over one client. */
export const openDynamoDb = async ({ settings, clock }: OpenDynamoDbOptions): Promise<DynamoDbAdapters> => {
  const client = dynamoDbClient(settings);
  const streams = dynamoDbStreamsClient(settings);
  const close = async (): Promise<void> => {
    streams.destroy();
    client.destroy();
  };
  try {
    const tables = tableNames(settings.tablePrefix);
    const provisioned = await provisionTables(client, tableDefinitions(tables, settings.billingMode), { pollMs: settings.endpoint === null ? 1_000 : 50 });
    const doc = documentClient(client);
    return {
      tables,
      provisioned,
      eventStore: new DynamoDbEventStore(client, tables, clock),
      snapshots: new DynamoDbSnapshotStore(doc, tables.snapshots),
      idempotency: new DynamoDbIdempotencyStore(doc, tables.idempotency),
      checkpoints: new DynamoDbCheckpointStore(doc, tables.checkpoints),
      readModels: new DynamoDbReadModelCatalog(doc, tables),
      feed: new DynamoDbStreamFeed(client, streams, tables.events),
      archive: new DynamoDbEventArchive(client, doc, tables.events),
      leases: new DynamoDbLeaseStore(doc, tables.leases),
      deadLetters: new DynamoDbDeadLetterStore(doc, tables.deadLetters),
      deadlines: new DynamoDbDeadlineScheduler(doc, tables.deadlines),
      dataKeys: new DynamoDbDataKeyStore(doc, tables.dataKeys),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
};
