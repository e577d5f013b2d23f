import assert from 'node:assert/strict';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { Order, type OrderLine, type OrderStatus } from '../../src/domain/index.js';
import { givenPaidInFull, givenPlaced, placeOrder, sendOrder } from '../support/commands.js';
import { hundredths } from '../support/feature-notation.js';
import { DEFAULT_UNIT_PRICE } from '../support/mothers.js';
import type { OrderAction } from '../support/parameter-types.js';
import type { FeatureWorld, Send } from '../support/world.js';

const linesFrom = (world: FeatureWorld, table: DataTable): OrderLine[] =>
  table.hashes().map((row) => ({ sku: row.sku ? world.id(row.sku) : '', quantity: Number(row.quantity), unitPrice: hundredths(row['unit price'] ?? '') }));

/** Confirms with the payment named, or with none. */
const confirm = (world: FeatureWorld, order: string, payment: string | undefined): Send =>
  sendOrder(world, { type: 'ConfirmOrder', orderId: world.id(order), ...(payment === undefined ? {} : { paymentId: world.id(payment) }) });

/** What happens to an order; a confirmation names the payment the scenario made for the order, if any. */
const act = (world: FeatureWorld, order: string, action: OrderAction): Send => {
  const orderId = world.id(order);
  switch (action) {
    case 'confirmed':
      return confirm(world, order, world.paymentOf(order));
    case 'shipped':
      return sendOrder(world, { type: 'ShipOrder', orderId, carrier: 'DHL', trackingNumber: 'JD014600003828' });
    case 'delivered':
      return sendOrder(world, { type: 'DeliverOrder', orderId });
    case 'cancelled':
      return sendOrder(world, { type: 'CancelOrder', orderId, reason: 'the customer changed their mind' });
    case 'returned':
      return sendOrder(world, { type: 'ReturnOrder', orderId, reason: 'does not fit' });
  }
};

/** Brings the order one step along: on the usual road an order is paid in full before it is confirmed. */
const givenAct = async (world: FeatureWorld, order: string, action: OrderAction): Promise<void> => {
  if (action === 'confirmed' && world.paymentOf(order) === undefined) await givenPaidInFull(world, order);
  await world.given(act(world, order, action));
};

/** The usual road from placed to each status. */
const ROAD: Readonly<Record<OrderStatus, readonly OrderAction[]>> = {
  NEW: [],
  CREATED: [],
  CONFIRMED: ['confirmed'],
  SHIPPED: ['confirmed', 'shipped'],
  DELIVERED: ['confirmed', 'shipped', 'delivered'],
  RETURNED: ['confirmed', 'shipped', 'delivered', 'returned'],
  CANCELLED: ['cancelled'],
};

const orderStream = (world: FeatureWorld, order: string): string => world.streamOf('Order', order);

Given('a {order-status} order {word} for {int} unit(s) of {word}', async function (this: FeatureWorld, status: OrderStatus, order: string, quantity: number, sku: string) {
  await givenPlaced(this, order, [{ sku: this.id(sku), quantity, unitPrice: DEFAULT_UNIT_PRICE.unitPrice }]);
  for (const action of ROAD[status]) await givenAct(this, order, action);
});

Given('a placed order {word} totalling {amount} {word}', async function (this: FeatureWorld, order: string, total: number, currency: string) {
  await givenPlaced(this, order, [{ sku: this.id('SKU-1'), quantity: 1, unitPrice: total }], 'Ada', currency);
});

Given('orders {word} and {word} are placed, each for {int} units of {word} and of {word}', async function (this: FeatureWorld, first: string, second: string, quantity: number, sku: string, otherSku: string) {
  const lines = [sku, otherSku].map((name) => ({ sku: this.id(name), quantity, unitPrice: DEFAULT_UNIT_PRICE.unitPrice }));
  for (const order of [first, second]) await givenPlaced(this, order, lines);
});

Given(
  '{word} has placed order {word} for {int} unit(s) of {word} at {amount} {word}',
  async function (this: FeatureWorld, customer: string, order: string, quantity: number, sku: string, unitPrice: number, currency: string) {
    await givenPlaced(this, order, [{ sku: this.id(sku), quantity, unitPrice }], customer, currency);
  },
);

