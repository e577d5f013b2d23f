import type { InventoryLevel, InventoryLevelReadModel, ReadModelCatalog, ReadModelKind, SupportHistoryEntry, SupportHistoryReadModel } from '../../application/ports/read-models.js';
import { InMemoryOrderReadModel } from './in-memory-stores.js';

export class InMemoryInventoryLevels implements InventoryLevelReadModel {
  readonly #levels = new Map<string, InventoryLevel>();

  async upsert(level: InventoryLevel): Promise<void> {
    this.#levels.set(level.sku, { ...level });
  }

  async get(sku: string): Promise<InventoryLevel | null> {
    const found = this.#levels.get(sku);
    return found === undefined ? null : { ...found };
  }

  async list(): Promise<InventoryLevel[]> {
    return [...this.#levels.values()].sort((a, b) => a.sku.localeCompare(b.sku)).map((level) => ({ ...level }));
  }
}

export class InMemorySupportHistory implements SupportHistoryReadModel {
  readonly #entries = new Map<string, SupportHistoryEntry>();
  readonly #links = new Map<string, string>();

  async add(entry: SupportHistoryEntry): Promise<void> {
    if (!this.#entries.has(entry.eventId)) this.#entries.set(entry.eventId, { ...entry });
  }

  async history(customerId: string): Promise<SupportHistoryEntry[]> {
    return [...this.#entries.values()].filter((entry) => entry.customerId === customerId).sort((a, b) => a.at.localeCompare(b.at)).map((entry) => ({ ...entry }));
  }

  async link(from: string, to: string): Promise<void> {
    this.#links.set(from, to);
  }

  async resolve(from: string): Promise<string | null> {
    return this.#links.get(from) ?? null;
  }
}

/** Read models by generation, all in the process. */
export class InMemoryReadModelCatalog implements ReadModelCatalog {
  readonly #models = new Map<string, unknown>();

  orders(generation: string): InMemoryOrderReadModel {
    return this.model('orders', generation, () => new InMemoryOrderReadModel());
  }

  inventory(generation: string): InMemoryInventoryLevels {
    return this.model('inventory', generation, () => new InMemoryInventoryLevels());
  }

  support(generation: string): InMemorySupportHistory {
    return this.model('support', generation, () => new InMemorySupportHistory());
  }

  async drop(kind: ReadModelKind, generation: string): Promise<void> {
    this.#models.delete(`${kind}@${generation}`);
  }

  private model<T>(kind: ReadModelKind, generation: string, create: () => T): T {
    const key = `${kind}@${generation}`;
    const existing = this.#models.get(key) as T | undefined;
    if (existing !== undefined) return existing;
    const created = create();
    this.#models.set(key, created);
    return created;
  }
}
