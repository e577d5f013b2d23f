import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IdempotencyStore, StoredOutcome } from '../../src/application/ports/idempotency-store.js';

const anOutcome = (): StoredOutcome => ({
  fingerprint: JSON.stringify(['Order', randomUUID(), ['confirm', { paymentId: null }]]),
  outcome: { ok: true, value: { aggregateId: 'order-1', streamId: 'Order-order-1', version: 2, eventTypes: ['OrderConfirmed'] } },
});

/** A key whose command ran to the end with `stored` as its outcome. */
const completedKey = async (store: IdempotencyStore, stored: StoredOutcome): Promise<string> => {
  const key = randomUUID();
  await store.claim(key, stored.fingerprint);
  await store.complete(key, stored);
  return key;
};

/** What every idempotency-store adapter must do. `fixture` is called once per test and may share one database. */
export const idempotencyStoreContract = (adapter: string, fixture: () => IdempotencyStore): void => {
  describe(`IdempotencyStore contract: ${adapter}`, () => {
    it('gives a new key to the first claimant and reports it in progress to the next', async () => {
      const store = fixture();
      const key = randomUUID();
      expect(await store.claim(key, 'f-1')).toEqual({ status: 'claimed' });
      expect(await store.claim(key, 'f-1')).toEqual({ status: 'in-progress' });
    });

    it('returns the stored outcome, exactly, once the command completed', async () => {
      const store = fixture();
      const stored = anOutcome();
      const key = await completedKey(store, stored);
      expect(await store.claim(key, stored.fingerprint)).toEqual({ status: 'completed', stored });
    });

    it('returns the original fingerprint to a claimant with another one, so that reuse can be detected', async () => {
      const store = fixture();
      const stored = anOutcome();
      const key = await completedKey(store, stored);
      expect(await store.claim(key, 'another command')).toEqual({ status: 'completed', stored });
    });

    it('keeps a refusal as faithfully as a success', async () => {
      const store = fixture();
      const refused: StoredOutcome = { fingerprint: 'f', outcome: { ok: false, error: { code: 'INVENTORY.INSUFFICIENT_STOCK', message: 'only 1 available', details: { requested: 2, available: 1 } } } };
      const key = await completedKey(store, refused);
      expect(await store.claim(key, 'f')).toEqual({ status: 'completed', stored: refused });
    });

    it('lets a released key be claimed again', async () => {
      const store = fixture();
      const key = randomUUID();
      await store.claim(key, 'f');
      await store.release(key);
      expect(await store.claim(key, 'f')).toEqual({ status: 'claimed' });
    });

    it('does not forget a completed outcome when asked to release it', async () => {
      const store = fixture();
      const stored = anOutcome();
      const key = await completedKey(store, stored);
      await store.release(key);
      expect(await store.claim(key, stored.fingerprint)).toEqual({ status: 'completed', stored });
    });

    it('gives a key to exactly one of 20 concurrent claimants', async () => {
      const store = fixture();
      const key = randomUUID();
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(key, 'f')));
      expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.status === 'in-progress')).toHaveLength(19);
    });

    it('keeps keys apart', async () => {
      const store = fixture();
      await completedKey(store, anOutcome());
      expect(await store.claim(randomUUID(), 'f')).toEqual({ status: 'claimed' });
    });
  });
};
