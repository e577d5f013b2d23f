import type { OrderCreated } from '../../domain/index.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { OrderReadModel, OrderSummary } from '../ports/order-read-model.js';
import { aggregateIdOf, foldIntoRows, type ProjectionDefinition } from './projection.js';

const STATUS_BY_EVENT: Readonly<Record<string, string>> = {
  OrderConfirmed: 'CONFIRMED',
  OrderShipped: 'SHIPPED',
  OrderDelivered: 'DELIVERED',
  OrderCancelled: 'CANCELLED',
  OrderReturned: 'RETURNED',
};

/** The row an event makes of the current one; null when the event changes nothing (re-delivered, or before creation). */
const summarize = (current: OrderSummary | null, event: EventEnvelope): OrderSummary | null => {
  if (current !== null && current.version >= event.version) return null;
  if (event.type === 'OrderCreated') {
    const data = event.data as OrderCreated['data'];
    return {
      orderId: aggregateIdOf(event.streamId),
      customerId: data.customerId,
      status: 'CREATED',
      totalAmount: data.totalAmount,
      currency: data.currency,
      itemCount: data.lines.reduce((sum, line) => sum + line.quantity, 0),
      createdAt: event.occurredAt,
      lastUpdated: event.occurredAt,
      version: event.version,
    };
  }
  const status = STATUS_BY_EVENT[event.type];
  if (status === undefined || current === null) return null;
  return { ...current, status, lastUpdated: event.occurredAt, version: event.version };
};

/**
 * The ADR's order summary and customer orders views, kept from (upcast) Order events. OrderPaymentMethodProvided
 * is deliberately not handled: the summary shows no payment method, and the token has no place in a read model.
 */
export const orderSummaryProjection: ProjectionDefinition<OrderReadModel> = {
  name: 'order-summary',
  version: 1,
  readModelKind: 'orders',
  streams: new Set(['Order']),
  handles: new Set(['OrderCreated', ...Object.keys(STATUS_BY_EVENT)]),
  readModel: (catalog, generation) => catalog.orders(generation),
  async apply(readModel, event) {
    const next = summarize(await readModel.get(aggregateIdOf(event.streamId)), event);
    if (next !== null) await readModel.upsert(next);
  },
  applyBatch: (readModel, events) => foldIntoRows(readModel, events, summarize),
};
