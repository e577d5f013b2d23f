import type { Lease, LeaseStore } from '../../application/ports/lease-store.js';
import type { Clock } from '../../application/ports/runtime.js';

/** Leases within one process: the memory environment runs one instance, but the runner is the same. */
export class InMemoryLeaseStore implements LeaseStore {
  readonly #leases = new Map<string, Lease>();

  constructor(private readonly clock: Clock) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<Lease | null> {
    const now = Date.parse(this.clock.now());
    const held = this.#leases.get(name);
    if (held !== undefined && held.owner !== owner && Date.parse(held.expiresAt) > now) return null;
    const fence = held === undefined ? 1 : held.owner === owner && Date.parse(held.expiresAt) > now ? held.fence : held.fence + 1;
    const lease = { name, owner, fence, expiresAt: new Date(now + ttlMs).toISOString() };
    this.#leases.set(name, lease);
    return { ...lease };
  }

  async release(lease: Lease): Promise<void> {
    const held = this.#leases.get(lease.name);
    // Kept with a past expiry rather than deleted, so that the next holder's fence still grows.
    if (held?.owner === lease.owner && held.fence === lease.fence) this.#leases.set(lease.name, { ...held, expiresAt: new Date(0).toISOString() });
  }

  async holder(name: string): Promise<Lease | null> {
    const held = this.#leases.get(name);
    return held !== undefined && Date.parse(held.expiresAt) > Date.parse(this.clock.now()) ? { ...held } : null;
  }
}
