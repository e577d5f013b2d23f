import type { AppendError, AppendOptions, ExpectedVersion } from '../ports/event-store.js';
import { isChainHash } from './event-chain.js';

/** What every adapter refuses alike: a previousHash that cannot be a chain hash. */
export const invalidPreviousHash = (options: AppendOptions): AppendError | null =>
  options.previousHash === undefined || isChainHash(options.previousHash)
    ? null
    : { code: 'EVENT_STORE.INVALID_APPEND', message: `previousHash must be a SHA-256 in lower-case hex (64 characters), got ${JSON.stringify(options.previousHash)}` };

/** The stream is at the version expected but its head is not the event the caller chained from (a stale previousHash): the caller reloads. */
export const staleHashConflict = (streamId: string, expected: ExpectedVersion, actual: number): AppendError => ({
  code: 'EVENT_STORE.CONCURRENCY_CONFLICT',
  message: `stream ${streamId} is at version ${actual} as expected, but its head's hash is not the previous hash given: reload the stream`,
  streamId,
  expected,
  actual,
});
