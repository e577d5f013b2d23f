import { streamIdOf } from '../../src/application/events/envelope.js';
import type { OrderReadModel, OrderSummary } from '../../src/application/ports/order-read-model.js';
import type { ProjectionScope, ProjectionTransactions } from '../../src/application/ports/projection-transactions.js';
import type { AppliedVersions, InventoryLevel, InventoryLevelReadModel, ReadModelCatalog, ReadModelKind, SupportHistoryReadModel } from '../../src/application/ports/read-models.js';
import { Inventory, Order } from '../../src/domain/index.js';

/** Rows written: the stream each row is kept from, and the version it reflects. */
export type RowsWritten = (rows: readonly { readonly streamId: string; readonly version: number }[]) => void;

const orderRows = (summaries: readonly OrderSummary[]) => summaries.map((summary) => ({ streamId: streamIdOf(Order.type, summary.orderId), version: summary.version }));
const inventoryRows = (levels: readonly InventoryLevel[]) => levels.map((level) => ({ streamId: streamIdOf(Inventory.type, level.sku), version: level.version }));

class WatchedOrders implements OrderReadModel {
  constructor(
    private readonly inner: OrderReadModel,
    private readonly written: RowsWritten,
  ) {}

  async upsert(summary: OrderSummary): Promise<void> {
    await this.inner.upsert(summary);
    this.written(orderRows([summary]));
  }

  async upsertMany(summaries: readonly OrderSummary[]): Promise<void> {
    await this.inner.upsertMany(summaries);
    this.written(orderRows(summaries));
  }

  get(orderId: string): Promise<OrderSummary | null> {
    return this.inner.get(orderId);
  }

  getMany(orderIds: readonly string[]): Promise<Map<string, OrderSummary>> {
    return this.inner.getMany(orderIds);
  }

  listByCustomer(customerId: string): Promise<OrderSummary[]> {
    return this.inner.listByCustomer(customerId);
  }
}

class WatchedInventory implements InventoryLevelReadModel {
  constructor(
    private readonly inner: InventoryLevelReadModel,
    private readonly written: RowsWritten,
  ) {}

  async upsert(level: InventoryLevel): Promise<void> {
    await this.inner.upsert(level);
    this.written(inventoryRows([level]));
  }

  async upsertMany(levels: readonly InventoryLevel[]): Promise<void> {
    await this.inner.upsertMany(levels);
    this.written(inventoryRows(levels));
  }

  get(sku: string): Promise<InventoryLevel | null> {
    return this.inner.get(sku);
  }

  getMany(skus: readonly string[]): Promise<Map<string, InventoryLevel>> {
    return this.inner.getMany(skus);
  }

  list(): Promise<InventoryLevel[]> {
    return this.inner.list();
  }
}

/** The adapter's catalog, reporting each order-summary and inventory row it writes (outside a transaction: visible at once). */
export class WatchedCatalog implements ReadModelCatalog {
  constructor(
    private readonly inner: ReadModelCatalog,
    private readonly written: RowsWritten,
  ) {}

  orders(generation: string): OrderReadModel {
    return new WatchedOrders(this.inner.orders(generation), this.written);
  }

  inventory(generation: string): InventoryLevelReadModel {
    return new WatchedInventory(this.inner.inventory(generation), this.written);
  }

  support(generation: string): SupportHistoryReadModel {
    return this.inner.support(generation);
  }

  appliedVersions(kind: ReadModelKind, generation: string): AppliedVersions {
    return this.inner.appliedVersions(kind, generation);
  }

  drop(kind: ReadModelKind, generation: string): Promise<void> {
    return this.inner.drop(kind, generation);
  }
}

/** The store's projection transactions, reporting the rows a batch wrote once the batch has committed (visible from then on). */
export class WatchedTransactions implements ProjectionTransactions {
  constructor(
    private readonly inner: ProjectionTransactions,
    private readonly written: RowsWritten,
  ) {}

  async run<T>(work: (scope: ProjectionScope) => Promise<T>): Promise<T> {
    const rows: { streamId: string; version: number }[] = [];
    const result = await this.inner.run((scope) => work({ ...scope, catalog: new WatchedCatalog(scope.catalog, (batch) => rows.push(...batch)) }));
    this.written(rows);
    return result;
  }
}
