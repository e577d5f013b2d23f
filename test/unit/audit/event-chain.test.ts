import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Ed25519CheckpointSigner } from '../../../src/adapters/anchors/ed25519-checkpoint-signer.js';
import { ChainWalker } from '../../../src/application/audit/chain-walker.js';
import { anchorProblem, rootOf, signCheckpoint } from '../../../src/application/audit/checkpoint.js';
import { canonicalEventBytes, chainCommit, chainHash, GENESIS_HASH } from '../../../src/application/audit/event-chain.js';
import type { EventEnvelope } from '../../../src/application/events/envelope.js';
import { anEvent } from '../../support/event-mother.js';

/** A stream of `count` chained envelopes, as a store would hand them back. */
const chained = (streamId: string, count: number): EventEnvelope[] => {
  const events = Array.from({ length: count }, (_, index) => ({ ...anEvent({ occurredAt: `2026-01-01T10:00:0${index}.000Z` }), eventId: `id-${streamId}-${index + 1}` }));
  const links = chainCommit(streamId, 0, GENESIS_HASH, events);
  return events.map((event, index) => ({ ...event, ...links[index], streamId, version: index + 1, recordedAt: '2026-01-01T10:00:00.000Z', globalPosition: null }));
};

const walk = (events: readonly EventEnvelope[]) => {
  const walker = new ChainWalker();
  for (const event of events) walker.visit(event);
  return walker;
};

describe('the event chain', () => {
  it('hashes SHA-256 over the previous hash bytes then the canonical JSON of the stored fields, key order and recordedAt aside', () => {
    const event = { streamId: 'Order-1', version: 1, eventId: 'e-1', type: 'OrderShipped', schemaVersion: 1, data: { z: 1, a: 'b' }, metadata: { actor: 'x' }, occurredAt: '2026-01-01T10:00:00.000Z' };
    const text = '{"data":{"a":"b","z":1},"eventId":"e-1","metadata":{"actor":"x"},"occurredAt":"2026-01-01T10:00:00.000Z","schemaVersion":1,"streamId":"Order-1","type":"OrderShipped","version":1}';
    expect(canonicalEventBytes(event).toString('utf8')).toBe(text);
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(text, 'utf8').digest('hex');
    expect(chainHash(GENESIS_HASH, event)).toBe(expected);
    expect(chainHash(GENESIS_HASH, { ...event, recordedAt: '2030-01-01T00:00:00.000Z', data: { a: 'b', z: 1 } } as typeof event)).toBe(expected);
    expect(chainHash(GENESIS_HASH, { ...event, version: 2 })).not.toBe(expected);
    expect(chainHash('f'.repeat(64), event)).not.toBe(expected);
  });

  it('links each event of a commit to the one before it', () => {
    const events = chained('Order-2', 3);
    expect(events[1]?.previousHash).toBe(events[0]?.hash);
    expect(events[2]?.previousHash).toBe(events[1]?.hash);
    expect(walk(events).mismatchCount).toBe(0);
  });

  it('names an edited event, a broken or reordered link, a version gap and a missing hash', () => {
    const events = chained('Order-3', 4);
    const edited = events.map((event) => (event.version === 2 ? { ...event, data: { tampered: true } } : event));
    expect(walk(edited).mismatches[0]).toMatchObject({ streamId: 'Order-3', version: 2, eventId: 'id-Order-3-2', kind: 'content-edited', foundHash: events[1]?.hash });
    const [one, two, three, four] = events as [EventEnvelope, EventEnvelope, EventEnvelope, EventEnvelope];
    const swapped = [one, { ...three, version: 2 }, { ...two, version: 3 }, four];
    expect(walk(swapped).mismatches[0]).toMatchObject({ version: 2, eventId: three.eventId, kind: 'chain-broken', expectedHash: one.hash, foundHash: two.hash });
    // The global log hands swapped rows over in commit order: version 3 before 2. Still a reordering at version 2.
    expect(walk([one, { ...two, version: 3 }, { ...three, version: 2 }, four]).mismatches[0]).toMatchObject({ version: 2, eventId: three.eventId, kind: 'chain-broken' });
    expect(walk([one, two, four]).mismatches[0]).toMatchObject({ version: 4, kind: 'version-gap' });
    const { hash: _hash, ...unhashed } = three;
    expect(walk([one, two, unhashed, four]).mismatches[0]).toMatchObject({ version: 3, kind: 'missing-hash' });
    // One mismatch per stream: what follows a broken link is not judged again; other streams still are.
    expect(walk([...edited, ...chained('Order-4', 2).map((e) => ({ ...e, data: 1 }))]).mismatches.map((m) => [m.streamId, m.version])).toEqual([
      ['Order-3', 2],
      ['Order-4', 1],
    ]);
  });

  it('keeps every stream head, sorted by stream id, for the anchor', () => {
    const walker = walk([...chained('b', 2), ...chained('a', 1)]);
    expect(walker.heads().map((head) => [head.streamId, head.version])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('checkpoint signing', () => {
  const signer = new Ed25519CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
  const heads = [
    { streamId: 'b', version: 2, hash: 'b'.repeat(64) },
    { streamId: 'a', version: 1, hash: 'a'.repeat(64) },
  ];

  it('signs a root that does not depend on the heads order, and verifies with the same key only', () => {
    const anchor = signCheckpoint(heads, 3, '2026-11-30T09:00:00.000Z', signer);
    expect(anchor.checkpoint).toMatchObject({ streams: 2, events: 3, root: rootOf([...heads].reverse()), keyId: signer.keyId });
    expect(anchor.heads.map((head) => head.streamId)).toEqual(['a', 'b']);
    expect(anchorProblem(anchor, signer)).toBeNull();
    const other = new Ed25519CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
    expect(anchorProblem(anchor, other)).toMatch(/not with this service's key/);
  });

  it('refuses an anchor whose checkpoint or heads were changed after signing', () => {
    const anchor = signCheckpoint(heads, 3, '2026-11-30T09:00:00.000Z', signer);
    expect(anchorProblem({ ...anchor, checkpoint: { ...anchor.checkpoint, events: 2 } }, signer)).toMatch(/signature/);
    expect(anchorProblem({ ...anchor, heads: anchor.heads.slice(1) }, signer)).toMatch(/do not fold into the signed root/);
  });
});
