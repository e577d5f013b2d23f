import type { OrderCreated } from '../../domain/index.js';
import type { OrderReadModel } from '../ports/order-read-model.js';
import { aggregateIdOf, type ProjectionDefinition } from './projection.js';

const STATUS_BY_EVENT: Readonly<Record<string, string>> = {
  OrderConfirmed: 'CONFIRMED',
  OrderShipped: 'SHIPPED',
  OrderDelivered: 'DELIVERED',
  OrderCancelled: 'CANCELLED',
  OrderReturned: 'RETURNED',
};

/** The ADR's order summary and customer orders views, kept from (upcast) Order events. */
export const orderSummaryProjection: ProjectionDefinition<OrderReadModel> = {
  name: 'order-summary',
  version: 1,
  readModelKind: 'orders',
  streams: new Set(['Order']),
  handles: new Set(['OrderCreated', ...Object.keys(STATUS_BY_EVENT)]),
  readModel: (catalog, generation) => catalog.orders(generation),
  async apply(readModel, event) {
    const orderId = aggregateIdOf(event.streamId);
    const current = await readModel.get(orderId);
    // Re-delivered or already-applied events leave the row as it is.
    if (current !== null && current.version >= event.version) return;
    if (event.type === 'OrderCreated') {
      const data = event.data as OrderCreated['data'];
      await readModel.upsert({
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
    if (status === undefined || current === null) return;
    await readModel.upsert({ ...current, status, lastUpdated: event.occurredAt, version: event.version });
  },
};
