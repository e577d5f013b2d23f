import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Order, Payment } from '../../../src/domain/index.js';
import { anEvent } from '../../support/event-mother.js';
import { aContext, aProcessedPaymentFor, aRegisteredCustomer, memoryCore } from './memory-core.js';

const v1OrderCreated = anEvent({
  type: 'OrderCreated',
  schemaVersion: 1,
  data: { customerId: 'customer-1', lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1250 }], totalAmount: 2500, shippingAddress: { line1: '1 Main St', city: 'Boston', postalCode: '02108', country: 'US' } },
  occurredAt: '2019-05-01T10:00:00.000Z',
});

describe('AggregateRepository reading old events', () => {
  it('loads v3 order state from stored v1 events, leaving them as stored', async () => {
    const core = memoryCore();
    const orderId = randomUUID();
    const confirmed = anEvent({ type: 'OrderConfirmed', schemaVersion: 1, data: { paymentId: null }, occurredAt: '2019-05-01T11:00:00.000Z' });
    await core.store.append(`Order-${orderId}`, [v1OrderCreated, confirmed], 'no-stream');

    const order = (await core.repository.load(Order, orderId))._unsafeUnwrap();
    expect(order.version).toBe(2);
    expect(order.state).toMatchObject({ status: 'CONFIRMED', currency: 'USD', totalAmount: 2500, taxAmount: 0, taxRate: 0 });
    const [first] = await core.store.readStream(`Order-${orderId}`);
    expect(first).toMatchObject({ schemaVersion: 1, data: v1OrderCreated.data });
    expect(first?.data).not.toHaveProperty('currency');
  });

  it('carries on from upcast state: commands append after the old events', async () => {
    const core = memoryCore();
    const orderId = randomUUID();
    await core.store.append(`Order-${orderId}`, [v1OrderCreated], 'no-stream');
    expect((await core.orders.handle({ type: 'ProvidePaymentMethod', orderId, paymentMethodToken: 'tok_1' }, aContext()))._unsafeUnwrap().version).toBe(2);
    expect((await core.orders.handle({ type: 'CancelOrder', orderId, reason: 'duplicate' }, aContext()))._unsafeUnwrap().version).toBe(3);
  });

  it('loads a payment processed under PaymentProcessed v1', async () => {
    const core = memoryCore();
    const paymentId = randomUUID();
    const requested = anEvent({ type: 'PaymentRequested', schemaVersion: 1, data: { orderId: 'order-1', amount: { amount: 2500, currency: 'USD' }, paymentMethodToken: 'tok_1' } });
    const processed = anEvent({ type: 'PaymentProcessed', schemaVersion: 1, data: { transactionId: 'txn-1', gatewayResponse: { reference: 'gw-1', code: '00' } } });
    await core.store.append(`Payment-${paymentId}`, [requested, processed], 'no-stream');
    const payment = (await core.repository.load(Payment, paymentId))._unsafeUnwrap();
    expect(payment.state).toMatchObject({ status: 'PROCESSED', transactionId: 'txn-1' });
    expect((await core.payments.handle({ type: 'RefundPayment', paymentId, amount: 2500, reason: 'returned' }, aContext())).isOk()).toBe(true);
  });

  it('writes new events at the current schema version', async () => {
    const core = memoryCore();
    const orderId = randomUUID();
    const lines = [{ sku: 'SKU-1', quantity: 1, unitPrice: 100 }];
    const shippingAddress = { line1: '1 Main St', city: 'Boston', postalCode: '02108', country: 'US' };
    await aRegisteredCustomer(core, 'customer-1');
    (await core.orders.handle({ type: 'PlaceOrder', orderId, customerId: 'customer-1', currency: 'USD', lines, shippingAddress }, aContext()))._unsafeUnwrap();
    const paymentId = await aProcessedPaymentFor(core, orderId);
    (await core.orders.handle({ type: 'ConfirmOrder', orderId, paymentId }, aContext()))._unsafeUnwrap();
    expect((await core.store.readStream(`Order-${orderId}`)).map((e) => [e.type, e.schemaVersion])).toEqual([
      ['OrderCreated', 3],
      ['OrderConfirmed', 1],
    ]);
  });
});
