import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FencedOffError, type CheckpointStore } from '../../application/ports/checkpoint-store.js';
import type { IdempotencyCompletion } from '../../application/ports/event-store.js';
import type { Claim, ClaimLease, IdempotencyStore } from '../../application/ports/idempotency-store.js';
import type { SnapshotStore, StoredSnapshot } from '../../application/ports/snapshot-store.js';
import { plainItem } from './attribute-values.js';
import { COMPLETED, completionUpdate, epochSeconds, IN_PROGRESS } from './idempotency-items.js';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from './table-definitions.js';
import { itemBytes, kilobytes, MAX_ITEM_BYTES } from './item-size.js';
import { isConditionFailure, withRetries } from './sdk-errors.js';

/** Snapshots by stream and version; the state is JSON text, like event data. */
export class DynamoDbSnapshotStore implements SnapshotStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async save(snapshot: StoredSnapshot): Promise<void> {
    const { streamId, version, state, ...rest } = snapshot;
    const item = { StreamId: streamId, Version: version, State: JSON.stringify(state), ...rest };
    const bytes = itemBytes(item);
    if (bytes > MAX_ITEM_BYTES) throw new Error(`snapshot of ${streamId} at version ${version} is ${kilobytes(bytes)}; a DynamoDB item holds at most 400 KB`);
    await withRetries(() => this.doc.send(new PutCommand({ TableName: this.table, Item: item })));
  }

  async latest(streamId: string, maxVersion = Number.MAX_SAFE_INTEGER): Promise<StoredSnapshot | null> {
    const found = await withRetries(() =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'StreamId = :s AND #v <= :max',
          ExpressionAttributeNames: { '#v': 'Version' },
          ExpressionAttributeValues: { ':s': streamId, ':max': maxVersion },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = found.Items?.[0];
    if (item === undefined) return null;
    const { StreamId, Version, State, ...rest } = item;
    return { ...(rest as Omit<StoredSnapshot, 'streamId' | 'version' | 'state'>), streamId: StreamId as string, version: Version as number, state: JSON.parse(State as string) as unknown };
  }
}

/** One item per subscriber: its Position and the Fence of the last lease that saved it. */
export class DynamoDbCheckpointStore implements CheckpointStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async load(subscriber: string): Promise<string | null> {
    const found = await withRetries(() => this.doc.send(new GetCommand({ TableName: this.table, Key: { Subscriber: subscriber }, ConsistentRead: true })));
    return typeof found.Item?.Position === 'string' ? found.Item.Position : null;
  }

  /** An update, so that a save without a fence keeps the stored one; with a fence, the condition refuses it in the same write that would apply it. */
  async save(subscriber: string, position: string, fence?: number): Promise<void> {
    const fenced =
      fence === undefined
        ? { UpdateExpression: 'SET #p = :p', ExpressionAttributeValues: { ':p': position } }
        : {
            UpdateExpression: 'SET #p = :p, #f = :f',
            ConditionExpression: 'attribute_not_exists(#f) OR #f <= :f',
            ExpressionAttributeValues: { ':p': position, ':f': fence },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          };
    const names = { '#p': 'Position', ...(fence === undefined ? {} : { '#f': 'Fence' }) };
    const newer = await withRetries(async () => {
      try {
        await this.doc.send(new UpdateCommand({ TableName: this.table, Key: { Subscriber: subscriber }, ExpressionAttributeNames: names, ...fenced }));
        return null;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return error.Item ? plainItem(error.Item).Fence : 'unknown';
      }
    });
    if (newer !== null) throw new FencedOffError(`checkpoint ${subscriber} was saved under lease ${String(newer)}; lease ${String(fence)} is no longer the holder's`);
  }

  async remove(subscriber: string): Promise<void> {
    await withRetries(() => this.doc.send(new DeleteCommand({ TableName: this.table, Key: { Subscriber: subscriber } })));
  }
}

/**
 * One item per key: a conditional put claims it atomically, so that two processes never both run a command. A
 * record past its `ExpiresAt` counts as absent (the next claim overwrites it); DynamoDB's TTL deletes it later.
 */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Takes a new or expired key, a key whose holder's lease ran out, or a key this owner already holds (a resent Put that had applied). */
  async claim(key: string, lease: ClaimLease): Promise<Claim> {
    return withRetries(async (): Promise<Claim> => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              IdempotencyKey: key,
              Status: IN_PROGRESS,
              Owner: lease.owner,
              LeaseUntil: lease.until,
              ExpiresAt: new Date(lease.expiresAt).toISOString(),
              [IDEMPOTENCY_TTL_ATTRIBUTE]: epochSeconds(lease.expiresAt),
            },
            ConditionExpression:
              'attribute_not_exists(IdempotencyKey) OR ExpiresAt <= :now OR (#status = :inProgress AND (#owner = :owner OR attribute_not_exists(LeaseUntil) OR LeaseUntil < :now))',
            ExpressionAttributeNames: { '#status': 'Status', '#owner': 'Owner' },
            ExpressionAttributeValues: { ':inProgress': IN_PROGRESS, ':owner': lease.owner, ':now': new Date(lease.now).toISOString() },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { status: 'claimed' };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const held = error.Item ? plainItem(error.Item) : null;
        if (held?.Status !== COMPLETED) return { status: 'in-progress' };
        return { status: 'completed', stored: { fingerprint: String(held.Fingerprint), outcome: JSON.parse(String(held.Outcome)) as unknown } };
      }
    });
  }

  async complete(completion: IdempotencyCompletion): Promise<boolean> {
    return withRetries(async () => {
      try {
        await this.doc.send(new UpdateCommand(completionUpdate(this.table, completion)));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    });
  }

  async release(key: string, owner: string): Promise<void> {
    await withRetries(async () => {
      try {
        await this.doc.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { IdempotencyKey: key },
            ConditionExpression: '#status = :inProgress AND #owner = :owner',
            ExpressionAttributeNames: { '#status': 'Status', '#owner': 'Owner' },
            ExpressionAttributeValues: { ':inProgress': IN_PROGRESS, ':owner': owner },
          }),
        );
      } catch (error) {
        // A completed key keeps its outcome; another owner's claim is not ours to give back; an unknown key has nothing to give back.
        if (!isConditionFailure(error)) throw error;
      }
    });
  }
}
