import type { AttributeValue, Update } from '@aws-sdk/client-dynamodb';
import type { IdempotencyCompletion } from '../../application/ports/event-store.js';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from './table-definitions.js';

/**
 * The idempotency table's items: `IdempotencyKey`, `Status` (in-progress | completed), `Owner` (the claim's owner,
 * kept on completion), `LeaseUntil` while in progress, `Fingerprint` and `Outcome` (JSON text) once completed,
 * `ExpiresAt` (ISO instant: the claim's exact test) and the TTL attribute (epoch seconds: DynamoDB's deletion).
 */
export const IN_PROGRESS = 'in-progress';
export const COMPLETED = 'completed';

/** DynamoDB's TTL takes whole epoch seconds; rounded up, so that it never deletes a record before it expired. */
export const epochSeconds = (instant: string): number => Math.ceil(Date.parse(instant) / 1_000);

interface CompletionUpdate<V> {
  readonly TableName: string;
  readonly Key: Record<string, V>;
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, V>;
}

/**
 * Completes a key only while `owner` holds it, in plain values (the document client's UpdateCommand, for a
 * refusal's completion alone). A completion sent again by its owner (a retry whose first answer was lost) passes
 * too: the owner stays on the completed item.
 */
export const completionUpdate = (table: string, completion: IdempotencyCompletion): CompletionUpdate<string | number> => ({
  TableName: table,
  Key: { IdempotencyKey: completion.key },
  UpdateExpression: 'SET #status = :completed, Fingerprint = :fingerprint, Outcome = :outcome, ExpiresAt = :expiresAt, #ttl = :ttl REMOVE LeaseUntil',
  ConditionExpression: '#owner = :owner',
  ExpressionAttributeNames: { '#status': 'Status', '#owner': 'Owner', '#ttl': IDEMPOTENCY_TTL_ATTRIBUTE },
  ExpressionAttributeValues: {
    ':completed': COMPLETED,
    ':fingerprint': completion.fingerprint,
    ':outcome': JSON.stringify(completion.outcome),
    ':expiresAt': new Date(completion.expiresAt).toISOString(),
    ':ttl': epochSeconds(completion.expiresAt),
    ':owner': completion.owner,
  },
});

const wire = (value: string | number): AttributeValue => (typeof value === 'number' ? { N: String(value) } : { S: value });
const wireValues = (values: Record<string, string | number>): Record<string, AttributeValue> => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, wire(value)]));

/** The same completion in DynamoDB's wire shape, for the TransactWriteItems that writes it with the events: both commit or neither. */
export const completionTransactUpdate = (table: string, completion: IdempotencyCompletion): Update => {
  const update = completionUpdate(table, completion);
  return { ...update, Key: wireValues(update.Key), ExpressionAttributeValues: wireValues(update.ExpressionAttributeValues) };
};
