import { randomUUID } from 'node:crypto';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { FixedClock, RandomUuids } from '../../src/adapters/runtime/system-runtime.js';
import type { CommandContext } from '../../src/application/commands/command-executor.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { Order } from '../../src/domain/index.js';

export const context = (actor = 'tester'): CommandContext => ({ metadata: { correlationId: randomUUID(), causationId: null, actor } });

/** A whole application on the in-memory store with a clock the test moves. */
export const memoryApp = async (start = '2026-03-01T09:00:00.000Z'): Promise<{ app: App; clock: FixedClock; metrics: InMemoryMetrics }> => {
  const clock = new FixedClock(start);
  const container = await createContainer(loadConfig({}, { store: 'memory' }), { clock, ids: new RandomUuids() });
  const metrics = container.get(TOKENS.Metrics);
  if (!(metrics instanceof InMemoryMetrics)) throw new Error('the memory environment should record metrics in memory');
  return { app: appFrom(container), clock, metrics };
};

/** A customer with one order for `quantity` units of `sku`, stock received and reserved. */
export const placeOrder = async (app: App, ids: { customerId: string; orderId: string; sku: string }, quantity = 2): Promise<void> => {
  const ctx = context();
  (await app.customers.handle({ type: 'RegisterCustomer', customerId: ids.customerId, personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, ctx))._unsafeUnwrap();
  (await app.inventory.handle({ type: 'ReceiveStock', sku: ids.sku, quantity: 10 }, ctx))._unsafeUnwrap();
  (
    await app.orders.handle(
      {
        type: 'PlaceOrder',
        orderId: ids.orderId,
        customerId: ids.customerId,
        currency: 'EUR',
        lines: [{ sku: ids.sku, quantity, unitPrice: 1000 }],
        shippingAddress: { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' },
      },
      ctx,
    )
  )._unsafeUnwrap();
  (await app.inventory.handle({ type: 'ReserveStock', sku: ids.sku, orderId: ids.orderId, quantity }, ctx))._unsafeUnwrap();
};

/** A processed payment of the order's whole total (what confirming it needs); its id. */
export const payInFull = async (app: App, orderId: string, ctx: CommandContext = context()): Promise<string> => {
  const order = (await app.repository.load(Order, orderId))._unsafeUnwrap().state;
  const paymentId = `p-${orderId}`;
  const request = { type: 'RequestPayment', paymentId, orderId, amount: order.totalAmount, currency: order.currency ?? 'EUR', paymentMethodToken: 'tok_visa_4242' } as const;
  (await app.payments.handle(request, ctx))._unsafeUnwrap();
  (await app.payments.handle({ type: 'CompletePayment', paymentId, transactionId: `txn-${orderId}`, gateway: { status: 'SUCCESS', reference: `gw-${orderId}` } }, ctx))._unsafeUnwrap();
  return paymentId;
};

/** Pays the order in full and confirms it with that payment. */
export const confirmPaid = async (app: App, orderId: string, ctx: CommandContext = context()) =>
  app.orders.handle({ type: 'ConfirmOrder', orderId, paymentId: await payInFull(app, orderId, ctx) }, ctx);
