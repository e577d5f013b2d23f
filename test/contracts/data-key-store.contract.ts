import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DataKeyStore, WrappedDataKey } from '../../src/application/ports/data-key-store.js';

const aKey = (subject = `c-${randomUUID()}`, wrapped: string = randomUUID()): WrappedDataKey => ({ subject, version: 1, wrapped, createdAt: '2026-01-01T00:00:00.000Z' });

/** What every data key store must do: one key per subject, the first writer's; deletion for good, as a tombstone. */
export const dataKeyStoreContract = (adapter: string, fixture: () => DataKeyStore): void => {
  describe(`DataKeyStore contract: ${adapter}`, () => {
    it('keeps a new subject\'s key and gives it back', async () => {
      const keys = fixture();
      const key = aKey();
      expect(await keys.get(key.subject)).toBeNull();
      expect(await keys.create(key)).toEqual({ status: 'active', key });
      expect(await keys.get(key.subject)).toEqual({ status: 'active', key });
    });

    it('answers the first key to a second create, and to racing creates', async () => {
      const keys = fixture();
      const first = aKey();
      await keys.create(first);
      expect(await keys.create(aKey(first.subject, 'another'))).toEqual({ status: 'active', key: first });
      const subject = `c-${randomUUID()}`;
      const raced = await Promise.all(Array.from({ length: 5 }, (_, i) => keys.create(aKey(subject, `w${i}`))));
      const winners = new Set(raced.map((stored) => (stored.status === 'active' ? stored.key.wrapped : 'erased')));
      expect(winners.size).toBe(1);
      expect(await keys.get(subject)).toEqual(raced[0]);
    });

    it('deletes the key for good: a tombstone that keeps the first erasure time and refuses a new key', async () => {
      const keys = fixture();
      const key = aKey();
      await keys.create(key);
      await keys.delete(key.subject, '2026-02-01T00:00:00.000Z');
      const erased = { status: 'erased', subject: key.subject, erasedAt: '2026-02-01T00:00:00.000Z' };
      expect(await keys.get(key.subject)).toEqual(erased);
      await keys.delete(key.subject, '2026-03-01T00:00:00.000Z');
      expect(await keys.get(key.subject)).toEqual(erased);
      expect(await keys.create(aKey(key.subject))).toEqual(erased);
    });

    it('leaves a tombstone for a subject that never had a key', async () => {
      const keys = fixture();
      const subject = `c-${randomUUID()}`;
      await keys.delete(subject, '2026-02-01T00:00:00.000Z');
      expect(await keys.create(aKey(subject))).toEqual({ status: 'erased', subject, erasedAt: '2026-02-01T00:00:00.000Z' });
    });
  });
};
