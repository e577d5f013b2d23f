import { describe, expect, it } from 'vitest';
import { confirmPaid, context, memoryApp, payInFull, placeOrder } from '../support/memory-app.js';
import { poisonOrderSummary } from '../support/poisoned-projection.js';

const ids = (n: number) => ({ customerId: `c-${n}`, orderId: `o-${n}`, sku: `SKU-${n}` });

describe('projection engine', () => {
  it('keeps order summary, inventory levels and support history from the log', async () => {
    const { app } = await memoryApp();
    await placeOrder(app, ids(1));
    await app.payments.handle({ type: 'RequestPayment', paymentId: 'p-1', orderId: 'o-1', amount: 2000, currency: 'EUR', paymentMethodToken: 'tok_1' }, context());
    await app.customers.handle({ type: 'RecordSupportInteraction', customerId: 'c-1', channel: 'PHONE', summary: 'asked about delivery', agent: 'bob' }, context());
    expect(await app.catchUp()).toBeGreaterThan(0);
    expect((await app.orderQueries.orderDetails('o-1'))._unsafeUnwrap()).toMatchObject({ status: 'CREATED', totalAmount: 2000, itemCount: 2 });
    expect((await app.orderQueries.inventoryLevel('SKU-1'))._unsafeUnwrap()).toMatchObject({ onHand: 10, reserved: 2, allocated: 0, available: 8 });
    const history = await app.orderQueries.supportHistory('c-1');
    expect(history.map((h) => h.kind)).toEqual(['ACCOUNT', 'ORDER', 'PAYMENT', 'CONTACT']);
    expect(JSON.stringify(history)).not.toContain('ada@example.com');
  });

  it('stops at a poison event after bounded retries, then retry or park moves on without skipping silently', async () => {
    const { app, metrics } = await memoryApp();
    await placeOrder(app, ids(2));
    const restore = poisonOrderSummary((event) => event.type === 'OrderCreated', 'cannot read this event');
    const failures = () => metrics.samples('EventProcessingResult').filter((sample) => sample.dimensions.Result === 'Failure').length;
    try {
      await app.catchUp();
      const stopped = (await app.projections.status()).find((s) => s.name === 'order-summary');
      expect(stopped?.state).toBe('failed');
      expect(stopped?.failure).toMatchObject({ reason: 'POISON', eventType: 'OrderCreated', version: 1, attempts: 3, message: 'cannot read this event' });
      expect(failures()).toBe(3);
      expect(metrics.samples('SubscriptionParked')).toEqual([expect.objectContaining({ dimensions: { Consumer: 'order-summary', Reason: 'POISON' } })]);
      await app.catchUp();
      expect(failures()).toBe(3); // stopped means stopped: no silent retry loop
      await app.projections.park('order-summary');
      await app.catchUp();
      const parked = (await app.projections.status()).find((s) => s.name === 'order-summary');
      expect(parked?.failure).toBeNull();
      expect(parked?.parked).toHaveLength(1);
      expect(parked?.lagEvents).toBe(0);
    } finally {
      restore();
    }
  });

  it('resumes from its checkpoint after a crash mid-way, losing nothing and applying nothing twice', async () => {
    const { app } = await memoryApp();
    await placeOrder(app, ids(3));
    const paymentId = await payInFull(app, 'o-3');
    await app.catchUp();
    await app.orders.handle({ type: 'ConfirmOrder', orderId: 'o-3', paymentId }, context());
    await app.orders.handle({ type: 'ShipOrder', orderId: 'o-3', carrier: 'UPS', trackingNumber: '1Z' }, context());
    const before = (await app.projections.status()).find((s) => s.name === 'order-summary');
    expect(before?.lagEvents).toBe(2);
    await app.catchUp();
    expect((await app.orderQueries.orderDetails('o-3'))._unsafeUnwrap()).toMatchObject({ status: 'SHIPPED', version: 3 });
  });

  it('rebuilds into a fresh generation while the live one serves, reporting progress, then switches', async () => {
    const { app } = await memoryApp();
    for (let n = 10; n < 15; n += 1) await placeOrder(app, ids(n));
    await app.catchUp();
    const progress: number[] = [];
    const generation = await app.projections.rebuild('order-summary', (p) => progress.push(p.done));
    expect(generation).toMatch(/^v1-/);
    expect(progress.at(-1)).toBeGreaterThan(0);
    const status = (await app.projections.status()).find((s) => s.name === 'order-summary');
    expect(status).toMatchObject({ generation, lagEvents: 0 });
    expect(await app.orderQueries.customerOrders('c-12')).toHaveLength(1);
  });
});

describe('temporal queries', () => {
  it('loads an aggregate as of a version and a time, and pages the audit trail', async () => {
    const { app, clock } = await memoryApp('2026-03-01T09:00:00.000Z');
    await placeOrder(app, ids(20));
    clock.set('2026-03-02T09:00:00.000Z');
    await confirmPaid(app, 'o-20', context('alice'));
    clock.set('2026-03-03T09:00:00.000Z');
    await app.orders.handle({ type: 'ShipOrder', orderId: 'o-20', carrier: 'UPS', trackingNumber: '1Z' }, context('bob'));
    expect((await app.temporal.aggregateAsOf('order', 'o-20', { asOfVersion: 2 }))._unsafeUnwrap()).toMatchObject({ version: 2, state: { status: 'CONFIRMED' } });
    expect((await app.temporal.aggregateAsOf('order', 'o-20', { asOf: '2026-03-02T12:00:00.000Z' }))._unsafeUnwrap()).toMatchObject({
      version: 2,
      lastModifiedAt: '2026-03-02T09:00:00.000Z',
    });
    expect((await app.temporal.aggregateAsOf('order', 'o-20', { asOf: '2026-02-01T00:00:00.000Z' }))._unsafeUnwrapErr().code).toBe('ORDER.NOT_FOUND');
    const first = (await app.temporal.auditTrail('order', 'o-20', 0, 2))._unsafeUnwrap();
    expect(first.events.map((e) => e.metadata.actor)).toEqual(['tester', 'alice']);
    expect(first.nextAfterVersion).toBe(2);
    const second = (await app.temporal.auditTrail('order', 'o-20', 2, 2))._unsafeUnwrap();
    expect(second.events.map((e) => [e.type, e.metadata.actor])).toEqual([['OrderShipped', 'bob']]);
    expect(second.nextAfterVersion).toBeNull();
    expect((await app.temporal.readModels.orderDetails('o-20', '2026-03-02T12:00:00.000Z'))._unsafeUnwrap().status).toBe('CONFIRMED');
    expect((await app.temporal.aggregateAsOf('spaceship', 'x'))._unsafeUnwrapErr().code).toBe('AGGREGATE.UNKNOWN_TYPE');
  });
});
