import { describe, expect, it } from 'vitest';
import { LocalMasterKey } from '../../../src/adapters/crypto/local-master-key.js';
import { InMemoryDataKeyStore } from '../../../src/adapters/memory/in-memory-data-key-store.js';
import type { EventEnvelope } from '../../../src/application/events/envelope.js';
import { PersonalDataCodec } from '../../../src/application/privacy/personal-data-codec.js';
import { openEvent, sealEvent } from '../../../src/application/privacy/personal-fields.js';
import { ERASED } from '../../../src/domain/index.js';

const clock = { now: () => '2026-01-01T00:00:00.000Z' };
const codecOver = (keys = new InMemoryDataKeyStore()) => ({ keys, codec: new PersonalDataCodec(LocalMasterKey.ephemeral(), keys, clock) });

const registered = (data: unknown): EventEnvelope => ({
  type: 'CustomerRegistered',
  schemaVersion: 1,
  data,
  metadata: { correlationId: 'c', causationId: null, actor: 'a' },
  occurredAt: clock.now(),
  eventId: 'e-1',
  streamId: 'Customer-c-1',
  version: 1,
  recordedAt: clock.now(),
  globalPosition: 1,
});

describe('PersonalDataCodec', () => {
  it('seals with a fresh IV per value, carries the subject, and opens again', async () => {
    const { codec } = codecOver();
    const [a, b] = [await codec.seal('c-1', 'Ada Lovelace'), await codec.seal('c-1', 'Ada Lovelace')];
    expect(a).not.toBe(b);
    expect(a).not.toContain('Ada');
    expect(await codec.open(a)).toBe('Ada Lovelace');
  });

  it('opens as ERASED once the key is deleted, and seals nothing for an erased subject', async () => {
    const { keys, codec } = codecOver();
    const sealed = await codec.seal('c-1', 'ada@example.com');
    // Opened once, the value is kept for the next reader: the erasure must drop it too.
    expect(await codec.open(sealed)).toBe('ada@example.com');
    await keys.delete('c-1', clock.now());
    codec.forget('c-1');
    expect(await codec.open(sealed)).toBe(ERASED);
    expect(await codec.seal('c-1', 'again')).toBe(ERASED);
    // Another process, which never had the key cached, sees the same.
    expect(await new PersonalDataCodec(LocalMasterKey.ephemeral(), keys, clock).open(sealed)).toBe(ERASED);
  });

  it('refuses a value whose ciphertext was tampered with', async () => {
    const { codec } = codecOver();
    const sealed = await codec.seal('c-1', 'secret');
    const parts = sealed.split(':');
    parts[5] = Buffer.from('tampered').toString('base64url');
    await expect(codec.open(parts.join(':'))).rejects.toThrow();
  });

  it("seals exactly an event's personal fields and opens them again; values stored before encryption read as they are", async () => {
    const { codec } = codecOver();
    const event = registered({ personal: { name: 'Ada', email: 'ada@example.com', address: '12 St James Square' } });
    const sealed = await sealEvent(event, event.streamId, codec);
    expect(JSON.stringify(sealed.data)).not.toMatch(/Ada|ada@|James/);
    expect((await openEvent(sealed, codec)).data).toEqual(event.data);
    expect((await openEvent(event, codec)).data).toEqual(event.data);
  });
});
