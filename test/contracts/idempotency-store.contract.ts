import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClaimLease, IdempotencyStore, StoredOutcome } from '../../src/application/ports/idempotency-store.js';

const LEASE_MS = 30_000;

/** A fresh claimant whose lease runs from `now`. */
const aLease = (now = new Date().toISOString(), owner: string = randomUUID()): ClaimLease => ({ owner, now, until: new Date(Date.parse(now) + LEASE_MS).toISOString() });

const anOutcome = (): StoredOutcome => ({
  fingerprint: JSON.stringify(['Order', randomUUID(), ['confirm', { paymentId: null }]]),
  outcome: { ok: true, value: { aggregateId: 'order-1', streamId: 'Order-order-1', version: 2, eventTypes: ['OrderConfirmed'] } },
});

/** A key whose command ran to the end with `stored` as its outcome. */
const completedKey = async (store: IdempotencyStore, stored: StoredOutcome): Promise<string> => {
  const key = randomUUID();
  await store.claim(key, aLease());
  await store.complete(key, stored);
  return key;
};

/** What every idempotency-store adapter must do. `fixture` is called once per test and may share one database. */
export const idempotencyStoreContract = (adapter: string, fixture: () => IdempotencyStore): void => {
  describe(`IdempotencyStore contract: ${adapter}`, () => {
    it('gives a new key to the first claimant and reports it in progress to the next', async () => {
      const store = fixture();
      const key = randomUUID();
      expect(await store.claim(key, aLease())).toEqual({ status: 'claimed' });
      expect(await store.claim(key, aLease())).toEqual({ status: 'in-progress' });
    });

    it('returns the stored outcome, exactly, once the command completed', async () => {
      const store = fixture();
      const stored = anOutcome();
      const key = await completedKey(store, stored);
      expect(await store.claim(key, aLease())).toEqual({ status: 'completed', stored });
    });

    it('returns the original fingerprint to a claimant with another one, so that reuse can be detected', async () => {
      const store = fixture();
      const stored = anOutcome();
      const key = await completedKey(store, stored);
      expect(await store.claim(key, aLease())).toEqual({ status: 'completed', stored });
    });

    it('keeps a refusal as faithfully as a success', async () => {
      const store = fixture();
      const refused: StoredOutcome = { fingerprint: 'f', outcome: { ok: false, error: { code: 'INVENTORY.INSUFFICIENT_STOCK', message: 'only 1 available', details: { requested: 2, available: 1 } } } };
      const key = await completedKey(store, refused);
      expect(await store.claim(key, aLease())).toEqual({ status: 'completed', stored: refused });
    });

    it('lets a released key be claimed again', async () => {
      const store = fixture();
      const key = randomUUID();
      await store.claim(key, aLease());
      await store.release(key);
      expect(await store.claim(key, aLease())).toEqual({ status: 'claimed' });
    });

    it('does not forget a completed outcome when asked to release it', async () => {
      const store = fixture();
      const stored = anOutcome();
      const key = await completedKey(store, stored);
      await store.release(key);
      expect(await store.claim(key, aLease())).toEqual({ status: 'completed', stored });
    });

    it('gives a key to exactly one of 20 concurrent claimants', async () => {
      const store = fixture();
      const key = randomUUID();
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(key, aLease())));
      expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.status === 'in-progress')).toHaveLength(19);
    });

    it('hands a claim whose lease ran out (its holder died) to the next claimant, and not before', async () => {
      const store = fixture();
      const key = randomUUID();
      const start = Date.parse('2026-03-01T09:00:00.000Z');
      const at = (ms: number): string => new Date(start + ms).toISOString();
      expect(await store.claim(key, aLease(at(0)))).toEqual({ status: 'claimed' });
      expect(await store.claim(key, aLease(at(LEASE_MS - 1)))).toEqual({ status: 'in-progress' });
      expect(await store.claim(key, aLease(at(LEASE_MS + 1)))).toEqual({ status: 'claimed' });
      expect(await store.claim(key, aLease(at(LEASE_MS + 2)))).toEqual({ status: 'in-progress' });
    });

    it('treats a claim re-sent by its own owner (a retried request) as still that owner\'s', async () => {
      const store = fixture();
      const key = randomUUID();
      const lease = aLease();
      expect(await store.claim(key, lease)).toEqual({ status: 'claimed' });
      expect(await store.claim(key, lease)).toEqual({ status: 'claimed' });
      expect(await store.claim(key, aLease())).toEqual({ status: 'in-progress' });
    });

    it('never hands over a completed key, however old', async () => {
      const store = fixture();
      const stored = anOutcome();
      const key = await completedKey(store, stored);
      expect(await store.claim(key, aLease('2099-01-01T00:00:00.000Z'))).toEqual({ status: 'completed', stored });
    });

    it('keeps keys apart', async () => {
      const store = fixture();
      await completedKey(store, anOutcome());
      expect(await store.claim(randomUUID(), aLease())).toEqual({ status: 'claimed' });
    });
  });
};
