import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventStore, IdempotencyCompletion } from '../../src/application/ports/event-store.js';
import type { ClaimLease, IdempotencyStore, StoredOutcome } from '../../src/application/ports/idempotency-store.js';
import { aStreamId, anEvent, events } from '../support/event-mother.js';

const LEASE_MS = 30_000;
const RETENTION_MS = 24 * 60 * 60_000;

const later = (instant: string, ms: number): string => new Date(Date.parse(instant) + ms).toISOString();

/** A fresh claimant whose lease runs from `now`, its record kept for the retention. */
const aLease = (now = new Date().toISOString(), owner: string = randomUUID()): ClaimLease => ({ owner, now, until: later(now, LEASE_MS), expiresAt: later(now, RETENTION_MS) });

const anOutcome = (): StoredOutcome => ({
  fingerprint: JSON.stringify(['Order', randomUUID(), ['confirm', { paymentId: null }]]),
  outcome: { ok: true, value: { aggregateId: 'order-1', streamId: 'Order-order-1', version: 2, eventTypes: ['OrderConfirmed'] } },
});

const completionOf = (key: string, lease: ClaimLease, stored: StoredOutcome = anOutcome()): IdempotencyCompletion => ({ key, owner: lease.owner, ...stored, expiresAt: lease.expiresAt });

/** A key whose command ran to the end with `stored` as its outcome (a refusal's path: no events). */
const completedKey = async (store: IdempotencyStore, stored: StoredOutcome, lease: ClaimLease = aLease()): Promise<string> => {
  const key = randomUUID();
  expect(await store.claim(key, lease)).toEqual({ status: 'claimed' });
  expect(await store.complete(completionOf(key, lease, stored))).toBe(true);
  return key;
};

export interface IdempotencyFixture {
  readonly idempotency: IdempotencyStore;
  /** The event store that completes keys of this idempotency store in its appends. */
  readonly eventStore: EventStore;
}

