import type { OrderReadModel, OrderSummary } from '../../application/ports/order-read-model.js';
import type {
  InventoryLevel,
  InventoryLevelReadModel,
  ReadModelCatalog,
  ReadModelKind,
  SupportHistoryEntry,
  SupportHistoryKind,
  SupportHistoryReadModel,
} from '../../application/ports/read-models.js';
import { DROP_VERSIONS, PostgresAppliedVersions } from './postgres-applied-versions.js';
import type { SqlDriver, Statement } from './sql-driver.js';

const ORDER_COLUMNS = 'order_id, customer_id, status, total_amount, currency, item_count, created_at, last_updated, version';
const UPSERT_ORDER: Statement = {
  name: 'rm_upsert_order',
  text: `INSERT INTO rm_order_summaries (generation, ${ORDER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (generation, order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, status = EXCLUDED.status,
           total_amount = EXCLUDED.total_amount, currency = EXCLUDED.currency, item_count = EXCLUDED.item_count,
           created_at = EXCLUDED.created_at, last_updated = EXCLUDED.last_updated, version = EXCLUDED.version
         WHERE rm_order_summaries.version < EXCLUDED.version`,
};
// A batch travels as one array per column: one statement, one round trip, whatever the batch's size.
const UPSERT_ORDERS: Statement = {
  name: 'rm_upsert_orders',
  text: `INSERT INTO rm_order_summaries (generation, ${ORDER_COLUMNS})
         SELECT $1, o.* FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::integer[], $8::text[], $9::text[], $10::integer[])
           AS o (order_id, customer_id, status, total_amount, currency, item_count, created_at, last_updated, version)
         ON CONFLICT (generation, order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, status = EXCLUDED.status,
           total_amount = EXCLUDED.total_amount, currency = EXCLUDED.currency, item_count = EXCLUDED.item_count,
           created_at = EXCLUDED.created_at, last_updated = EXCLUDED.last_updated, version = EXCLUDED.version
         WHERE rm_order_summaries.version < EXCLUDED.version`,
};
const GET_ORDERS: Statement = {
  name: 'rm_get_orders',
  text: `SELECT r.* FROM unnest($2::text[]) AS k (id) CROSS JOIN LATERAL (SELECT ${ORDER_COLUMNS} FROM rm_order_summaries WHERE generation = $1 AND order_id = k.id LIMIT 1) r`,
};
const GET_ORDER: Statement = { name: 'rm_get_order', text: `SELECT ${ORDER_COLUMNS} FROM rm_order_summaries WHERE generation = $1 AND order_id = $2` };
const CUSTOMER_ORDERS: Statement = {
  name: 'rm_customer_orders',
  text: `SELECT ${ORDER_COLUMNS} FROM rm_order_summaries WHERE generation = $1 AND customer_id = $2 ORDER BY created_at, order_id`,
};

interface OrderRow {
  readonly order_id: string;
  readonly customer_id: string;
  readonly status: string;
  readonly total_amount: unknown;
  readonly currency: string;
  readonly item_count: number;
  readonly created_at: string;
  readonly last_updated: string;
  readonly version: number;
}

const toSummary = (row: OrderRow): OrderSummary => ({
  orderId: row.order_id,
  customerId: row.customer_id,
  status: row.status,
  totalAmount: Number(row.total_amount),
  currency: row.currency,
  itemCount: row.item_count,
  createdAt: row.created_at,
  lastUpdated: row.last_updated,
  version: row.version,
});

/** The ADR's order summary and customer orders views: one table, indexed by customer. */
export class PostgresOrderReadModel implements OrderReadModel {
  constructor(
    private readonly db: SqlDriver,
    private readonly generation: string,
  ) {}

  async upsert(s: OrderSummary): Promise<void> {
    await this.db.query(UPSERT_ORDER, [this.generation, s.orderId, s.customerId, s.status, s.totalAmount, s.currency, s.itemCount, s.createdAt, s.lastUpdated, s.version]);
  }

