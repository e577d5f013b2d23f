import { FencedOffError, type CheckpointStore } from '../../application/ports/checkpoint-store.js';
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

export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, StoredOutcome | { owner: string; until: string }>();

  async claim(key: string, lease: ClaimLease): Promise<Claim> {
    const entry = this.#entries.get(key);
    const free = entry === undefined || ('until' in entry && (entry.owner === lease.owner || Date.parse(entry.until) < Date.parse(lease.now)));
    if (free) {
      this.#entries.set(key, { owner: lease.owner, until: lease.until });
      return { status: 'claimed' };
    }
    return 'until' in entry ? { status: 'in-progress' } : { status: 'completed', stored: structuredClone(entry) };
  }

  async complete(key: string, stored: StoredOutcome): Promise<void> {
    this.#entries.set(key, structuredClone(stored));
  }

  async release(key: string): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry !== undefined && 'until' in entry) this.#entries.delete(key);
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