Given('order {word} was confirmed without a payment, before confirmations checked one', async function (this: FeatureWorld, order: string) {
  // History as an older version of the service wrote it: straight into the store, as no command can now.
  const streamId = orderStream(this, order);
  const event = { type: 'OrderConfirmed', schemaVersion: 1, data: { paymentId: null }, metadata: { correlationId: 'legacy', causationId: null, actor: 'legacy' }, occurredAt: this.clock.now() };
  (await this.app.eventStore.append(streamId, [event], await this.versionOf(streamId)))._unsafeUnwrap();
});

When('{word} places order {word} in {word}:', async function (this: FeatureWorld, customer: string, order: string, currency: string, table: DataTable) {
  await this.attempt(orderStream(this, order), placeOrder(this, { customer, order, currency, lines: linesFrom(this, table) }));
});

When(
  '{word} places order {word} in {word} with {percent} tax:',
  async function (this: FeatureWorld, customer: string, order: string, currency: string, taxRate: number, table: DataTable) {
    await this.attempt(orderStream(this, order), placeOrder(this, { customer, order, currency, taxRate, lines: linesFrom(this, table) }));
  },
);

When(
  '{word} places order {word} in {word} with payment method {string}:',
  async function (this: FeatureWorld, customer: string, order: string, currency: string, paymentMethodToken: string, table: DataTable) {
    await this.attempt(orderStream(this, order), placeOrder(this, { customer, order, currency, paymentMethodToken, lines: linesFrom(this, table) }));
  },
);

When(
  '{word} places order {word} in {word} claiming a total of {amount}:',
  async function (this: FeatureWorld, customer: string, order: string, currency: string, claimed: number, table: DataTable) {
    const extra = { totalAmount: claimed, taxAmount: 0 };
    await this.attempt(orderStream(this, order), placeOrder(this, { customer, order, currency, lines: linesFrom(this, table), extra }));
  },
);

When('{word} places order {word} in {word} with no lines', async function (this: FeatureWorld, customer: string, order: string, currency: string) {
  await this.attempt(orderStream(this, order), placeOrder(this, { customer, order, currency, lines: [] }));
});

When('the payment method {string} is given for order {word}', async function (this: FeatureWorld, paymentMethodToken: string, order: string) {
  await this.attempt(orderStream(this, order), sendOrder(this, { type: 'ProvidePaymentMethod', orderId: this.id(order), paymentMethodToken }));
});

When('order {word} is {order-action}', async function (this: FeatureWorld, order: string, action: OrderAction) {
  await this.attempt(orderStream(this, order), act(this, order, action));
});

When('order {word} is confirmed with payment {word}', async function (this: FeatureWorld, order: string, payment: string) {
  await this.attempt(orderStream(this, order), confirm(this, order, payment));
});

When('order {word} is confirmed without a payment', async function (this: FeatureWorld, order: string) {
  await this.attempt(orderStream(this, order), confirm(this, order, undefined));
});

Given('order {word} has been {order-action}', async function (this: FeatureWorld, order: string, action: OrderAction) {
  await givenAct(this, order, action);
});

Given('order {word} has been paid in full', async function (this: FeatureWorld, order: string) {
  await givenPaidInFull(this, order);
});

Given('customer {word} never registered', async function (this: FeatureWorld, customer: string) {
  assert.equal(await this.exists('Customer', customer), false, `customer ${customer} is registered`);
});

Then('the status of order {word} is {order-status}', async function (this: FeatureWorld, order: string, status: OrderStatus) {
  assert.equal((await this.stateOf(Order, order)).status, status);
});

Then('the payment method of order {word} is {string}', async function (this: FeatureWorld, order: string, token: string) {
  assert.equal((await this.stateOf(Order, order)).paymentMethodToken, token);
});

Then(
  'order {word} totals {amount} {word}, of which {amount} is tax',
  async function (this: FeatureWorld, order: string, total: number, currency: string, tax: number) {
    const state = await this.stateOf(Order, order);
    assert.deepEqual({ total: state.totalAmount, tax: state.taxAmount, currency: state.currency }, { total, tax, currency });
  },
);