  async get(orderId: string): Promise<OrderSummary | null> {
    const [row] = await this.db.query<OrderRow>(GET_ORDER, [this.generation, orderId]);
    return row === undefined ? null : toSummary(row);
  }

  async getMany(orderIds: readonly string[]): Promise<Map<string, OrderSummary>> {
    if (orderIds.length === 0) return new Map();
    const rows = await this.db.query<OrderRow>(GET_ORDERS, [this.generation, [...orderIds]]);
    return new Map(rows.map((row) => [row.order_id, toSummary(row)]));
  }

  async upsertMany(summaries: readonly OrderSummary[]): Promise<void> {
    if (summaries.length === 0) return;
    const column = <T>(pick: (s: OrderSummary) => T): T[] => summaries.map(pick);
    await this.db.query(UPSERT_ORDERS, [
      this.generation,
      column((s) => s.orderId),
      column((s) => s.customerId),
      column((s) => s.status),
      column((s) => s.totalAmount),
      column((s) => s.currency),
      column((s) => s.itemCount),
      column((s) => s.createdAt),
      column((s) => s.lastUpdated),
      column((s) => s.version),
    ]);
  }

  async listByCustomer(customerId: string): Promise<OrderSummary[]> {
    return (await this.db.query<OrderRow>(CUSTOMER_ORDERS, [this.generation, customerId])).map(toSummary);
  }
}

const LEVEL_COLUMNS = 'sku, on_hand, reserved, allocated, available, version, last_updated';
const UPSERT_LEVEL: Statement = {
  name: 'rm_upsert_level',
  text: `INSERT INTO rm_inventory_levels (generation, ${LEVEL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (generation, sku) DO UPDATE SET on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved, allocated = EXCLUDED.allocated,
           available = EXCLUDED.available, version = EXCLUDED.version, last_updated = EXCLUDED.last_updated
         WHERE rm_inventory_levels.version < EXCLUDED.version`,
};
const UPSERT_LEVELS: Statement = {
  name: 'rm_upsert_levels',
  text: `INSERT INTO rm_inventory_levels (generation, ${LEVEL_COLUMNS})
         SELECT $1, l.* FROM unnest($2::text[], $3::integer[], $4::integer[], $5::integer[], $6::integer[], $7::integer[], $8::text[])
           AS l (sku, on_hand, reserved, allocated, available, version, last_updated)
         ON CONFLICT (generation, sku) DO UPDATE SET on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved, allocated = EXCLUDED.allocated,
           available = EXCLUDED.available, version = EXCLUDED.version, last_updated = EXCLUDED.last_updated
         WHERE rm_inventory_levels.version < EXCLUDED.version`,
};
const GET_LEVELS: Statement = {
  name: 'rm_get_levels',
  text: `SELECT r.* FROM unnest($2::text[]) AS k (id) CROSS JOIN LATERAL (SELECT ${LEVEL_COLUMNS} FROM rm_inventory_levels WHERE generation = $1 AND sku = k.id LIMIT 1) r`,
};
const GET_LEVEL: Statement = { name: 'rm_get_level', text: `SELECT ${LEVEL_COLUMNS} FROM rm_inventory_levels WHERE generation = $1 AND sku = $2` };
const LIST_LEVELS: Statement = { name: 'rm_list_levels', text: `SELECT ${LEVEL_COLUMNS} FROM rm_inventory_levels WHERE generation = $1 ORDER BY sku` };

interface LevelRow {
  readonly sku: string;
  readonly on_hand: number;
  readonly reserved: number;
  readonly allocated: number;
  readonly available: number;
  readonly version: number;
  readonly last_updated: string;
}

const toLevel = (row: LevelRow): InventoryLevel => ({
  sku: row.sku,
  onHand: row.on_hand,
  reserved: row.reserved,
  allocated: row.allocated,
  available: row.available,
  version: row.version,
  lastUpdated: row.last_updated,
});

export class PostgresInventoryLevels implements InventoryLevelReadModel {
  constructor(
    private readonly db: SqlDriver,
    private readonly generation: string,
  ) {}

