import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemorySupportHistory } from '../../../src/adapters/memory/in-memory-read-models.js';
import type { EventEnvelope } from '../../../src/application/events/envelope.js';
import type { SupportHistoryReadModel } from '../../../src/application/ports/read-models.js';
import type { ProjectionContext } from '../../../src/application/projections/projection.js';
import { supportHistoryProjection } from '../../../src/application/projections/support-history-projection.js';

const money = { amount: 1250, currency: 'EUR' };
const ORDER_LATER = ['OrderPaymentMethodProvided', 'OrderConfirmed', 'OrderShipped', 'OrderCancelled'] as const;
const PAYMENT_LATER = ['PaymentProcessed', 'PaymentFailed', 'PaymentRefunded', 'PaymentCancelled'] as const;

/** A stream's events as the store holds them; times are set when the feed's order is known. */
type Stream = { readonly streamId: string; readonly events: readonly Pick<EventEnvelope, 'type' | 'data'>[] };

const customerStream = (customerId: string, contacts: number): Stream => ({
  streamId: `Customer-${customerId}`,
  events: [
    { type: 'CustomerRegistered', data: {} },
    ...Array.from({ length: contacts }, (_, i) => ({ type: 'SupportInteractionRecorded', data: { interactionId: `I-${i}`, channel: 'PHONE', summary: `call ${i}`, agent: 'bob', orderId: null } })),
  ],
});

const orderStream = (orderId: string, customerId: string, later: readonly string[]): Stream => ({
  streamId: `Order-${orderId}`,
  events: [
    { type: 'OrderCreated', data: { customerId, lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 1250 }], currency: 'EUR', totalAmount: 1250, taxAmount: 0, taxRate: 0, shippingAddress: {} } },
    ...later.map((type) => ({ type, data: type === 'OrderCancelled' ? { reason: 'changed mind' } : type === 'OrderPaymentMethodProvided' ? { paymentMethodToken: 'tok_secret_9' } : {} })),
  ],
});

const paymentStream = (paymentId: string, orderId: string, later: readonly string[]): Stream => ({
  streamId: `Payment-${paymentId}`,
  events: [
    { type: 'PaymentRequested', data: { orderId, amount: money, paymentMethodToken: 'tok' } },
    ...later.map((type) => ({ type, data: type === 'PaymentFailed' ? { transactionId: 'T', reason: 'declined' } : { transactionId: 'T', amount: money, reason: 'returned' } })),
  ],
});

const envelope = (stream: Stream, index: number, at: number): EventEnvelope => {
  const event = stream.events[index] as Stream['events'][number];
  const occurredAt = new Date(Date.UTC(2026, 2, 1) + at * 1_000).toISOString();
  return { ...event, eventId: `${stream.streamId}@${index + 1}`, streamId: stream.streamId, version: index + 1, schemaVersion: 1, metadata: { correlationId: 'c', causationId: null, actor: 'test' }, occurredAt, recordedAt: occurredAt, globalPosition: null };
};

/** Streams interleaved as a feed may deliver them (each stream in order, streams in any order), some events twice. */
const delivered = (streams: readonly Stream[], picks: readonly number[], redeliver: readonly number[]): EventEnvelope[] => {
  const next = streams.map(() => 0);
  const feed: EventEnvelope[] = [];
  for (let pick = 0; feed.length < streams.reduce((sum, s) => sum + s.events.length, 0); pick += 1) {
    const open = streams.flatMap((stream, i) => ((next[i] as number) < stream.events.length ? [i] : []));
    const chosen = open[(picks[pick % Math.max(1, picks.length)] ?? 0) % open.length] as number;
    feed.push(envelope(streams[chosen] as Stream, next[chosen] as number, feed.length));
    next[chosen] = (next[chosen] as number) + 1;
  }
  // A re-delivery comes after the event itself, anywhere later.
  for (const r of redeliver) {
    if (feed.length === 0) break;
    const from = r % feed.length;
    feed.splice(from + 1 + (r % (feed.length - from)), 0, feed[from] as EventEnvelope);
  }
  return feed;
};

/** The store: every committed event, whatever the feed has delivered so far. */
const storeOf = (streams: readonly Stream[]): ProjectionContext & { reads: number } => {
  const firsts = new Map(streams.map((stream) => [stream.streamId, envelope(stream, 0, 0)]));
  const context = {
    reads: 0,
    readStream: async (streamId: string) => {
      context.reads += 1;
      const first = firsts.get(streamId);
      return first === undefined ? [] : [first];
    },
  };
  return context;
};

const batchesOf = <T>(items: readonly T[], sizes: readonly number[]): T[][] => {
  const batches: T[][] = [];
  for (let start = 0, i = 0; start < items.length; i += 1) {
    const size = sizes.length === 0 ? items.length : (sizes[i % sizes.length] as number);
    batches.push(items.slice(start, start + size));
    start += size;
  }
  return batches;
};

const snapshot = async (readModel: SupportHistoryReadModel, customers: readonly string[], linkKeys: readonly string[]) => ({
  histories: await Promise.all(customers.map((customerId) => readModel.history(customerId))),
  links: await readModel.resolveMany(linkKeys),
});

