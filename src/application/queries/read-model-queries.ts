import { err, ok, type Result } from 'neverthrow';
import { domainError, INVENTORY_ERRORS, ORDER_ERRORS, type DomainError } from '../../domain/index.js';
import type { OrderReadModel, OrderSummary } from '../ports/order-read-model.js';
import type { InventoryLevel, InventoryLevelReadModel, SupportHistoryEntry, SupportHistoryReadModel } from '../ports/read-models.js';

/** Where the live generation of each read model is found (projections may switch generations on rebuild). */
export interface ReadModelSource {
  orders(): Promise<OrderReadModel>;
  inventory(): Promise<InventoryLevelReadModel>;
  support(): Promise<SupportHistoryReadModel>;
}

export class ReadModelQueries {
  constructor(private readonly source: ReadModelSource) {}

  async orderDetails(orderId: string): Promise<Result<OrderSummary, DomainError>> {
    const summary = await (await this.source.orders()).get(orderId);
    return summary === null ? err(domainError(ORDER_ERRORS.NOT_FOUND, `order ${orderId} is not known to the read model`)) : ok(summary);
  }

  async customerOrders(customerId: string): Promise<OrderSummary[]> {
    return (await this.source.orders()).listByCustomer(customerId);
  }

  async inventoryLevel(sku: string): Promise<Result<InventoryLevel, DomainError>> {
    const level = await (await this.source.inventory()).get(sku);
    return level === null ? err(domainError(INVENTORY_ERRORS.NOT_FOUND, `SKU ${sku} is not known to the read model`)) : ok(level);
  }

  async inventoryLevels(): Promise<InventoryLevel[]> {
    return (await this.source.inventory()).list();
  }

  async supportHistory(customerId: string): Promise<SupportHistoryEntry[]> {
    return (await this.source.support()).history(customerId);
  }
}
