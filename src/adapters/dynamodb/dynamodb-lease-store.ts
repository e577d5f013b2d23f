import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Lease, LeaseStore } from '../../application/ports/lease-store.js';
import { plainItem } from './attribute-values.js';
import { isConditionFailure, withRetries } from './sdk-errors.js';

/** Name, Owner and Fence are reserved words or close to them: every expression names them through these. */
const NAMES = { '#n': 'Name', '#o': 'Owner', '#f': 'Fence', '#e': 'ExpiresAt' };

type Written = { readonly won: true; readonly item: Record<string, unknown> } | { readonly won: false; readonly held: Record<string, unknown> | null };

/**
 * A lease item per name: Owner, Fence, and ExpiresAt in epoch milliseconds. Expiry is judged by this
 * process's clock (`Date.now()`), so clocks must agree to within much less than a lease's time to live.
 * Renewing and taking over are each one conditional write, without a read: the renewal is tried first
 * (the usual call), and its refusal hands back the item, which tells whether a take-over may be tried.
 * A released or expired lease keeps its item, so that the next holder's fence still grows.
 */
export class DynamoDbLeaseStore implements LeaseStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<Lease | null> {
    const now = this.now();
    const values = { ':o': owner, ':e': now + ttlMs, ':now': now };
    const renewed = await this.#write(name, { UpdateExpression: 'SET #e = :e', ConditionExpression: '#o = :o AND #e > :now', ExpressionAttributeValues: values });
    if (renewed.won) return leaseOf(renewed.item);
    if (renewed.held !== null && Number(renewed.held.ExpiresAt) > now) return null;
    const taken = await this.#write(name, {
      UpdateExpression: 'SET #o = :o, #e = :e ADD #f :one',
      ConditionExpression: 'attribute_not_exists(#n) OR #e <= :now',
      ExpressionAttributeValues: { ...values, ':one': 1 },
    });
    // Refused: another owner took it between the two writes.
    return taken.won ? leaseOf(taken.item) : null;
  }

  async release(lease: Lease): Promise<void> {
    await this.#write(lease.name, {
      UpdateExpression: 'SET #e = :past',
      ConditionExpression: '#o = :o AND #f = :f',
      ExpressionAttributeValues: { ':past': 0, ':o': lease.owner, ':f': lease.fence },
    });
  }

  async holder(name: string): Promise<Lease | null> {
    const found = await withRetries(() => this.doc.send(new GetCommand({ TableName: this.table, Key: { Name: name }, ConsistentRead: true })));
    return found.Item !== undefined && Number(found.Item.ExpiresAt) > this.now() ? leaseOf(found.Item) : null;
  }

  async #write(name: string, update: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> }): Promise<Written> {
    // DynamoDB refuses a name that no expression uses.
    const names = Object.fromEntries(Object.entries(NAMES).filter(([alias]) => `${update.UpdateExpression} ${update.ConditionExpression}`.includes(alias)));
    return withRetries(async (): Promise<Written> => {
      try {
        const written = await this.doc.send(
          new UpdateCommand({ TableName: this.table, Key: { Name: name }, ...update, ExpressionAttributeNames: names, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        );
        return { won: true, item: written.Attributes ?? {} };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return { won: false, held: error.Item ? plainItem(error.Item) : null };
      }
    });
  }
}

const leaseOf = (item: Record<string, unknown>): Lease => ({
  name: String(item.Name),
  owner: String(item.Owner),
  fence: Number(item.Fence),
  expiresAt: new Date(Number(item.ExpiresAt)).toISOString(),
});
