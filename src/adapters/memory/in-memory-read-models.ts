import type { AppliedVersions, InventoryLevel, InventoryLevelReadModel, ReadModelCatalog, ReadModelKind, SupportHistoryEntry, SupportHistoryReadModel } from '../../application/ports/read-models.js';
import { InMemoryOrderReadModel } from './in-memory-stores.js';

export class InMemoryInventoryLevels implements InventoryLevelReadModel {
  readonly #levels = new Map<string, InventoryLevel>();

  async upsert(level: InventoryLevel): Promise<void> {
    if ((this.#levels.get(level.sku)?.version ?? 0) >= level.version) return;
    this.#levels.set(level.sku, { ...level });
  }

  async get(sku: string): Promise<InventoryLevel | null> {
    const found = this.#levels.get(sku);
    return found === undefined ? null : { ...found };
  }

  async getMany(skus: readonly string[]): Promise<Map<string, InventoryLevel>> {
    const found = new Map<string, InventoryLevel>();
    for (const sku of skus) {
      const level = this.#levels.get(sku);
      if (level !== undefined) found.set(sku, { ...level });
    }
    return found;
  }

  async upsertMany(levels: readonly InventoryLevel[]): Promise<void> {
    for (const level of levels) await this.upsert(level);
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

  async addMany(entries: readonly SupportHistoryEntry[]): Promise<void> {
    for (const entry of entries) await this.add(entry);
  }

  async history(customerId: string): Promise<SupportHistoryEntry[]> {
    return [...this.#entries.values()].filter((entry) => entry.customerId === customerId).sort((a, b) => a.at.localeCompare(b.at)).map((entry) => ({ ...entry }));
  }

  async scrubContacts(customerId: string, summary: string): Promise<void> {
    for (const [eventId, entry] of this.#entries) if (entry.customerId === customerId && entry.kind === 'CONTACT') this.#entries.set(eventId, { ...entry, summary });
  }

  async link(from: string, to: string): Promise<void> {
    this.#links.set(from, to);
  }

  async resolve(from: string): Promise<string | null> {
    return this.#links.get(from) ?? null;
  }

  async linkMany(links: ReadonlyMap<string, string>): Promise<void> {
    for (const [from, to] of links) this.#links.set(from, to);
  }

  async resolveMany(from: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const key of from) {
      const to = this.#links.get(key);
      if (to !== undefined) found.set(key, to);
    }
    return found;
  }
}

export class InMemoryAppliedVersions implements AppliedVersions {
  readonly #versions = new Map<string, number>();

  async get(streamIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const streamId of streamIds) {
      const version = this.#versions.get(streamId);
      if (version !== undefined) found.set(streamId, version);
    }
    return found;
  }

  async set(versions: ReadonlyMap<string, number>): Promise<void> {
    for (const [streamId, version] of versions) this.#versions.set(streamId, version);
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

  appliedVersions(kind: ReadModelKind, generation: string): InMemoryAppliedVersions {
    return this.model(`${kind}-versions`, generation, () => new InMemoryAppliedVersions());
  }

  async drop(kind: ReadModelKind, generation: string): Promise<void> {
    this.#models.delete(`${kind}@${generation}`);
    this.#models.delete(`${kind}-versions@${generation}`);
  }

  private model<T>(kind: string, generation: string, create: () => T): T {
    const key = `${kind}@${generation}`;
    const existing = this.#models.get(key) as T | undefined;
    if (existing !== undefined) return existing;
    const created = create();
    this.#models.set(key, created);
    return created;
  }
}
