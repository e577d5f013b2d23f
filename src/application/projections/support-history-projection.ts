import {
  CUSTOMER_EVENT_TYPES,
  ERASED,
  ORDER_EVENT_TYPES,
  PAYMENT_EVENT_TYPES,
  type OrderCreated,
  type PaymentRequested,
  type SupportInteractionRecorded,
} from '../../domain/index.js';
import { mapBounded } from '../bounded-map.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { SupportHistoryEntry, SupportHistoryKind, SupportHistoryReadModel } from '../ports/read-models.js';
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
      // Erased (the key is gone): the same line a live entry is scrubbed to, so a rebuild and a scrub agree.
      return { kind: 'CONTACT', summary: d.summary === ERASED ? ERASED : `${d.channel} with ${d.agent}: ${d.summary}` };
    }
    case 'CustomerErased':
      return { kind: 'ACCOUNT', summary: 'personal data erased' };
    case 'OrderCreated': {
      const d = data as OrderCreated['data'];
      return { kind: 'ORDER', summary: `order ${aggregateIdOf(event.streamId)} placed for ${money(d.totalAmount, d.currency)}` };
    }
    case 'PaymentRequested': {
      const d = data as PaymentRequested['data'];
      return { kind: 'PAYMENT', summary: `payment of ${money(d.amount.amount, d.amount.currency)} requested` };
    }
    // The token itself stays out: an agent needs to know the order can be paid, not with what.
    case 'OrderPaymentMethodProvided':
      return { kind: 'ORDER', summary: 'payment method provided' };
    case 'PaymentCancelled':
      return { kind: 'PAYMENT', summary: `payment cancelled: ${String(data.reason)}` };
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
    if (customerId !== null) await readModel.add(entryOf(event, customerId));
    if (customerId !== null && event.type === 'CustomerErased') await readModel.scrubContacts(customerId, ERASED);
  },
  applyBatch: (readModel, events, context) => applyBatch(readModel, events, context),
};

const entryOf = (event: EventEnvelope, customerId: string): SupportHistoryEntry => ({
  customerId,
  eventId: event.eventId,
  at: event.occurredAt,
  eventType: event.type,
  streamId: event.streamId,
  ...describe(event),
});

/**
 * A link the projection keeps under `key(id)`: an immutable fact of the first event of `streamId(id)`, where it is
 * learned when not kept yet. It leads to a customer, or to the id `then` links on.
 */
interface Link {
  key(id: string): string;
  streamId(id: string): string;
  read(first: EventEnvelope): string | null;
  readonly then?: Link;
}

const ORDER_CUSTOMER: Link = {
  key: (orderId) => `order:${orderId}`,
  streamId: (orderId) => `Order-${orderId}`,
  read: (first) => (first.type === 'OrderCreated' ? (first.data as OrderCreated['data']).customerId : null),
};

const PAYMENT_ORDER: Link = {
  key: (paymentId) => `payment:${paymentId}`,
  streamId: (paymentId) => `Payment-${paymentId}`,
  read: (first) => (first.type === 'PaymentRequested' ? (first.data as PaymentRequested['data']).orderId : null),
  then: ORDER_CUSTOMER,
};

/** Where an event's customer is: named outright, or behind a link (payments name orders, not customers). */
type Route = { readonly customerId: string } | { readonly link: Link; readonly id: string };
type Hop = Extract<Route, { link: Link }>;

const hopFrom = (link: Link, to: string): Route => (link.then === undefined ? { customerId: to } : { link: link.then, id: to });

/** An event's route to its customer, and the link it teaches (the first event of an order or a payment names what it links to). */
const routeOf = (event: EventEnvelope): { route: Route; teaches: readonly [string, string] | null } => {
  const id = aggregateIdOf(event.streamId);
  if (event.streamId.startsWith('Customer-')) return { route: { customerId: id }, teaches: null };
  if (event.type === 'OrderCreated') {
    const customerId = (event.data as OrderCreated['data']).customerId;
    return { route: { customerId }, teaches: [ORDER_CUSTOMER.key(id), customerId] };
  }
  if (event.streamId.startsWith('Order-')) return { route: { link: ORDER_CUSTOMER, id }, teaches: null };
  // The link is kept under the payment's stream too, so that later payment events find their order.
  if (event.type === 'PaymentRequested') {
    const orderId = (event.data as PaymentRequested['data']).orderId;
    return { route: { link: ORDER_CUSTOMER, id: orderId }, teaches: [PAYMENT_ORDER.key(id), orderId] };
  }
  return { route: { link: PAYMENT_ORDER, id }, teaches: null };
};