  async upsert(l: InventoryLevel): Promise<void> {
    await this.db.query(UPSERT_LEVEL, [this.generation, l.sku, l.onHand, l.reserved, l.allocated, l.available, l.version, l.lastUpdated]);
  }

  async get(sku: string): Promise<InventoryLevel | null> {
    const [row] = await this.db.query<LevelRow>(GET_LEVEL, [this.generation, sku]);
    return row === undefined ? null : toLevel(row);
  }

  async getMany(skus: readonly string[]): Promise<Map<string, InventoryLevel>> {
    if (skus.length === 0) return new Map();
    const rows = await this.db.query<LevelRow>(GET_LEVELS, [this.generation, [...skus]]);
    return new Map(rows.map((row) => [row.sku, toLevel(row)]));
  }

  async upsertMany(levels: readonly InventoryLevel[]): Promise<void> {
    if (levels.length === 0) return;
    const column = <T>(pick: (l: InventoryLevel) => T): T[] => levels.map(pick);
    await this.db.query(UPSERT_LEVELS, [
      this.generation,
      column((l) => l.sku),
      column((l) => l.onHand),
      column((l) => l.reserved),
      column((l) => l.allocated),
      column((l) => l.available),
      column((l) => l.version),
      column((l) => l.lastUpdated),
    ]);
  }

  async list(): Promise<InventoryLevel[]> {
    return (await this.db.query<LevelRow>(LIST_LEVELS, [this.generation])).map(toLevel);
  }
}

const ENTRY_COLUMNS = 'customer_id, event_id, at, kind, event_type, stream_id, summary';
const ADD_ENTRY: Statement = {
  name: 'rm_add_support_entry',
  text: `INSERT INTO rm_support_history (generation, ${ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (generation, event_id) DO NOTHING`,
};
const HISTORY: Statement = {
  name: 'rm_support_history',
  text: `SELECT ${ENTRY_COLUMNS} FROM rm_support_history WHERE generation = $1 AND customer_id = $2 ORDER BY at, event_id`,
};
const SCRUB_CONTACTS: Statement = {
  name: 'rm_support_scrub_contacts',
  text: `UPDATE rm_support_history SET summary = $3 WHERE generation = $1 AND customer_id = $2 AND kind = 'CONTACT'`,
};
const LINK: Statement = {
  name: 'rm_support_link',
  text: 'INSERT INTO rm_support_links (generation, from_id, to_id) VALUES ($1, $2, $3) ON CONFLICT (generation, from_id) DO UPDATE SET to_id = EXCLUDED.to_id',
};
const RESOLVE: Statement = { name: 'rm_support_resolve', text: 'SELECT to_id FROM rm_support_links WHERE generation = $1 AND from_id = $2' };
const ADD_ENTRIES: Statement = {
  name: 'rm_add_support_entries',
  text: `INSERT INTO rm_support_history (generation, ${ENTRY_COLUMNS})
         SELECT $1, e.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           AS e (customer_id, event_id, at, kind, event_type, stream_id, summary)
         ON CONFLICT (generation, event_id) DO NOTHING`,
};
const LINK_MANY: Statement = {
  name: 'rm_support_link_many',
  text: `INSERT INTO rm_support_links (generation, from_id, to_id) SELECT $1, l.* FROM unnest($2::text[], $3::text[]) AS l (from_id, to_id)
         ON CONFLICT (generation, from_id) DO UPDATE SET to_id = EXCLUDED.to_id`,
};
// Key by key through the primary key, as GET_ORDERS: `from_id = ANY($2)` is planned as a filter over the whole generation.
const RESOLVE_MANY: Statement = {
  name: 'rm_support_resolve_many',
  text: 'SELECT k.id AS from_id, r.to_id FROM unnest($2::text[]) AS k (id) CROSS JOIN LATERAL (SELECT to_id FROM rm_support_links WHERE generation = $1 AND from_id = k.id LIMIT 1) r',
};

