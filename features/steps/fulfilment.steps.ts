import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { streamIdOf } from '../../src/application/events/envelope.js';
import { fulfilmentPaymentId } from '../../src/application/workflows/fulfilment-inputs.js';
import type { FulfilmentView } from '../../src/application/workflows/fulfilment-view.js';
import { Inventory, Order, OrderFulfilment, Payment, type FulfilmentEvent, type FulfilmentOutcome, type FulfilmentStep, type PaymentState, type PaymentStatus } from '../../src/domain/index.js';
import { placeOrder } from '../support/commands.js';
import { DEFAULT_UNIT_PRICE } from '../support/mothers.js';
import type { FeatureWorld } from '../support/world.js';

const MINUTE_MS = 60_000;

/** The payment the workflow requests for an order: one per order, named after it. */
const paymentIdOf = (world: FeatureWorld, order: string): string => fulfilmentPaymentId(world.id(order));
const paymentStream = (world: FeatureWorld, order: string): string => streamIdOf(Payment.type, paymentIdOf(world, order));

const paymentOf = async (world: FeatureWorld, order: string): Promise<PaymentState> => {
  const loaded = await world.app.repository.load(Payment, paymentIdOf(world, order));
  if (loaded.isErr()) assert.fail(`the payment of order ${order} does not load: ${loaded.error.code}`);
  return loaded.value.state;
};

const fulfilmentOf = async (world: FeatureWorld, order: string): Promise<FulfilmentView> => {
  const view = await world.app.fulfilment.view(world.id(order));
  if (view.isErr()) assert.fail(`order ${order} has no fulfilment: ${view.error.message}`);
  return view.value;
};

/** How often the gateway's approval of the order's payment was recorded. */
const capturesOf = async (world: FeatureWorld, order: string): Promise<number> =>
  (await world.app.eventStore.readStream(paymentStream(world, order))).filter((event) => event.type === 'PaymentProcessed').length;

/** Why the order was cancelled, as its cancellation records it. */
const cancellationReasonOf = async (world: FeatureWorld, order: string): Promise<string> => {
  const cancelled = (await world.app.eventStore.readStream(world.streamOf(Order.type, order))).find((event) => event.type === 'OrderCancelled');
  assert.ok(cancelled !== undefined, `order ${order} was not cancelled`);
  return (cancelled.data as { reason: string }).reason;
};

/** Every stream the fulfilment of an order (by its id) writes to: the order, its payment, the stock of its lines, the workflow. */
const streamsOf = async (world: FeatureWorld, orderId: string): Promise<string[]> => {
  const loaded = await world.app.repository.load(Order, orderId);
  if (loaded.isErr()) assert.fail(`order ${orderId} does not load: ${loaded.error.code}`);
  const skus = [...new Set(loaded.value.state.lines.map((line) => line.sku))];
  const own = (type: string): string => streamIdOf(type, orderId);
  return [own(Order.type), streamIdOf(Payment.type, fulfilmentPaymentId(orderId)), ...skus.map((sku) => streamIdOf(Inventory.type, sku)), own(OrderFulfilment.type)];
};

Given(
  '{word} has placed order {word} for {int} unit(s) of {word} with payment method {string}',
  async function (this: FeatureWorld, customer: string, order: string, quantity: number, sku: string, paymentMethodToken: string) {
    const lines = [{ sku: this.id(sku), quantity, unitPrice: DEFAULT_UNIT_PRICE.unitPrice }];
    await this.given(placeOrder(this, { customer, order, currency: DEFAULT_UNIT_PRICE.currency, lines, paymentMethodToken }));
  },
);

const runWorkflow = async function (this: FeatureWorld): Promise<void> {
  await this.runWorkflow();
};
When('the fulfilment workflow runs', runWorkflow);
Given('the fulfilment workflow has run', runWorkflow);

When('{int} minute(s) pass(es)', async function (this: FeatureWorld, minutes: number) {
  await this.passTime(minutes * MINUTE_MS);
});

When('{int} second(s) pass(es)', async function (this: FeatureWorld, seconds: number) {
  await this.passTime(seconds * 1_000);
});

When('the payment deadline of order {word} passes again', async function (this: FeatureWorld, order: string) {
  const orderId = this.id(order);
  const { runner } = this.app.fulfilment;
  // The deadline the workflow set when the order was placed, as recorded with that input.
  const placed = (await runner.load(orderId)).events.map((event) => (event.data as FulfilmentEvent['data']).input).find((input) => input.type === 'OrderPlaced');
  assert.ok(placed?.type === 'OrderPlaced', `the fulfilment of order ${order} never started`);
  await this.noteVersions(await streamsOf(this, orderId));
  await runner.receive(orderId, { id: `deadline-again:${randomUUID()}`, at: this.clock.now(), input: { type: 'DeadlinePassed', deadlineId: placed.deadlineIds.payment } }, 'features');
  await this.runWorkflow();
});

