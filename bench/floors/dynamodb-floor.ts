import { randomUUID } from 'node:crypto';
import { CreateTableCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ok, type Result } from 'neverthrow';
import { documentClient, dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { tableDefinitions, tableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import type { EventEnvelope, NewEvent } from '../../src/application/events/envelope.js';
import type { AppendError, AppendResult, EventStore, ExpectedVersion } from '../../src/application/ports/event-store.js';

const NOT_STORED = 'attribute_not_exists(AggregateId)';

/**
 * What a client would do with no event store at all, on the same DynamoDB Local and a table defined as the
 * store's event table (AggregateId and Version, the EventTypeIndex, the stream): an append is one conditional
 * PutItem (one event) or one TransactWriteItems (several) through the document client, each item conditional on
 * its slot being free, with the store's attributes (JSON text for data and metadata) and a random id; no version
 * bookkeeping, no validation, no size checks, no retries. A read is one paginated consistent Query whose items are
 * handed back as the client decoded them, cast as envelopes. The floor the store's W1/W2/W3 are measured against.
 */
export class DynamoDbFloorStore implements EventStore {
  private constructor(
    private readonly client: DynamoDBClient,
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  static async open(endpoint: string): Promise<DynamoDbFloorStore> {
    const settings = { endpoint, region: 'us-east-1', tablePrefix: 'floor-', billingMode: 'PAY_PER_REQUEST' as const };
    const client = dynamoDbClient(settings);
    try {
      const table = tableNames(settings.tablePrefix).events;
      const definition = tableDefinitions(tableNames(settings.tablePrefix), settings.billingMode).find((candidate) => candidate.TableName === table);
      if (definition === undefined) throw new Error(`no definition of ${table}`);
      await client.send(new CreateTableCommand(definition));
      await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { TableName: table });
      return new DynamoDbFloorStore(client, documentClient(client), table);
    } catch (error) {
      client.destroy();
      throw error;
    }
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<Result<AppendResult, AppendError>> {
    const base = typeof expected === 'number' ? expected : 0;
    const recordedAt = new Date().toISOString();
    const items = events.map((event, index) => ({
      AggregateId: streamId,
      Version: base + index + 1,
      EventId: randomUUID(),
      EventType: event.type,
      Timestamp: event.occurredAt,
      RecordedAt: recordedAt,
      SchemaVersion: event.schemaVersion,
      Data: JSON.stringify(event.data),
      Metadata: JSON.stringify(event.metadata),
    }));
    if (items.length === 1) {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: items[0], ConditionExpression: NOT_STORED }));
    } else {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items.map((item) => ({ Put: { TableName: this.table, Item: item, ConditionExpression: NOT_STORED } })) }));
    }
    return ok({ streamId, nextVersion: base + events.length, lastPosition: null });
  }

  async readStream(streamId: string): Promise<EventEnvelope[]> {
    const read: EventEnvelope[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      { TableName: this.table, KeyConditionExpression: 'AggregateId = :id', ExpressionAttributeValues: { ':id': streamId }, ConsistentRead: true },
    );
    for await (const page of pages) read.push(...((page.Items ?? []) as EventEnvelope[]));
    return read;
  }

  async readByType(): Promise<EventEnvelope[]> {
    throw new Error('the floor reads streams only');
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
