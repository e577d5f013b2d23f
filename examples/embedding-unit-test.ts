// A unit test of an embedding application on the memory environment, with node:test (any runner will do): a clock
// the test sets, nothing running in the background (CONSUMERS=off), read models caught up by the test itself.
// The packed-library test compiles it against the installed package and runs it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FixedClock, RandomUuids, type App, type CommandContext } from 'event-sourcing-core';
import { ORDER_ERRORS } from 'event-sourcing-core/domain';
import { openMemoryApp } from 'event-sourcing-core/environments';

const clock = new FixedClock('2026-03-02T09:00:00.000Z');
const context: CommandContext = { metadata: { correlationId: 'test-1', causationId: null, actor: 'unit-test' } };
let app: App;

before(async () => {
  app = await openMemoryApp({ settings: { CONSUMERS: 'off', FULFILMENT: 'manual' }, runtime: { clock, ids: new RandomUuids() } });
  assert.ok((await app.customers.handle({ type: 'RegisterCustomer', customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, context)).isOk());
});
after(() => app.close());

test('an order is placed at the time the clock says, and listed for its customer', async () => {
  const address = { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' };
  const placed = await app.orders.handle({ type: 'PlaceOrder', orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 250 }], shippingAddress: address }, context);
  assert.ok(placed.isOk());
  await app.catchUp();
  const orders = await app.orderQueries.customerOrders('c-1');
  assert.deepEqual(orders.map(({ orderId, createdAt, totalAmount }) => ({ orderId, createdAt, totalAmount })), [{ orderId: 'o-1', createdAt: '2026-03-02T09:00:00.000Z', totalAmount: 250 }]);
});

test('an unpaid order cannot ship: refused with a stable code', async () => {
  const shipped = await app.orders.handle({ type: 'ShipOrder', orderId: 'o-1', carrier: 'DHL', trackingNumber: 'JD0146' }, context);
  assert.equal(shipped.isErr() && shipped.error.code, ORDER_ERRORS.CANNOT_SHIP);
});
