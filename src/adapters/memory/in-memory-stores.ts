import type { CheckpointStore } from '../../application/ports/checkpoint-store.js';
import type { Claim, IdempotencyStore, StoredOutcome } from '../../application/ports/idempotency-store.js';
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
  readonly #entries = new Map<string, StoredOutcome | 'in-progress'>();

  async claim(key: string): Promise<Claim> {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#entries.set(key, 'in-progress');
      return { status: 'claimed' };
    }
    return entry === 'in-progress' ? { status: 'in-progress' } : { status: 'completed', stored: structuredClone(entry) };
  }

  async complete(key: string, stored: StoredOutcome): Promise<void> {
    this.#entries.set(key, structuredClone(stored));
  }

  async release(key: string): Promise<void> {
    if (this.#entries.get(key) === 'in-progress') this.#entries.delete(key);
  }
}

export class InMemoryCheckpointStore implements CheckpointStore {
  readonly #positions = new Map<string, string>();

  async load(subscriber: string): Promise<string | null> {
    return this.#positions.get(subscriber) ?? null;
  }

  async save(subscriber: string, position: string): Promise<void> {
    this.#positions.set(subscriber, position);
  }
}

export class InMemoryOrderReadModel implements OrderReadModel {
  readonly #orders = new Map<string, OrderSummary>();

  async upsert(summary: OrderSummary): Promise<void> {
    this.#orders.set(summary.orderId, { ...summary });
  }

  async get(orderId: string): Promise<OrderSummary | null> {
    const found = this.#orders.get(orderId);
    return found === undefined ? null : { ...found };
  }

  async listByCustomer(customerId: string): Promise<OrderSummary[]> {
    return [...this.#orders.values()]
      .filter((order) => order.customerId === customerId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.orderId.localeCompare(b.orderId))
      .map((order) => ({ ...order }));
  }
}
