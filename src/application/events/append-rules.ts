import { MAX_EVENTS_PER_COMMIT, type AppendError, type AppendOptions, type ExpectedVersion } from '../ports/event-store.js';
import type { NewEvent } from './envelope.js';

/** What every adapter checks before it touches storage, so that all of them refuse alike. */
export const validateAppend = (streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, options: AppendOptions = {}): AppendError | null => {
  const invalid = (message: string): AppendError => ({ code: 'EVENT_STORE.INVALID_APPEND', message });
  if (typeof streamId !== 'string' || streamId === '') return invalid('stream id must be a non-empty string');
  if (events.length === 0) return invalid('a commit needs at least one event');
  if (events.length > MAX_EVENTS_PER_COMMIT) return invalid(`a commit holds at most ${MAX_EVENTS_PER_COMMIT} events, got ${events.length}`);
  const completion = options.idempotency;
  if (completion !== undefined) {
    // One transaction holds the events and the key's record: DynamoDB's 100 items are both.
    if (events.length >= MAX_EVENTS_PER_COMMIT) {
      return invalid(`a commit that records an idempotency key holds at most ${MAX_EVENTS_PER_COMMIT - 1} events (the key's record is the ${MAX_EVENTS_PER_COMMIT}th item), got ${events.length}`);
    }
    if (typeof completion.key !== 'string' || completion.key === '' || typeof completion.owner !== 'string' || completion.owner === '') {
      return invalid('an idempotency completion needs a non-empty key and owner');
    }
    if (Number.isNaN(Date.parse(completion.expiresAt))) return invalid(`idempotency completion of ${completion.key}: expiresAt must be an ISO 8601 instant`);
  }
  if (expected !== 'any' && expected !== 'no-stream' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    return invalid(`expected version must be a non-negative integer, 'no-stream' or 'any', got ${JSON.stringify(expected)}`);
  }
  for (const [index, event] of events.entries()) {
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) return invalid(`event ${index + 1} (${event.type}): schema version must be a positive integer`);
    if (Number.isNaN(Date.parse(event.occurredAt))) return invalid(`event ${index + 1} (${event.type}): occurredAt must be an ISO 8601 instant`);
  }
  return null;
};

/** The conflict to report when a stream at `actual` does not satisfy `expected`, or null when it does. */
export const expectedVersionConflict = (streamId: string, expected: ExpectedVersion, actual: number): AppendError | null => {
  const wanted = expected === 'no-stream' ? 0 : expected;
  if (wanted === 'any' || wanted === actual) return null;
  return {
    code: 'EVENT_STORE.CONCURRENCY_CONFLICT',
    message: `stream ${streamId} is at version ${actual}, the append expected ${expected === 'no-stream' ? 'no stream' : `version ${expected}`}`,
    streamId,
    expected,
    actual,
  };
};

/** An append whose idempotency claim is no longer its owner's: refused whole, nothing appended. */
export const claimLost = (key: string): AppendError => ({
  code: 'EVENT_STORE.IDEMPOTENCY_CLAIM_LOST',
  message: `the claim on idempotency key ${key} is no longer this command's (its lease ran out and another run took the key): nothing was appended`,
  key,
});