/**
 * The first event of a stream, from the store: a payment's or an order's events may arrive before the event
 * that links them (the feed orders streams, not the log), and the link is an immutable fact of that event.
 */
const learn = async (context: ProjectionContext, { link, id }: Hop): Promise<string | null> => {
  const [first] = await context.readStream(link.streamId(id), { fromVersion: 1, toVersion: 1 });
  return first === undefined ? null : link.read(first);
};

/** A link kept, or learned from the store (and kept) when not seen yet. */
const linked = async (readModel: SupportHistoryReadModel, hop: Hop, context: ProjectionContext): Promise<string | null> => {
  const key = hop.link.key(hop.id);
  const known = await readModel.resolve(key);
  if (known !== null) return known;
  const to = await learn(context, hop);
  if (to !== null) await readModel.link(key, to);
  return to;
};

const customerOf = async (readModel: SupportHistoryReadModel, event: EventEnvelope, context: ProjectionContext): Promise<string | null> => {
  const { route, teaches } = routeOf(event);
  if (teaches !== null) await readModel.link(...teaches);
  let at = route;
  while ('link' in at) {
    const to = await linked(readModel, at, context);
    if (to === null) return null;
    at = hopFrom(at.link, to);
  }
  return at.customerId;
};

/** How many first events a batch reads from the store at once. */
const STORE_READS_IN_FLIGHT = 4;

/** The customer at the end of `route` as far as `known` goes, or the first hop it does not know. */
const follow = (route: Route, known: ReadonlyMap<string, string>): string | Hop => {
  let at = route;
  while ('link' in at) {
    const to = known.get(at.link.key(at.id));
    if (to === undefined) return at;
    at = hopFrom(at.link, to);
  }
  return at.customerId;
};

/**
 * As `apply` event by event: the links the batch teaches first, then the ones it still needs in one read of the
 * read model a hop (a payment's order, then that order's customer), the rest from the store; then its new links
 * in one write and its entries in another. Links are immutable facts, so one taught by a later event of the batch
 * is the one the store would have given an earlier event.
 */
const applyBatch = async (readModel: SupportHistoryReadModel, events: readonly EventEnvelope[], context: ProjectionContext): Promise<void> => {
  const routed = events.map((event) => ({ event, ...routeOf(event) }));
  const fresh = new Map(routed.flatMap(({ teaches }) => (teaches === null ? [] : [teaches])));
  const known = new Map(fresh);
  const asked = new Set<string>();
  for (;;) {
    const wanted = new Map<string, Hop>();
    for (const { route } of routed) {
      const at = follow(route, known);
      if (typeof at !== 'string' && !asked.has(at.link.key(at.id))) wanted.set(at.link.key(at.id), at);
    }
    if (wanted.size === 0) break;
    for (const key of wanted.keys()) asked.add(key);
    for (const [key, to] of await readModel.resolveMany([...wanted.keys()])) known.set(key, to);
    const unknown = [...wanted].filter(([key]) => !known.has(key));
    const learnt = await mapBounded(unknown, STORE_READS_IN_FLIGHT, ([, hop]) => learn(context, hop));
    unknown.forEach(([key], index) => {
      const to = learnt[index];
      if (to === null || to === undefined) return;
      known.set(key, to);
      fresh.set(key, to);
    });
  }
  await readModel.linkMany(fresh);
  await readModel.addMany(
    routed.flatMap(({ event, route }) => {
      const customerId = follow(route, known);
      return typeof customerId === 'string' ? [entryOf(event, customerId)] : [];
    }),
  );
  // After the entries: one the batch added before the erasure is scrubbed too.
  for (const { event, route } of routed) {
    if (event.type === 'CustomerErased' && 'customerId' in route) await readModel.scrubContacts(route.customerId, ERASED);
  }
};
