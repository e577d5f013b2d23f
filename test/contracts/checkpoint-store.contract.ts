import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FencedOffError, type CheckpointStore } from '../../src/application/ports/checkpoint-store.js';

const aSubscriber = (): string => `projection:${randomUUID()}`;

/** What every checkpoint-store adapter must do. `fixture` is called once per test and may share one database. */
export const checkpointStoreContract = (adapter: string, fixture: () => CheckpointStore): void => {
  describe(`CheckpointStore contract: ${adapter}`, () => {
    it('has no position for a subscriber that never saved one', async () => {
      expect(await fixture().load(aSubscriber())).toBeNull();
    });

    it('returns the position last saved', async () => {
      const store = fixture();
      const subscriber = aSubscriber();
      await store.save(subscriber, '42');
      expect(await store.load(subscriber)).toBe('42');
      await store.save(subscriber, '1042');
      expect(await store.load(subscriber)).toBe('1042');
    });

    it.each([
      ['a position of zero', '0'],
      ['per-shard sequence numbers', JSON.stringify({ 'shardId-000001': '49590338271490256608559692538361571095921575989136588898', 'shardId-000002': null })],
      ['a long list', JSON.stringify(Array.from({ length: 500 }, (_, i) => randomUUID() + i))],
    ])('keeps %s exactly as given: positions are opaque', async (_name, position) => {
      const store = fixture();
      const subscriber = aSubscriber();
      await store.save(subscriber, position);
      expect(await store.load(subscriber)).toBe(position);
    });

    it('keeps subscribers apart, even when they save at once', async () => {
      const store = fixture();
      const subscribers = Array.from({ length: 10 }, aSubscriber);
      await Promise.all(subscribers.map((subscriber, i) => store.save(subscriber, String(i))));
      expect(await Promise.all(subscribers.map((subscriber) => store.load(subscriber)))).toEqual(subscribers.map((_, i) => String(i)));
    });

    it('forgets a removed record, and removes nothing that is not there', async () => {
      const store = fixture();
      const subscriber = aSubscriber();
      await store.save(subscriber, '7');
      await store.remove(subscriber);
      await store.remove(subscriber);
      expect(await store.load(subscriber)).toBeNull();
    });

    it('refuses a save under an older lease once a newer one has saved (fencing)', async () => {
      const store = fixture();
      const subscriber = aSubscriber();
      await store.save(subscriber, '10', 1);
      await store.save(subscriber, '20', 2);
      await expect(store.save(subscriber, '15', 1)).rejects.toBeInstanceOf(FencedOffError);
      expect(await store.load(subscriber)).toBe('20');
      await store.save(subscriber, '30', 2);
      await store.save(subscriber, '40', 3);
      expect(await store.load(subscriber)).toBe('40');
    });
  });
};
