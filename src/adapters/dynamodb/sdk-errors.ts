import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { withBackoff, type RetryPolicy } from '../backoff/retry-policy.js';

/** Throttling, transaction conflicts and a transaction still in flight pass; anything else is broken infrastructure. */
const TRANSIENT_EXCEPTIONS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
]);
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

export const DYNAMODB_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 1_000 };

/** Raised by an attempt that may succeed when tried again; `withRetries` retries it, and reports it once attempts run out. */
export class TransientDynamoDbError extends Error {}

/** Broken infrastructure: the store could not do what was asked. Adapters turn it into EVENT_STORE.UNAVAILABLE or let it throw. */
export class DynamoDbUnavailableError extends Error {}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** The cancellation reasons of a cancelled transaction, or null for any other error. */
export const cancellationReasons = (error: unknown): CancellationReason[] | null =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : null;

export const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException => error instanceof ConditionalCheckFailedException;

/** Turns an SDK error that is neither expected nor transient into DynamoDbUnavailableError, and a transient one into TransientDynamoDbError. */
export const unexpected = (error: unknown): Error => {
  if (error instanceof TransientDynamoDbError || error instanceof DynamoDbUnavailableError) return error;
  const reasons = cancellationReasons(error);
  if (reasons !== null) {
    const codes = reasons.map((reason) => reason.Code ?? 'None').filter((code) => code !== 'None');
    const summary = `transaction cancelled: ${codes.join(', ') || 'no reason given'}`;
    return codes.every((code) => TRANSIENT_REASONS.has(code)) && codes.length > 0 ? new TransientDynamoDbError(summary) : new DynamoDbUnavailableError(summary);
  }
  if (error instanceof Error && TRANSIENT_EXCEPTIONS.has(error.name)) return new TransientDynamoDbError(describe(error));
  return new DynamoDbUnavailableError(describe(error));
};

/** Runs `work`, retrying transient failures with jittered exponential backoff; rejects with DynamoDbUnavailableError when they persist. */
export const withRetries = async <T>(work: () => Promise<T>, policy: RetryPolicy = DYNAMODB_RETRY_POLICY): Promise<T> => {
  const outcome = await withBackoff(policy, { sleep: async (ms) => void (await sleep(ms)), random: Math.random }, async () => {
    try {
      return { done: true as const, value: await work() };
    } catch (error) {
      const failure = unexpected(error);
      if (failure instanceof TransientDynamoDbError) return { done: false as const, reason: failure.message };
      throw failure;
    }
  });
  if (!outcome.ok) throw new DynamoDbUnavailableError(`still failing after ${outcome.attempts} attempts: ${outcome.reason}`);
  return outcome.value;
};
