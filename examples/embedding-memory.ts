// The application embedded in a program of your own, on the memory environment (docs/embedding.md walks through
// it). The packed-library test compiles this file against the installed package and runs it with plain node.
import { randomUUID } from 'node:crypto';
import type { CommandContext, OrderCommand, OrderSummary } from 'event-sourcing-core';
import { openMemoryApp } from 'event-sourcing-core/environments';
import { ORDER_ERRORS } from 'event-sourcing-core/domain';

// Who asked and why: recorded in every event the command appends.
const context = (actor: string): CommandContext => ({ metadata: { correlationId: randomUUID(), causationId: null, actor } });

// FULFILMENT=manual: this program drives every step; with the default (workflow) a placed order is reserved, paid and confirmed by itself.
const app = await openMemoryApp({ settings: { FULFILMENT: 'manual' } });
try {
  const registered = await app.customers.handle(
    { type: 'RegisterCustomer', customerId: 'c-1', personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' } },
    context('shop'),
  );
  if (registered.isErr()) throw new Error(`refused: ${registered.error.code}`);

  const placeOrder: OrderCommand = {
    type: 'PlaceOrder',
    orderId: 'o-1',
    customerId: 'c-1',
    currency: 'EUR',
    taxRate: 2300, // basis points: 23 %
    lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }], // integer minor units
    shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' },
  };
  const placed = await app.orders.handle(placeOrder, { ...context('c-1'), idempotencyKey: 'place-o-1' });
  if (placed.isErr()) throw new Error(`refused: ${placed.error.code}: ${placed.error.message}`);
  console.log(`placed ${placed.value.streamId} v${placed.value.version}: ${placed.value.eventTypes.join(', ')}`);

  // A rule's refusal is a value with a stable code, never an exception.
  const again = await app.orders.handle({ ...placeOrder, customerId: 'c-1' }, context('c-1'));
  if (again.isOk() || again.error.code !== ORDER_ERRORS.ALREADY_EXISTS) throw new Error('a second PlaceOrder for o-1 should be refused');

  // Read models follow the log: catch them up to read your own write.
  await app.catchUp();
  const summary = await app.orderQueries.orderDetails('o-1');
  if (summary.isErr()) throw new Error(`not in the read model: ${summary.error.code}`);
  const order: OrderSummary = summary.value;
  console.log(JSON.stringify({ orderId: order.orderId, status: order.status, totalAmount: order.totalAmount, currency: order.currency }));
} finally {
  await app.close();
}