const world = fc
  .record({
    customers: fc.integer({ min: 1, max: 4 }),
    contacts: fc.array(fc.nat({ max: 3 }), { minLength: 4, maxLength: 4 }),
    orders: fc.array(fc.record({ customer: fc.nat(), later: fc.subarray([...ORDER_LATER]) }), { maxLength: 8 }),
    // An order index past the orders is an order the store has never heard of.
    payments: fc.array(fc.record({ order: fc.nat({ max: 10 }), later: fc.subarray([...PAYMENT_LATER]) }), { maxLength: 8 }),
    picks: fc.array(fc.nat(), { maxLength: 60 }),
    redeliver: fc.array(fc.nat(), { maxLength: 6 }),
    sizes: fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 5 }),
  })
  .map(({ customers, contacts, orders, payments, picks, redeliver, sizes }) => {
    const customerIds = Array.from({ length: customers }, (_, i) => `C${i}`);
    const orderIds = orders.map((_, i) => `O${i}`);
    const streams = [
      ...customerIds.map((id, i) => customerStream(id, contacts[i] ?? 0)),
      ...orders.map((order, i) => orderStream(orderIds[i] as string, customerIds[order.customer % customers] as string, order.later)),
      ...payments.map((payment, i) => paymentStream(`P${i}`, orderIds[payment.order] ?? `UNKNOWN-${i}`, payment.later)),
    ];
    const linkKeys = [...orderIds.map((id) => `order:${id}`), ...payments.map((_, i) => `payment:P${i}`), ...payments.map((_, i) => `order:UNKNOWN-${i}`)];
    return { streams, customerIds, linkKeys, batches: batchesOf(delivered(streams, picks, redeliver), sizes) };
  });

describe('support history projection, a batch at a time', () => {
  it('gives the read model that applying its events one by one gives', async () => {
    await fc.assert(
      fc.asyncProperty(world, async ({ streams, customerIds, linkKeys, batches }) => {
        const [oneByOne, batched] = [new InMemorySupportHistory(), new InMemorySupportHistory()];
        const store = storeOf(streams);
        for (const batch of batches) {
          for (const event of batch) await supportHistoryProjection.apply(oneByOne, event, store);
          await supportHistoryProjection.applyBatch?.(batched, batch, store);
        }
        expect(await snapshot(batched, customerIds, linkKeys)).toEqual(await snapshot(oneByOne, customerIds, linkKeys));
      }),
      { numRuns: 300 },
    );
  });

  it('reads and writes the read model a few times a batch, and the store only for links it does not know', async () => {
    const streams = [
      customerStream('C1', 1),
      orderStream('O1', 'C1', ['OrderConfirmed']),
      orderStream('O2', 'C1', ['OrderShipped']),
      paymentStream('P1', 'O1', ['PaymentProcessed']),
      paymentStream('P2', 'O2', ['PaymentFailed']),
      paymentStream('P3', 'O-UNKNOWN', []),
    ];
    const [c1, o1, o2, p1, p2, p3] = streams as [Stream, Stream, Stream, Stream, Stream, Stream];
    const store = storeOf(streams);
    const readModel = new InMemorySupportHistory();
    // O2 and P2 were applied before: their links are kept.
    await supportHistoryProjection.applyBatch?.(readModel, [envelope(o2, 0, 0), envelope(p2, 0, 1)], store);
    const calls: string[] = [];
    const counted = new Proxy(readModel, {
      get: (target, name: keyof SupportHistoryReadModel) => {
        const method = target[name].bind(target) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          calls.push(name);
          return method(...args);
        };
      },
    });
    store.reads = 0;
    const batch = [
      envelope(c1, 0, 2),
      envelope(p1, 1, 3), // its request was never delivered here: its order comes from the store, that order's customer from the batch
      envelope(o1, 0, 4),
      envelope(o1, 1, 5),
      envelope(p2, 1, 6),
      envelope(o2, 1, 7),
      envelope(p3, 0, 8),
      envelope(c1, 1, 9),
      envelope(o1, 1, 5), // re-delivered
    ];
    await supportHistoryProjection.applyBatch?.(counted, batch, store);
    expect(calls.sort()).toEqual(['addMany', 'linkMany', 'resolveMany']);
    // P1's request and P3's unknown order, each read once from the store.
    expect(store.reads).toBe(2);
    expect((await readModel.history('C1')).map((entry) => entry.eventId)).toEqual([
      'Order-O2@1',
      'Payment-P2@1',
      'Customer-C1@1',
      'Payment-P1@2',
      'Order-O1@1',
      'Order-O1@2',
      'Payment-P2@2',
      'Order-O2@2',
      'Customer-C1@2',
    ]);
    expect(await readModel.resolveMany(['payment:P1', 'payment:P3', 'order:O1', 'order:O-UNKNOWN'])).toEqual(
      new Map([
        ['payment:P1', 'O1'],
        ['payment:P3', 'O-UNKNOWN'],
        ['order:O1', 'C1'],
      ]),
    );
  });

  it('tells a support agent that a payment was cancelled, and that a payment method came, never which', async () => {
    const streams = [customerStream('C1', 0), orderStream('O1', 'C1', ['OrderPaymentMethodProvided']), paymentStream('P1', 'O1', ['PaymentCancelled'])];
    const [c1, o1, p1] = streams as [Stream, Stream, Stream];
    const readModel = new InMemorySupportHistory();
    const batch = [envelope(c1, 0, 0), envelope(o1, 0, 1), envelope(o1, 1, 2), envelope(p1, 0, 3), envelope(p1, 1, 4)];
    await supportHistoryProjection.applyBatch?.(readModel, batch, storeOf(streams));
    const history = await readModel.history('C1');
    expect(history.slice(2).map(({ kind, summary }) => ({ kind, summary }))).toEqual([
      { kind: 'ORDER', summary: 'payment method provided' },
      { kind: 'PAYMENT', summary: 'payment of 12.50 EUR requested' },
      { kind: 'PAYMENT', summary: 'payment cancelled: returned' },
    ]);
    expect(JSON.stringify(history)).not.toContain('tok_secret_9');
  });
});
