import assert from 'node:assert/strict';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { Order, type OrderLine, type OrderStatus } from '../../src/domain/index.js';
import { hundredths } from '../support/feature-notation.js';
import { anAddress, DEFAULT_UNIT_PRICE } from '../support/mothers.js';
import type { OrderAction } from '../support/parameter-types.js';
import type { FeatureWorld, Send } from '../support/world.js';

interface PlaceOrder {
  readonly customer: string;
  readonly order: string;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
  readonly taxRate?: number;
  /** Anything else a client might send along, such as a total of its own. */
  readonly extra?: Record<string, unknown>;
}

const placeOrder = (world: FeatureWorld, { customer, order, currency, lines, taxRate = 0, extra = {} }: PlaceOrder): Send => {
  const command = { ...extra, orderId: world.id(order), customerId: world.id(customer), currency, lines, taxRate, shippingAddress: anAddress() };
  return (context) => world.app.orders.create(command, context);
};

const linesFrom = (world: FeatureWorld, table: DataTable): OrderLine[] =>
  table.hashes().map((row) => ({ sku: row.sku ? world.id(row.sku) : '', quantity: Number(row.quantity), unitPrice: hundredths(row['unit price'] ?? '') }));

const act = (world: FeatureWorld, order: string, action: OrderAction): Send => {
  const orderId = world.id(order);
  const { orders } = world.app;
  switch (action) {
    case 'confirmed':
      return (context) => orders.confirm({ orderId }, context);
    case 'shipped':
      return (context) => orders.ship({ orderId, carrier: 'DHL', trackingNumber: 'JD014600003828' }, context);
    case 'delivered':
      return (context) => orders.deliver({ orderId }, context);
    case 'cancelled':
      return (context) => orders.cancel({ orderId, reason: 'the customer changed their mind' }, context);
    case 'returned':
      return (context) => orders.return({ orderId, reason: 'does not fit' }, context);
  }
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
  const lines = [{ sku: this.id(sku), quantity, unitPrice: DEFAULT_UNIT_PRICE.unitPrice }];
  await this.given(placeOrder(this, { customer: 'Ada', order, currency: DEFAULT_UNIT_PRICE.currency, lines }));
  for (const action of ROAD[status]) await this.given(act(this, order, action));
});

Given(
  '{word} has placed order {word} for {int} unit(s) of {word} at {amount} {word}',
  async function (this: FeatureWorld, customer: string, order: string, quantity: number, sku: string, unitPrice: number, currency: string) {
    await this.given(placeOrder(this, { customer, order, currency, lines: [{ sku: this.id(sku), quantity, unitPrice }] }));
  },
);

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
  '{word} places order {word} in {word} claiming a total of {amount}:',
  async function (this: FeatureWorld, customer: string, order: string, currency: string, claimed: number, table: DataTable) {
    const extra = { totalAmount: claimed, taxAmount: 0 };
    await this.attempt(orderStream(this, order), placeOrder(this, { customer, order, currency, lines: linesFrom(this, table), extra }));
  },
);

When('{word} places order {word} in {word} with no lines', async function (this: FeatureWorld, customer: string, order: string, currency: string) {
  await this.attempt(orderStream(this, order), placeOrder(this, { customer, order, currency, lines: [] }));
});

When('order {word} is {order-action}', async function (this: FeatureWorld, order: string, action: OrderAction) {
  await this.attempt(orderStream(this, order), act(this, order, action));
});

Given('order {word} has been {order-action}', async function (this: FeatureWorld, order: string, action: OrderAction) {
  await this.given(act(this, order, action));
});

Then('the status of order {word} is {order-status}', async function (this: FeatureWorld, order: string, status: OrderStatus) {
  assert.equal((await this.stateOf(Order, order)).status, status);
});

Then(
  'order {word} totals {amount} {word}, of which {amount} is tax',
  async function (this: FeatureWorld, order: string, total: number, currency: string, tax: number) {
    const state = await this.stateOf(Order, order);
    assert.deepEqual({ total: state.totalAmount, tax: state.taxAmount, currency: state.currency }, { total, tax, currency });
  },
);
