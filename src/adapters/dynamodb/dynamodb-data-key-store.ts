import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DataKeyStore, StoredDataKey, WrappedDataKey } from '../../application/ports/data-key-store.js';
import { plainItem } from './attribute-values.js';
import { isConditionFailure, withRetries } from './sdk-errors.js';

const storedOf = (item: Record<string, unknown>): StoredDataKey =>
  typeof item.ErasedAt === 'string' || typeof item.Wrapped !== 'string'
    ? { status: 'erased', subject: String(item.Subject), erasedAt: String(item.ErasedAt ?? item.CreatedAt) }
    : { status: 'active', key: { subject: String(item.Subject), version: Number(item.Version), wrapped: item.Wrapped, createdAt: String(item.CreatedAt) } };

/**
 * One item per subject. Erasure removes the `Wrapped` attribute and sets `ErasedAt` in one update: the item stays
 * as a tombstone. Point-in-time recovery keeps the earlier image for up to 35 days (docs/compliance.md).
 */
export class DynamoDbDataKeyStore implements DataKeyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(key: WrappedDataKey): Promise<StoredDataKey> {
    const item = { Subject: key.subject, Version: key.version, Wrapped: key.wrapped, CreatedAt: key.createdAt };
    return withRetries(async () => {
      try {
        await this.doc.send(
          new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(Subject)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        );
        return storedOf(item);
      } catch (error) {
        if (!isConditionFailure(error) || error.Item === undefined) throw error;
        return storedOf(plainItem(error.Item));
      }
    });
  }

  async get(subject: string): Promise<StoredDataKey | null> {
    const found = await withRetries(() => this.doc.send(new GetCommand({ TableName: this.table, Key: { Subject: subject }, ConsistentRead: true })));
    return found.Item === undefined ? null : storedOf(found.Item);
  }

  async delete(subject: string, erasedAt: string): Promise<void> {
    await withRetries(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { Subject: subject },
          UpdateExpression: 'REMOVE #w SET #e = if_not_exists(#e, :at), #c = if_not_exists(#c, :at), #v = if_not_exists(#v, :zero)',
          ExpressionAttributeNames: { '#w': 'Wrapped', '#e': 'ErasedAt', '#c': 'CreatedAt', '#v': 'Version' },
          ExpressionAttributeValues: { ':at': erasedAt, ':zero': 0 },
        }),
      ),
    );
  }
}
