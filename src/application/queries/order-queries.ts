import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../../domain/index.js';
import type { OrderReadModel, OrderSummary } from '../ports/order-read-model.js';

export class OrderQueries {
  constructor(private readonly readModel: OrderReadModel) {}

  async orderDetails(orderId: string): Promise<Result<OrderSummary, DomainError>> {
    const summary = await this.readModel.get(orderId);
    return summary === null ? err(domainError('ORDER.NOT_FOUND', `order ${orderId} is not known to the read model`)) : ok(summary);
  }

  customerOrders(customerId: string): Promise<OrderSummary[]> {
    return this.readModel.listByCustomer(customerId);
  }
}