When('every event is delivered to the workflow again', async function (this: FeatureWorld) {
  // What every order of this scenario (ids ending in its suffix) holds now, for a later step to compare with.
  const placed = (await this.app.eventStore.readByType('OrderCreated')).map((event) => event.streamId.slice(`${Order.type}-`.length));
  const streams = await Promise.all(placed.filter((orderId) => orderId.endsWith(this.id(''))).map((orderId) => streamsOf(this, orderId)));
  await this.noteVersions(streams.flat());
  // As after a crash that lost the workflow's checkpoint: every stored event is offered again, from the start.
  await this.app.fulfilment.replayAll();
  await this.runWorkflow();
});

Then('nothing more is recorded for order {word}', async function (this: FeatureWorld, order: string) {
  const now: Record<string, number> = {};
  const noted: Record<string, number | undefined> = {};
  for (const streamId of await streamsOf(this, this.id(order))) {
    now[streamId] = await this.versionOf(streamId);
    noted[streamId] = this.notedVersionOf(streamId);
  }
  assert.deepEqual(now, noted);
});

Then('the fulfilment of order {word} {fulfilment-ending}', async function (this: FeatureWorld, order: string, outcome: FulfilmentOutcome) {
  const view = await fulfilmentOf(this, order);
  const step: FulfilmentStep = outcome === 'COMPLETED' ? 'COMPLETED' : 'CANCELLED';
  assert.deepEqual({ step: view.step, outcome: view.outcome, pendingDeadline: view.pendingDeadline }, { step, outcome, pendingDeadline: null });
});

Then('the fulfilment of order {word} waits for {fulfilment-wait} until {instant}', async function (this: FeatureWorld, order: string, step: FulfilmentStep, dueAt: string) {
  const view = await fulfilmentOf(this, order);
  assert.deepEqual({ step: view.step, dueAt: view.pendingDeadline?.dueAt }, { step, dueAt });
});

Then('the fulfilment history of order {word} reads:', async function (this: FeatureWorld, order: string, table: DataTable) {
  const columns = table.raw()[0] ?? [];
  const shown = (await fulfilmentOf(this, order)).history.map((entry) => {
    const row: Record<string, string> = { input: entry.input, step: entry.step, sent: entry.sent.join(', ') };
    return Object.fromEntries(columns.map((column) => [column, row[column] ?? `(no column ${column})`]));
  });
  assert.deepEqual(shown, table.hashes());
});

Then('order {word} is confirmed with its payment', async function (this: FeatureWorld, order: string) {
  const { status, paymentId } = await this.stateOf(Order, order);
  assert.deepEqual({ status, paymentId }, { status: 'CONFIRMED', paymentId: paymentIdOf(this, order) });
});

Then('order {word} was cancelled because {string}', async function (this: FeatureWorld, order: string, reason: string) {
  assert.equal(await cancellationReasonOf(this, order), reason);
});

Then('order {word} was cancelled because {word} could not be reserved', async function (this: FeatureWorld, order: string, sku: string) {
  const reason = await cancellationReasonOf(this, order);
  assert.ok(reason.startsWith(`${this.id(sku)} could not be reserved`), `order ${order} was cancelled because ${JSON.stringify(reason)}`);
});

Then('the payment of order {word} is {payment-status}', async function (this: FeatureWorld, order: string, status: PaymentStatus) {
  assert.equal((await paymentOf(this, order)).status, status);
});

Then('the payment of order {word} is {payment-status} for {amount} {word}', async function (this: FeatureWorld, order: string, status: PaymentStatus, amount: number, currency: string) {
  const payment = await paymentOf(this, order);
  assert.deepEqual({ status: payment.status, amount: payment.amount }, { status, amount: { amount, currency } });
});

Then('the payment of order {word} is refunded in full', async function (this: FeatureWorld, order: string) {
  const { status, amount, refunded } = await paymentOf(this, order);
  assert.deepEqual({ status, refunded }, { status: 'REFUNDED', refunded: amount?.amount });
});

Then('the payment of order {word} was captured once', async function (this: FeatureWorld, order: string) {
  assert.equal(await capturesOf(this, order), 1);
});

Then('no payment was captured for order {word}', async function (this: FeatureWorld, order: string) {
  assert.equal(await capturesOf(this, order), 0);
});

Then('no payment was requested for order {word}', async function (this: FeatureWorld, order: string) {
  assert.deepEqual(await this.app.eventStore.readStream(paymentStream(this, order)), []);
});
