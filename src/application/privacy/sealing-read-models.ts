import { ERASED } from '../../domain/index.js';
import type { OrderReadModel } from '../ports/order-read-model.js';
import type { ProjectionScope, ProjectionTransactions } from '../ports/projection-transactions.js';
import type { AppliedVersions, InventoryLevelReadModel, ReadModelCatalog, ReadModelKind, SupportHistoryEntry, SupportHistoryReadModel } from '../ports/read-models.js';
import type { PersonalDataCodec } from './personal-data-codec.js';

/**
 * A contact's summary is the one piece of personal data a read model holds: it is written sealed with the customer's
 * key, so no plaintext reaches the store (nor its write-ahead log, nor its backups), and opened when read. Once the
 * customer is erased it reads as ERASED at once; the projection's scrub then drops the ciphertext too.
 */
class SealingSupportHistory implements SupportHistoryReadModel {
  constructor(
    private readonly inner: SupportHistoryReadModel,
    private readonly codec: PersonalDataCodec,
  ) {}

  async #seal(entry: SupportHistoryEntry): Promise<SupportHistoryEntry> {
    if (entry.kind !== 'CONTACT' || entry.summary === ERASED) return entry;
    return { ...entry, summary: await this.codec.seal(entry.customerId, entry.summary) };
  }

  async add(entry: SupportHistoryEntry): Promise<void> {
    await this.inner.add(await this.#seal(entry));
  }

  async addMany(entries: readonly SupportHistoryEntry[]): Promise<void> {
    await this.inner.addMany(await Promise.all(entries.map((entry) => this.#seal(entry))));
  }

  async history(customerId: string): Promise<SupportHistoryEntry[]> {
    return Promise.all((await this.inner.history(customerId)).map(async (entry) => ({ ...entry, summary: await this.codec.open(entry.summary) })));
  }

  scrubContacts(customerId: string, summary: string): Promise<void> {
    return this.inner.scrubContacts(customerId, summary);
  }

  link(from: string, to: string): Promise<void> {
    return this.inner.link(from, to);
  }

  resolve(from: string): Promise<string | null> {
    return this.inner.resolve(from);
  }

  linkMany(links: ReadonlyMap<string, string>): Promise<void> {
    return this.inner.linkMany(links);
  }

  resolveMany(from: readonly string[]): Promise<Map<string, string>> {
    return this.inner.resolveMany(from);
  }
}

/** The store's read models with support contacts sealed; the others hold no personal data and pass through. */
export class SealingReadModelCatalog implements ReadModelCatalog {
  readonly soleWriter?: () => ReadModelCatalog;

  constructor(
    private readonly catalog: ReadModelCatalog,
    private readonly codec: PersonalDataCodec,
  ) {
    const soleWriter = catalog.soleWriter?.bind(catalog);
    if (soleWriter !== undefined) this.soleWriter = () => new SealingReadModelCatalog(soleWriter(), codec);
  }

  orders(generation: string): OrderReadModel {
    return this.catalog.orders(generation);
  }

  inventory(generation: string): InventoryLevelReadModel {
    return this.catalog.inventory(generation);
  }

  support(generation: string): SupportHistoryReadModel {
    return new SealingSupportHistory(this.catalog.support(generation), this.codec);
  }

  appliedVersions(kind: ReadModelKind, generation: string): AppliedVersions {
    return this.catalog.appliedVersions(kind, generation);
  }

  drop(kind: ReadModelKind, generation: string): Promise<void> {
    return this.catalog.drop(kind, generation);
  }
}

/** The read models a projection writes inside the store's transaction, sealed the same way. */
export class SealingProjectionTransactions implements ProjectionTransactions {
  constructor(
    private readonly transactions: ProjectionTransactions,
    private readonly codec: PersonalDataCodec,
  ) {}

  run<T>(work: (scope: ProjectionScope) => Promise<T>): Promise<T> {
    return this.transactions.run((scope) => work({ ...scope, catalog: new SealingReadModelCatalog(scope.catalog, this.codec) }));
  }
}
