import { FencedOffError, type CheckpointStore } from '../../application/ports/checkpoint-store.js';
import type { IdempotencyCompletion } from '../../application/ports/event-store.js';
import type { Claim, ClaimLease, IdempotencyStore, StoredOutcome } from '../../application/ports/idempotency-store.js';
import type { OrderReadModel, OrderSummary } from '../../application/ports/order-read-model.js';
import type { SnapshotStore, StoredSnapshot } from '../../application/ports/snapshot-store.js';

export class InMemorySnapshotStore implements SnapshotStore {
  readonly #byStream = new Map<string, StoredSnapshot[]>();

  async save(snapshot: StoredSnapshot): Promise<void> {
    const list = (this.#byStream.get(snapshot.streamId) ?? []).filter((s) => s.version !== snapshot.version);
    list.push(structuredClone(snapshot));
    list.sort((a, b) => a.version - b.version);
    this.#byStream.set(snapshot.streamId, list);
  }

  async latest(streamId: string, maxVersion = Number.MAX_SAFE_INTEGER): Promise<StoredSnapshot | null> {
    const found = (this.#byStream.get(streamId) ?? []).filter((s) => s.version <= maxVersion).at(-1);
    return found === undefined ? null : structuredClone(found);
  }
}

type KeyRecord =
  | { readonly state: 'claimed'; readonly owner: string; readonly until: string; readonly expiresAt: string }
  | { readonly state: 'completed'; readonly owner: string; readonly stored: StoredOutcome; readonly expiresAt: string };

/** How often a claim also walks every record to drop the expired ones nobody asks for again. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Keys in a map. The in-memory event store completes a key in the same synchronous step as it appends the events
 * (`completeWith`), which is what makes both atomic here: no other call can run between them.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, KeyRecord>();
  #nextSweep = 0;

  async claim(key: string, lease: ClaimLease): Promise<Claim> {
    const now = Date.parse(lease.now);
    this.#sweep(now);
    const record = this.#records.get(key);
    const expired = record !== undefined && Date.parse(record.expiresAt) <= now;
    const free = record === undefined || expired || (record.state === 'claimed' && (record.owner === lease.owner || Date.parse(record.until) < now));
    if (free) {
      this.#records.set(key, { state: 'claimed', owner: lease.owner, until: lease.until, expiresAt: lease.expiresAt });
      return { status: 'claimed' };
    }
    return record.state === 'claimed' ? { status: 'in-progress' } : { status: 'completed', stored: structuredClone(record.stored) };
  }

  async complete(completion: IdempotencyCompletion): Promise<boolean> {
    return this.completeWith(completion);
  }

  /** Records the outcome if `completion.owner` holds the key; for the event store, in the same step as its append. */
  completeWith(completion: IdempotencyCompletion): boolean {
    if (!this.holds(completion.key, completion.owner)) return false;
    const { key, owner, fingerprint, outcome, expiresAt } = completion;
    this.#records.set(key, { state: 'completed', owner, stored: structuredClone({ fingerprint, outcome }), expiresAt });
    return true;
  }

  /** Whether `owner`'s claim (or its own completion, for an append sent again) is what the key holds. */
  holds(key: string, owner: string): boolean {
    return this.#records.get(key)?.owner === owner;
  }

  async release(key: string, owner: string): Promise<void> {
    const record = this.#records.get(key);
    if (record?.state === 'claimed' && record.owner === owner) this.#records.delete(key);
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + SWEEP_EVERY_MS;
    for (const [key, record] of this.#records) if (Date.parse(record.expiresAt) <= now) this.#records.delete(key);
  }
}

export class InMemoryCheckpointStore implements CheckpointStore {
  readonly #positions = new Map<string, { position: string; fence: number }>();

  async load(subscriber: string): Promise<string | null> {
    return this.#positions.get(subscriber)?.position ?? null;
  }

  async save(subscriber: string, position: string, fence?: number): Promise<void> {
    const saved = this.#positions.get(subscriber);
    if (fence !== undefined && saved !== undefined && saved.fence > fence) {
      throw new FencedOffError(`checkpoint ${subscriber} was saved under lease ${saved.fence}; lease ${fence} is no longer the holder's`);
    }
    this.#positions.set(subscriber, { position, fence: fence ?? saved?.fence ?? 0 });
  }

  async remove(subscriber: string): Promise<void> {
    this.#positions.delete(subscriber);
  }
}

export class InMemoryOrderReadModel implements OrderReadModel {
  readonly #orders = new Map<string, OrderSummary>();

  async upsert(summary: OrderSummary): Promise<void> {
    if ((this.#orders.get(summary.orderId)?.version ?? 0) >= summary.version) return;
    this.#orders.set(summary.orderId, { ...summary });
  }

  async get(orderId: string): Promise<OrderSummary | null> {
    const found = this.#orders.get(orderId);
    return found === undefined ? null : { ...found };
  }

  async getMany(orderIds: readonly string[]): Promise<Map<string, OrderSummary>> {
    const found = new Map<string, OrderSummary>();
    for (const orderId of orderIds) {
      const summary = this.#orders.get(orderId);
      if (summary !== undefined) found.set(orderId, { ...summary });
    }
    return found;
  }

  async upsertMany(summaries: readonly OrderSummary[]): Promise<void> {
    for (const summary of summaries) await this.upsert(summary);
  }

  async listByCustomer(customerId: string): Promise<OrderSummary[]> {
    return [...this.#orders.values()]
      .filter((order) => order.customerId === customerId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.orderId.localeCompare(b.orderId))
      .map((order) => ({ ...order }));
  }
}
