import {
  CUSTOMER_EVENT_TYPES,
  ORDER_EVENT_TYPES,
  PAYMENT_EVENT_TYPES,
  type OrderCreated,
  type PaymentRequested,
  type SupportInteractionRecorded,
} from '../../domain/index.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { SupportHistoryKind, SupportHistoryReadModel } from '../ports/read-models.js';
import { aggregateIdOf, type ProjectionContext, type ProjectionDefinition } from './projection.js';

const money = (amount: number, currency: string): string => `${(amount / 100).toFixed(2)} ${currency}`;

/** What a support agent reads for each event; never personal data (names, emails, addresses stay out). */
const describe = (event: EventEnvelope): { kind: SupportHistoryKind; summary: string } => {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'CustomerRegistered':
      return { kind: 'ACCOUNT', summary: 'customer registered' };
    case 'CustomerDetailsChanged':
      return { kind: 'ACCOUNT', summary: `details changed: ${Object.keys((data.personal as object | undefined) ?? {}).join(', ')}` };
    case 'SupportInteractionRecorded': {
      const d = data as SupportInteractionRecorded['data'];
      return { kind: 'CONTACT', summary: `${d.channel} with ${d.agent}: ${d.summary}` };
    }
    case 'OrderCreated': {
      const d = data as OrderCreated['data'];
      return { kind: 'ORDER', summary: `order ${aggregateIdOf(event.streamId)} placed for ${money(d.totalAmount, d.currency)}` };
    }
    case 'PaymentRequested': {
      const d = data as PaymentRequested['data'];
      return { kind: 'PAYMENT', summary: `payment of ${money(d.amount.amount, d.amount.currency)} requested` };
    }
    default:
      return {
        kind: event.type.startsWith('Payment') ? 'PAYMENT' : 'ORDER',
        summary: `${event.type.replace(/^(Order|Payment)/, '').toLowerCase()}${data.reason ? `: ${String(data.reason)}` : ''}`,
      };
  }
};

/** A customer's orders, payments and contacts in time order, for support agents. */
export const supportHistoryProjection: ProjectionDefinition<SupportHistoryReadModel> = {
  name: 'support-history',
  version: 1,
  readModelKind: 'support',
  streams: new Set(['Customer', 'Order', 'Payment']),
  handles: new Set([...CUSTOMER_EVENT_TYPES, ...ORDER_EVENT_TYPES, ...PAYMENT_EVENT_TYPES]),
  readModel: (catalog, generation) => catalog.support(generation),
  async apply(readModel, event, context) {
    const customerId = await customerOf(readModel, event, context);
    if (customerId === null) return;
    const { kind, summary } = describe(event);
    await readModel.add({ customerId, eventId: event.eventId, at: event.occurredAt, kind, eventType: event.type, streamId: event.streamId, summary });
  },
};

/**
 * The first event of a stream, from the store: a payment's or an order's events may arrive before the event
 * that links them (the feed orders streams, not the log), and the link is an immutable fact of that event.
 */
const firstEvent = async (context: ProjectionContext, streamId: string): Promise<EventEnvelope | undefined> =>
  (await context.readStream(streamId, { fromVersion: 1, toVersion: 1 }))[0];

/** A link kept under `key`, or learned from the first event of `streamId` (and kept) when not seen yet. */
const linked = async (readModel: SupportHistoryReadModel, key: string, streamId: string, context: ProjectionContext, read: (first: EventEnvelope) => string | null): Promise<string | null> => {
  const known = await readModel.resolve(key);
  if (known !== null) return known;
  const first = await firstEvent(context, streamId);
  const to = first === undefined ? null : read(first);
  if (to !== null) await readModel.link(key, to);
  return to;
};

const orderCustomer = (readModel: SupportHistoryReadModel, orderId: string, context: ProjectionContext): Promise<string | null> =>
  linked(readModel, `order:${orderId}`, `Order-${orderId}`, context, (first) => (first.type === 'OrderCreated' ? (first.data as OrderCreated['data']).customerId : null));

const paymentOrder = (readModel: SupportHistoryReadModel, paymentId: string, context: ProjectionContext): Promise<string | null> =>
  linked(readModel, `payment:${paymentId}`, `Payment-${paymentId}`, context, (first) => (first.type === 'PaymentRequested' ? (first.data as PaymentRequested['data']).orderId : null));

const customerOf = async (readModel: SupportHistoryReadModel, event: EventEnvelope, context: ProjectionContext): Promise<string | null> => {
  const id = aggregateIdOf(event.streamId);
  if (event.streamId.startsWith('Customer-')) return id;
  if (event.type === 'OrderCreated') {
    const customerId = (event.data as OrderCreated['data']).customerId;
    await readModel.link(`order:${id}`, customerId);
    return customerId;
  }
  if (event.streamId.startsWith('Order-')) return orderCustomer(readModel, id, context);
  // Payments name their order; the link is kept under the payment's stream too so later payment events find it.
  if (event.type === 'PaymentRequested') {
    const orderId = (event.data as PaymentRequested['data']).orderId;
    await readModel.link(`payment:${id}`, orderId);
    return orderCustomer(readModel, orderId, context);
  }
  const orderId = await paymentOrder(readModel, id, context);
  return orderId === null ? null : orderCustomer(readModel, orderId, context);
};