interface EntryRow {
  readonly customer_id: string;
  readonly event_id: string;
  readonly at: string;
  readonly kind: SupportHistoryKind;
  readonly event_type: string;
  readonly stream_id: string;
  readonly summary: string;
}

export class PostgresSupportHistory implements SupportHistoryReadModel {
  constructor(
    private readonly db: SqlDriver,
    private readonly generation: string,
  ) {}

  async add(e: SupportHistoryEntry): Promise<void> {
    await this.db.query(ADD_ENTRY, [this.generation, e.customerId, e.eventId, e.at, e.kind, e.eventType, e.streamId, e.summary]);
  }

  async addMany(entries: readonly SupportHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One row per event id, the first kept, as `add` one by one would.
    const firsts = new Map<string, SupportHistoryEntry>();
    for (const entry of entries) if (!firsts.has(entry.eventId)) firsts.set(entry.eventId, entry);
    const column = (pick: (e: SupportHistoryEntry) => string): string[] => [...firsts.values()].map(pick);
    await this.db.query(ADD_ENTRIES, [
      this.generation,
      column((e) => e.customerId),
      column((e) => e.eventId),
      column((e) => e.at),
      column((e) => e.kind),
      column((e) => e.eventType),
      column((e) => e.streamId),
      column((e) => e.summary),
    ]);
  }

  async history(customerId: string): Promise<SupportHistoryEntry[]> {
    const rows = await this.db.query<EntryRow>(HISTORY, [this.generation, customerId]);
    return rows.map((row) => ({
      customerId: row.customer_id,
      eventId: row.event_id,
      at: row.at,
      kind: row.kind,
      eventType: row.event_type,
      streamId: row.stream_id,
      summary: row.summary,
    }));
  }

  async scrubContacts(customerId: string, summary: string): Promise<void> {
    await this.db.query(SCRUB_CONTACTS, [this.generation, customerId, summary]);
  }

  async link(from: string, to: string): Promise<void> {
    await this.db.query(LINK, [this.generation, from, to]);
  }

  async resolve(from: string): Promise<string | null> {
    const [row] = await this.db.query<{ to_id: string }>(RESOLVE, [this.generation, from]);
    return row?.to_id ?? null;
  }

  async linkMany(links: ReadonlyMap<string, string>): Promise<void> {
    if (links.size === 0) return;
    await this.db.query(LINK_MANY, [this.generation, [...links.keys()], [...links.values()]]);
  }

  async resolveMany(from: readonly string[]): Promise<Map<string, string>> {
    if (from.length === 0) return new Map();
    const rows = await this.db.query<{ from_id: string; to_id: string }>(RESOLVE_MANY, [this.generation, [...new Set(from)]]);
    return new Map(rows.map((row) => [row.from_id, row.to_id]));
  }
}

const TABLES_OF: Readonly<Record<ReadModelKind, readonly string[]>> = {
  orders: ['rm_order_summaries'],
  inventory: ['rm_inventory_levels'],
  support: ['rm_support_history', 'rm_support_links'],
};

/** Read models by generation: a generation is a key column, so a rebuild never needs DDL. */
export class PostgresReadModelCatalog implements ReadModelCatalog {
  constructor(private readonly db: SqlDriver) {}

  orders(generation: string): PostgresOrderReadModel {
    return new PostgresOrderReadModel(this.db, generation);
  }

  inventory(generation: string): PostgresInventoryLevels {
    return new PostgresInventoryLevels(this.db, generation);
  }

  support(generation: string): PostgresSupportHistory {
    return new PostgresSupportHistory(this.db, generation);
  }

  appliedVersions(kind: ReadModelKind, generation: string): PostgresAppliedVersions {
    return new PostgresAppliedVersions(this.db, kind, generation);
  }

  async drop(kind: ReadModelKind, generation: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const table of TABLES_OF[kind]) await tx.query(`DELETE FROM ${table} WHERE generation = $1`, [generation]);
      await tx.query(DROP_VERSIONS, [kind, generation]);
    });
  }
}
