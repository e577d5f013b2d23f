import { expectedVersionConflict } from '../../application/events/append-rules.js';
import type { AppendError, ExpectedVersion } from '../../application/ports/event-store.js';
import { SQLSTATE, type SqlError } from './sql-driver.js';

/** The conflict for a stream found at `actual`; also when it moved on to match `expected` just after the check failed. */
export const conflictAt = (streamId: string, expected: ExpectedVersion, actual: number): AppendError =>
  expectedVersionConflict(streamId, expected, actual) ?? {
    code: 'EVENT_STORE.CONCURRENCY_CONFLICT',
    message: `stream ${streamId} changed while the append expecting ${expected === 'no-stream' ? 'no stream' : `version ${expected}`} was checked; it is now at ${actual}`,
    streamId,
    expected,
    actual,
  };

/** What a failed commit means in the port's words, or null for a failure that is a bug (rethrown). */
export type FailureMeaning = { readonly kind: 'error'; readonly error: AppendError } | { readonly kind: 'conflict' } | null;

export const meaningOf = (error: SqlError): FailureMeaning => {
  // Lost races on the stream: the caller learns the stream's version and decides again.
  if (error.code === SQLSTATE.uniqueViolation || error.code === SQLSTATE.serializationFailure || error.code === SQLSTATE.deadlockDetected) {
    return { kind: 'conflict' };
  }
  if (error.isInvalidInput) return { kind: 'error', error: { code: 'EVENT_STORE.INVALID_APPEND', message: `the database refused the events: ${error.message}` } };
  if (error.isUnavailable) return { kind: 'error', error: { code: 'EVENT_STORE.UNAVAILABLE', message: error.message } };
  return null;
};
