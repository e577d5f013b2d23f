import type { OrderReadModel, OrderSummary } from '../../src/application/ports/order-read-model.js';
import type { AppliedVersions, InventoryLevelReadModel, ReadModelCatalog, ReadModelKind, SupportHistoryReadModel } from '../../src/application/ports/read-models.js';

/** An order read model that reports the moment each row is written, i.e. from when a reader can see it. */
class ObservedOrders implements OrderReadModel {
  constructor(
    private readonly inner: OrderReadModel,
    private readonly onVisible: (orderId: string) => void,
  ) {}

  async upsert(summary: OrderSummary): Promise<void> {
    await this.inner.upsert(summary);
    this.onVisible(summary.orderId);
  }

  async upsertMany(summaries: readonly OrderSummary[]): Promise<void> {
    await this.inner.upsertMany(summaries);
    for (const summary of summaries) this.onVisible(summary.orderId);
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

/** The adapter's catalog, with its order read models observed. */
export class ObservedCatalog implements ReadModelCatalog {
  constructor(
    private readonly inner: ReadModelCatalog,
    private readonly onVisible: (orderId: string) => void,
  ) {}

  orders(generation: string): OrderReadModel {
    return new ObservedOrders(this.inner.orders(generation), this.onVisible);
  }

  inventory(generation: string): InventoryLevelReadModel {
    return this.inner.inventory(generation);
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
