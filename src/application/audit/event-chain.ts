import { createHash } from 'node:crypto';
import { canonicalJson } from '../events/canonical-json.js';
import type { EventEnvelope, NewEvent } from '../events/envelope.js';

/** The hash a stream's first event chains from: 32 zero bytes, as hex like every stored hash. */
export const GENESIS_HASH = '0'.repeat(64);

/** A SHA-256 as lower-case hex: 64 characters. */
export const isChainHash = (text: unknown): text is string => typeof text === 'string' && /^[0-9a-f]{64}$/.test(text);

/**
 * What the chain covers of an event: everything the writer chose plus where the store put it.
 * `recordedAt` is left out on purpose: PostgreSQL stamps it once per group-commit batch when the batch
 * leaves for the server, after the hashes were computed, so not every adapter knows it when it hashes.
 * `globalPosition` is left out too (DynamoDB has none). Both are the store's bookkeeping, not the record.
 */
export interface ChainedContent {
  readonly streamId: string;
  readonly version: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly occurredAt: string;
}

/** The UTF-8 bytes hashed for one event: canonical JSON of exactly the chained fields, as stored (ciphertext where fields are encrypted). */
export const canonicalEventBytes = (event: ChainedContent): Buffer =>
  Buffer.from(
    canonicalJson({
      streamId: event.streamId,
      version: event.version,
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
      occurredAt: event.occurredAt,
    }),
    'utf8',
  );

/** hash_k = SHA-256(bytes of hash_{k-1} ‖ canonical bytes of event k). */
export const chainHash = (previousHash: string, event: ChainedContent): string =>
  createHash('sha256').update(Buffer.from(previousHash, 'hex')).update(canonicalEventBytes(event)).digest('hex');

export interface ChainLinks {
  readonly previousHash: string;
  readonly hash: string;
}

/**
 * The links of one commit's events, as an adapter computes them where it mints the ids: event i of the
 * commit lands at version `baseVersion + i + 1` and chains from the one before it, the first from `previousHash`.
 */
export const chainCommit = (
  streamId: string,
  baseVersion: number,
  previousHash: string,
  events: readonly (NewEvent & { readonly eventId: string })[],
): ChainLinks[] => {
  let previous = previousHash;
  return events.map((event, index) => {
    const hash = chainHash(previous, { ...event, streamId, version: baseVersion + index + 1 });
    const links = { previousHash: previous, hash };
    previous = hash;
    return links;
  });
};

/** The hash a new commit chains from, given the stream's last event as read (none: the genesis). */
export const headHashOf = (last: Pick<EventEnvelope, 'hash'> | undefined): string => last?.hash ?? GENESIS_HASH;
