import type { OrderCreated } from '../../domain/index.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { OrderReadModel } from '../ports/order-read-model.js';
import type { Projection } from './projection.js';

const STATUS_BY_EVENT: Readonly<Record<string, string>> = {
  OrderConfirmed: 'CONFIRMED',
  OrderShipped: 'SHIPPED',
  OrderDelivered: 'DELIVERED',
  OrderCancelled: 'CANCELLED',
  OrderReturned: 'RETURNED',
};

const orderIdOf = (streamId: string): string => streamId.slice('Order-'.length);

/** The ADR's order summary and customer orders, kept from Order events (expects them upcast). */
export class OrderSummaryProjection implements Projection {
  readonly name = 'order-summary';
  readonly handles: ReadonlySet<string> = new Set(['OrderCreated', ...Object.keys(STATUS_BY_EVENT)]);

  constructor(private readonly readModel: OrderReadModel) {}

  async apply(event: EventEnvelope): Promise<void> {
    const orderId = orderIdOf(event.streamId);
    if (event.type === 'OrderCreated') {
      const data = event.data as OrderCreated['data'];
      const existing = await this.readModel.get(orderId);
      if (existing !== null) return;
      await this.readModel.upsert({
        orderId,
        customerId: data.customerId,
        status: 'CREATED',
        totalAmount: data.totalAmount,
        currency: data.currency,
        itemCount: data.lines.reduce((sum, line) => sum + line.quantity, 0),
        createdAt: event.occurredAt,
        lastUpdated: event.occurredAt,
        version: event.version,
      });
      return;
    }
    const status = STATUS_BY_EVENT[event.type];
    if (status === undefined) return;
    const current = await this.readModel.get(orderId);
    // Re-delivered or already-applied events leave the row as it is.
    if (current === null || current.version >= event.version) return;
    await this.readModel.upsert({ ...current, status, lastUpdated: event.occurredAt, version: event.version });
  }
}
