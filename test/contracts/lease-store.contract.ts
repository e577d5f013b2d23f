import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { LeaseStore } from '../../src/application/ports/lease-store.js';

const aName = (): string => `consumer:${randomUUID()}`;

/** What every lease store must do: one holder at a time, hand-over after expiry, fences that only grow. */
export const leaseStoreContract = (adapter: string, fixture: () => LeaseStore): void => {
  describe(`LeaseStore contract: ${adapter}`, () => {
    it('gives a free lease to the first owner and refuses it to another while it runs', async () => {
      const leases = fixture();
      const name = aName();
      const lease = await leases.acquire(name, 'a', 5_000);
      expect(lease).toMatchObject({ name, owner: 'a' });
      expect(Date.parse(lease?.expiresAt ?? '')).toBeGreaterThan(Date.now());
      expect(await leases.acquire(name, 'b', 5_000)).toBeNull();
      expect(await leases.holder(name)).toMatchObject({ owner: 'a', fence: lease?.fence });
    });

    it('renews for its holder without changing the fence', async () => {
      const leases = fixture();
      const name = aName();
      const first = await leases.acquire(name, 'a', 5_000);
      const renewed = await leases.acquire(name, 'a', 10_000);
      expect(renewed?.fence).toBe(first?.fence);
      expect(Date.parse(renewed?.expiresAt ?? '')).toBeGreaterThan(Date.parse(first?.expiresAt ?? ''));
    });

    it('hands an expired lease over with a greater fence', async () => {
      const leases = fixture();
      const name = aName();
      const first = await leases.acquire(name, 'a', 150);
      await sleep(400);
      expect(await leases.holder(name)).toBeNull();
      const second = await leases.acquire(name, 'b', 5_000);
      expect(second?.owner).toBe('b');
      expect(second?.fence).toBeGreaterThan(first?.fence ?? Infinity);
      expect(await leases.acquire(name, 'a', 5_000)).toBeNull();
    });

    it('frees a released lease at once, and ignores a release by a former holder', async () => {
      const leases = fixture();
      const name = aName();
      const first = await leases.acquire(name, 'a', 5_000);
      if (first === null) throw new Error('no lease');
      await leases.release(first);
      expect(await leases.holder(name)).toBeNull();
      const second = await leases.acquire(name, 'b', 5_000);
      expect(second?.fence).toBeGreaterThan(first.fence);
      await leases.release(first);
      expect(await leases.holder(name)).toMatchObject({ owner: 'b' });
    });

    it('lets exactly one of many racing owners take a free lease', async () => {
      const leases = fixture();
      const name = aName();
      const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => leases.acquire(name, `owner-${i}`, 5_000)));
      expect(taken.filter((lease) => lease !== null)).toHaveLength(1);
    });
  });
};
