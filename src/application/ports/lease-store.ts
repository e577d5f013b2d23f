/** Exclusive right to run one consumer, held by one process until it expires or is released. */
export interface Lease {
  readonly name: string;
  readonly owner: string;
  /**
   * Grows each time the lease changes hands (never on renewal): writes made under a lease carry it, so
   * a store can refuse a late write from a holder that lost the lease (fencing).
   */
  readonly fence: number;
  /** ISO instant, on the store's clock where it has one. */
  readonly expiresAt: string;
}

/**
 * Leases kept in the store itself (a PostgreSQL row, a DynamoDB item with a conditional write), so that
 * with several service instances each consumer runs in exactly one of them at a time, and a holder that
 * dies hands over once its lease runs out.
 */
export interface LeaseStore {
  /**
   * Takes the lease when it is free, expired or already this owner's (a renewal, which keeps the fence);
   * null when another owner holds it.
   */
  acquire(name: string, owner: string, ttlMs: number): Promise<Lease | null>;
  /** Gives the lease up at once (a clean stop) when `lease` still holds it; otherwise does nothing. */
  release(lease: Lease): Promise<void>;
  /** Who holds the lease now, or null when nobody does (never taken, released or expired). */
  holder(name: string): Promise<Lease | null>;
}
