import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import type { TransientFailure } from '../../application/ports/transient-failure.js';
import { withBackoff, type RetryPolicy } from '../backoff/retry-policy.js';

/** Throttling, transaction conflicts, a transaction still in flight and the service's own faults pass. */
const TRANSIENT_EXCEPTIONS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
/** The network between us and the service: an endpoint restarting, a connection cut, a name not resolving for now. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export const DYNAMODB_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 1_000 };

/** Raised by an attempt that may succeed when tried again; `withRetries` retries it, and reports it once attempts run out. */
export class TransientDynamoDbError extends Error implements TransientFailure {
  readonly transient = true as const;
}

/**
 * The store could not do what was asked. Adapters turn it into EVENT_STORE.UNAVAILABLE or let it throw.
 * `transient` tells a consumer whether waiting may help (throttled, a 5xx, the network) or not (a missing
 * table, a request the service refuses): only the latter may count against the event being handled.
 */
export class DynamoDbUnavailableError extends Error {
  readonly transient: boolean;

  constructor(message: string, options: { readonly transient?: boolean; readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.transient = options.transient ?? false;
  }
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** The cancellation reasons of a cancelled transaction, or null for any other error. */
export const cancellationReasons = (error: unknown): CancellationReason[] | null =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : null;

export const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException => error instanceof ConditionalCheckFailedException;

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
}

/** Whether an SDK or Node error may pass when the request is sent again. */
const mayPass = (error: unknown, depth = 0): boolean => {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const shape = error as SdkErrorShape;
  if (TRANSIENT_EXCEPTIONS.has(shape.name ?? '') || NETWORK_CODES.has(shape.code ?? '')) return true;
  const status = shape.$metadata?.httpStatusCode;
  if (shape.$fault === 'server' || (status !== undefined && status >= 500)) return true;
  return mayPass(shape.cause, depth + 1);
};

/** Turns an SDK error that is neither expected nor transient into DynamoDbUnavailableError, and a transient one into TransientDynamoDbError. */
export const unexpected = (error: unknown): Error => {
  if (error instanceof TransientDynamoDbError || error instanceof DynamoDbUnavailableError) return error;
  const reasons = cancellationReasons(error);
  if (reasons !== null) {
    const codes = reasons.map((reason) => reason.Code ?? 'None').filter((code) => code !== 'None');
    const summary = `transaction cancelled: ${codes.join(', ') || 'no reason given'}`;
    return codes.every((code) => TRANSIENT_REASONS.has(code)) && codes.length > 0 ? new TransientDynamoDbError(summary) : new DynamoDbUnavailableError(summary, { cause: error });
  }
  if (mayPass(error)) return new TransientDynamoDbError(describe(error));
  return new DynamoDbUnavailableError(describe(error), { cause: error });
};

/** Runs `work`, retrying transient failures with jittered exponential backoff; rejects with DynamoDbUnavailableError when they persist (a transient one) or for any other failure. */
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
  if (!outcome.ok) throw new DynamoDbUnavailableError(`still failing after ${outcome.attempts} attempts: ${outcome.reason}`, { transient: true });
  return outcome.value;
};