/** What every idempotency-store adapter must do. `fixture` is called once per test and may share one database. */
export const idempotencyStoreContract = (adapter: string, fixture: () => IdempotencyFixture): void => {
  describe(`IdempotencyStore contract: ${adapter}`, () => {
    it('gives a new key to the first claimant and reports it in progress to the next', async () => {
      const store = fixture().idempotency;
      const key = randomUUID();
      expect(await store.claim(key, aLease())).toEqual({ status: 'claimed' });
      expect(await store.claim(key, aLease())).toEqual({ status: 'in-progress' });
    });

    it('returns the stored outcome, exactly, once the command completed', async () => {
      const store = fixture().idempotency;
      const stored = anOutcome();
      const key = await completedKey(store, stored);
      expect(await store.claim(key, aLease())).toEqual({ status: 'completed', stored });
    });

    it('keeps a refusal as faithfully as a success', async () => {
      const store = fixture().idempotency;
      const refused: StoredOutcome = { fingerprint: 'f', outcome: { ok: false, error: { code: 'INVENTORY.INSUFFICIENT_STOCK', message: 'only 1 available', details: { requested: 2, available: 1 } } } };
      const key = await completedKey(store, refused);
      expect(await store.claim(key, aLease())).toEqual({ status: 'completed', stored: refused });
    });

    it('lets a key released by its owner be claimed again', async () => {
      const store = fixture().idempotency;
      const key = randomUUID();
      const lease = aLease();
      await store.claim(key, lease);
      await store.release(key, lease.owner);
      expect(await store.claim(key, aLease())).toEqual({ status: 'claimed' });
    });

    it('does not forget a completed outcome when asked to release it', async () => {
      const store = fixture().idempotency;
      const stored = anOutcome();
      const lease = aLease();
      const key = await completedKey(store, stored, lease);
      await store.release(key, lease.owner);
      expect(await store.claim(key, aLease())).toEqual({ status: 'completed', stored });
    });

    it('gives a key to exactly one of 20 concurrent claimants', async () => {
      const store = fixture().idempotency;
      const key = randomUUID();
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(key, aLease())));
      expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.status === 'in-progress')).toHaveLength(19);
    });

    it('hands a claim whose lease ran out (its holder died) to the next claimant, and not before', async () => {
      const store = fixture().idempotency;
      const key = randomUUID();
      const start = '2026-03-01T09:00:00.000Z';
      expect(await store.claim(key, aLease(start))).toEqual({ status: 'claimed' });
      expect(await store.claim(key, aLease(later(start, LEASE_MS - 1)))).toEqual({ status: 'in-progress' });
      expect(await store.claim(key, aLease(later(start, LEASE_MS + 1)))).toEqual({ status: 'claimed' });
      expect(await store.claim(key, aLease(later(start, LEASE_MS + 2)))).toEqual({ status: 'in-progress' });
    });

    it("treats a claim re-sent by its own owner (a retried request) as still that owner's", async () => {
      const store = fixture().idempotency;
      const key = randomUUID();
      const lease = aLease();
      expect(await store.claim(key, lease)).toEqual({ status: 'claimed' });
      expect(await store.claim(key, lease)).toEqual({ status: 'claimed' });
      expect(await store.claim(key, aLease())).toEqual({ status: 'in-progress' });
    });

    it('keeps keys apart', async () => {
      const store = fixture().idempotency;
      await completedKey(store, anOutcome());
      expect(await store.claim(randomUUID(), aLease())).toEqual({ status: 'claimed' });
    });

    describe('only the owner of a claim', () => {
      it('completes it: a run whose claim was taken over records nothing', async () => {
        const store = fixture().idempotency;
        const key = randomUUID();
        const start = '2026-03-01T09:00:00.000Z';
        const first = aLease(start);
        const second = aLease(later(start, LEASE_MS + 1));
        await store.claim(key, first);
        expect(await store.claim(key, second)).toEqual({ status: 'claimed' });
        expect(await store.complete(completionOf(key, first))).toBe(false);
        const stored = anOutcome();
        expect(await store.complete(completionOf(key, second, stored))).toBe(true);
        expect(await store.claim(key, aLease(later(start, LEASE_MS + 2)))).toEqual({ status: 'completed', stored });
      });

      it('completes it: a key nobody claimed is not recorded by a stranger', async () => {
        const store = fixture().idempotency;
        const key = randomUUID();
        expect(await store.complete(completionOf(key, aLease()))).toBe(false);
        expect(await store.claim(key, aLease())).toEqual({ status: 'claimed' });
      });

      it('releases it: another claimant cannot give it back', async () => {
        const store = fixture().idempotency;
        const key = randomUUID();
        const lease = aLease();
        await store.claim(key, lease);
        await store.release(key, randomUUID());
        expect(await store.claim(key, aLease())).toEqual({ status: 'in-progress' });
      });
    });

    describe('retention', () => {
      it('keeps a completed key until it expires, however old its lease, then counts it as absent', async () => {
        const store = fixture().idempotency;
        const stored = anOutcome();
        const start = '2026-03-01T09:00:00.000Z';
        const key = await completedKey(store, stored, aLease(start));
        expect(await store.claim(key, aLease(later(start, RETENTION_MS - 1)))).toEqual({ status: 'completed', stored });
        expect(await store.claim(key, aLease(later(start, RETENTION_MS)))).toEqual({ status: 'claimed' });
      });

      it('counts an abandoned claim as absent once it expired', async () => {
        const store = fixture().idempotency;
        const key = randomUUID();
        const start = '2026-03-01T09:00:00.000Z';
        await store.claim(key, { ...aLease(start), until: later(start, RETENTION_MS * 2) });
        expect(await store.claim(key, aLease(later(start, RETENTION_MS)))).toEqual({ status: 'claimed' });
      });
    });

    describe('completion in the same commit as the events', () => {
      it('records the outcome with the events the command appended', async () => {
        const { idempotency, eventStore } = fixture();
        const key = randomUUID();
        const lease = aLease();
        const streamId = aStreamId();
        await idempotency.claim(key, lease);
        const stored = anOutcome();
        (await eventStore.append(streamId, events(2), 'no-stream', { idempotency: completionOf(key, lease, stored) }))._unsafeUnwrap();
        expect(await idempotency.claim(key, aLease())).toEqual({ status: 'completed', stored });
        expect(await eventStore.readStream(streamId)).toHaveLength(2);
      });

      it('appends nothing, and reports the lost claim, when the claim is no longer the append\'s', async () => {
        const { idempotency, eventStore } = fixture();
        const key = randomUUID();
        const start = '2026-03-01T09:00:00.000Z';
        const first = aLease(start);
        await idempotency.claim(key, first);
        await idempotency.claim(key, aLease(later(start, LEASE_MS + 1)));
        const streamId = aStreamId();
        const appended = await eventStore.append(streamId, [anEvent()], 'no-stream', { idempotency: completionOf(key, first) });
        expect(appended._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.IDEMPOTENCY_CLAIM_LOST', key });
        expect(await eventStore.readStream(streamId)).toEqual([]);
        expect(await idempotency.claim(key, aLease(later(start, LEASE_MS + 2)))).toEqual({ status: 'in-progress' });
      });

      it('appends nothing for a released claim, so that a late commit of a run given up on cannot land', async () => {
        const { idempotency, eventStore } = fixture();
        const key = randomUUID();
        const lease = aLease();
        await idempotency.claim(key, lease);
        await idempotency.release(key, lease.owner);
        const streamId = aStreamId();
        expect((await eventStore.append(streamId, [anEvent()], 'no-stream', { idempotency: completionOf(key, lease) }))._unsafeUnwrapErr().code).toBe('EVENT_STORE.IDEMPOTENCY_CLAIM_LOST');
        expect(await eventStore.readStream(streamId)).toEqual([]);
      });

      it('leaves the key in progress when the append conflicts, and records nothing', async () => {
        const { idempotency, eventStore } = fixture();
        const key = randomUUID();
        const lease = aLease();
        const streamId = aStreamId();
        (await eventStore.append(streamId, [anEvent()], 'no-stream'))._unsafeUnwrap();
        await idempotency.claim(key, lease);
        expect((await eventStore.append(streamId, [anEvent()], 'no-stream', { idempotency: completionOf(key, lease) }))._unsafeUnwrapErr().code).toBe('EVENT_STORE.CONCURRENCY_CONFLICT');
        expect(await idempotency.claim(key, aLease())).toEqual({ status: 'in-progress' });
        expect(await eventStore.readStream(streamId)).toHaveLength(1);
      });

      it('lands exactly one of two runs racing under one key on different streams', async () => {
        const { idempotency, eventStore } = fixture();
        const key = randomUUID();
        const start = '2026-03-01T09:00:00.000Z';
        const first = aLease(start);
        const second = aLease(later(start, LEASE_MS + 1));
        await idempotency.claim(key, first);
        await idempotency.claim(key, second);
        const [a, b] = [aStreamId(), aStreamId()];
        const results = await Promise.all([
          eventStore.append(a, [anEvent()], 'no-stream', { idempotency: completionOf(key, first) }),
          eventStore.append(b, [anEvent()], 'no-stream', { idempotency: completionOf(key, second) }),
        ]);
        expect(results.map((result) => result.isOk())).toEqual([false, true]);
        expect((await eventStore.readStream(a)).length + (await eventStore.readStream(b)).length).toBe(1);
      });

      it('refuses a commit of 100 events with a completion, naming the limit, and appends nothing', async () => {
        const { idempotency, eventStore } = fixture();
        const key = randomUUID();
        const lease = aLease();
        await idempotency.claim(key, lease);
        const streamId = aStreamId();
        const refused = await eventStore.append(streamId, events(100), 'no-stream', { idempotency: completionOf(key, lease) });
        expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', message: expect.stringContaining('at most 99 events') });
        expect(await eventStore.readStream(streamId)).toEqual([]);
        (await eventStore.append(streamId, events(99), 'no-stream', { idempotency: completionOf(key, lease) }))._unsafeUnwrap();
        expect(await eventStore.readStream(streamId)).toHaveLength(99);
      });
    });
  });
};
