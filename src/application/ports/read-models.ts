import type { OrderReadModel } from './order-read-model.js';

export interface InventoryLevel {
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly allocated: number;
  readonly available: number;
  /** The stream version this row reflects. */
  readonly version: number;
  readonly lastUpdated: string;
}

export interface InventoryLevelReadModel {
  /** Keeps the newer row: one already at this version or later is left as it is. */
  upsert(level: InventoryLevel): Promise<void>;
  get(sku: string): Promise<InventoryLevel | null>;
  /** A batch's rows in one read: the SKUs found (absent ones are missing from the map). */
  getMany(skus: readonly string[]): Promise<Map<string, InventoryLevel>>;
  /** A batch's rows in one write where the store allows it, each keeping the newer row; one row per SKU. */
  upsertMany(levels: readonly InventoryLevel[]): Promise<void>;
  list(): Promise<InventoryLevel[]>;
}

export type SupportHistoryKind = 'ORDER' | 'PAYMENT' | 'CONTACT' | 'ACCOUNT';

/** One line of a customer's history: what happened, when, and which event says so. */
export interface SupportHistoryEntry {
  readonly customerId: string;
  readonly eventId: string;
  readonly at: string;
  readonly kind: SupportHistoryKind;
  readonly eventType: string;
  readonly streamId: string;
  readonly summary: string;
}

export interface SupportHistoryReadModel {
  /** Adds an entry; an entry with a known event id is ignored (re-delivery). */
  add(entry: SupportHistoryEntry): Promise<void>;
  /** In time order. */
  history(customerId: string): Promise<SupportHistoryEntry[]>;
  /** GDPR erasure: every CONTACT entry of the customer gets `summary` in place of the text it held (the only personal data kept here). */
  scrubContacts(customerId: string, summary: string): Promise<void>;
  /** A batch's entries in one write where the store allows it; as with `add`, an event's entry is never there twice. */
  addMany(entries: readonly SupportHistoryEntry[]): Promise<void>;
  /** The projection's own lookups (order -> customer, payment -> order): payments name orders, not customers. */
  link(from: string, to: string): Promise<void>;
  resolve(from: string): Promise<string | null>;
  /** A batch's links in one write where the store allows it, each as `link`. */
  linkMany(links: ReadonlyMap<string, string>): Promise<void>;
  /** A batch's lookups in one read where the store allows it: the keys known (unknown ones are missing from the map). */
  resolveMany(from: readonly string[]): Promise<Map<string, string>>;
}

/**
 * The last version of each stream one generation of a read model has applied: how a projection notices
 * a version that jumps ahead (a hole) and skips a re-delivered one, on feeds that promise per-stream
 * order only.
 */
export interface AppliedVersions {
  /** Known streams only: a stream never applied is absent from the map. */
  get(streamIds: readonly string[]): Promise<Map<string, number>>;
  /** Records each stream's last applied version (callers only ever raise it). */
  set(versions: ReadonlyMap<string, number>): Promise<void>;
}

/**
 * Read models by generation: a rebuild fills a fresh generation while the live one keeps serving,
 * then the projection switches to it and the old one is dropped.
 */
export interface ReadModelCatalog {
  orders(generation: string): OrderReadModel;
  inventory(generation: string): InventoryLevelReadModel;
  support(generation: string): SupportHistoryReadModel;
  appliedVersions(kind: ReadModelKind, generation: string): AppliedVersions;
  /**
   * The same read models, for a writer that is the only one of its generation (a rebuild scanning the archive
   * into a fresh generation, under its lease): rows may go without the keep-the-newer-row check, where that
   * check costs a request per row (DynamoDB). Absent where it would change nothing.
   */
  soleWriter?(): ReadModelCatalog;
  /** Drops the generation's rows and its applied versions. */
  drop(kind: ReadModelKind, generation: string): Promise<void>;
}

export type ReadModelKind = 'orders' | 'inventory' | 'support';
