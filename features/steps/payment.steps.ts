import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { Payment, type PaymentStatus } from '../../src/domain/index.js';
import { completePayment as complete, givenPlaced, refundPayment as refund, requestPayment as request, sendPayment, type GatewayAnswer } from '../support/commands.js';
import type { PaymentStage } from '../support/parameter-types.js';
import type { FeatureWorld, Send } from '../support/world.js';

const cancel = (world: FeatureWorld, payment: string): Send =>
  sendPayment(world, { type: 'CancelPayment', paymentId: world.id(payment), reason: 'no answer from the gateway in time' });

const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
};

const paymentStream = (world: FeatureWorld, payment: string): string => world.streamOf('Payment', payment);

/** The road to each stage: the gateway's answer, then what followed (a partial refund is 10.00). */
const ROAD: Readonly<Record<PaymentStage, { answer: GatewayAnswer | null; then?: 'cancel' | 'refund part' | 'refund all' }>> = {
  requested: { answer: null },
  processed: { answer: { accepted: true } },
  failed: { answer: { accepted: false, reason: 'card declined' } },
  cancelled: { answer: null, then: 'cancel' },
  'partially refunded': { answer: { accepted: true }, then: 'refund part' },
  refunded: { answer: { accepted: true }, then: 'refund all' },
};

Given(
  'a {payment-stage} payment {word} of {amount} {word} for order {word}',
  async function (this: FeatureWorld, stage: PaymentStage, payment: string, amount: number, currency: string, order: string) {
    // A payment is requested for a placed order: one for exactly this amount unless the scenario placed it.
    await givenPlaced(this, order, [{ sku: this.id('SKU-1'), quantity: 1, unitPrice: amount }], 'Ada', currency);
    await this.given(request(this, { payment, order, amount, currency }));
    const { answer, then } = ROAD[stage];
    if (answer !== null) await this.given(complete(this, payment, answer));
    if (then === 'cancel') await this.given(cancel(this, payment));
    if (then === 'refund part') await this.given(refund(this, payment, 1000));
    if (then === 'refund all') await this.given(refund(this, payment, amount));
  },
);

When('payment {word} is cancelled', async function (this: FeatureWorld, payment: string) {
  await this.attempt(paymentStream(this, payment), cancel(this, payment));
});

Given('the payment of order {word} has been refunded in full', async function (this: FeatureWorld, order: string) {
  const payment = this.paymentOf(order);
  if (payment === undefined) throw new Error(`the scenario made no payment for order ${order}`);
  const { amount } = await this.stateOf(Payment, payment);
  await this.given(refund(this, payment, amount?.amount ?? 0));
});

When(
  'payment {word} of {amount} {word} is requested for order {word}',
  async function (this: FeatureWorld, payment: string, amount: number, currency: string, order: string) {
    await this.attempt(paymentStream(this, payment), request(this, { payment, order, amount, currency }));
  },
);

When(
  'payment {word} of {amount} {word} is requested for order {word} with payment method {string}',
  async function (this: FeatureWorld, payment: string, amount: number, currency: string, order: string, method: string) {
    await this.attempt(paymentStream(this, payment), request(this, { payment, order, amount, currency, method }));
  },
);

When('the gateway accepts payment {word}', async function (this: FeatureWorld, payment: string) {
  await this.attempt(paymentStream(this, payment), complete(this, payment, { accepted: true }));
});

When('the gateway declines payment {word} with {string}', async function (this: FeatureWorld, payment: string, reason: string) {
  await this.attempt(paymentStream(this, payment), complete(this, payment, { accepted: false, reason }));
});

When('{amount} of payment {word} is refunded', async function (this: FeatureWorld, amount: number, payment: string) {
  await this.attempt(paymentStream(this, payment), refund(this, payment, amount));
});

Given('{amount} of payment {word} has been refunded', async function (this: FeatureWorld, amount: number, payment: string) {
  await this.given(refund(this, payment, amount));
});

Then('the status of payment {word} is {payment-status}', async function (this: FeatureWorld, payment: string, status: PaymentStatus) {
  assert.equal((await this.stateOf(Payment, payment)).status, status);
});

Then('payment {word} has {amount} {word} left to refund', async function (this: FeatureWorld, payment: string, left: number, currency: string) {
  const { amount, refunded } = await this.stateOf(Payment, payment);
  assert.deepEqual({ left: (amount?.amount ?? 0) - refunded, currency: amount?.currency }, { left, currency });
});

Then('payment {word} failed because {string}', async function (this: FeatureWorld, payment: string, reason: string) {
  const state = await this.stateOf(Payment, payment);
  assert.deepEqual({ status: state.status, reason: state.failureReason }, { status: 'FAILED', reason });
});

Then('no stored payment request holds the digits of {string}', async function (this: FeatureWorld, cardNumber: string) {
  const digits = cardNumber.normalize('NFKC').replace(/\D/g, '');
  // Every string in every stored payment request, separators removed, so that "4111 1111 ..." cannot hide as "4111-1111 ...".
  const strings = (await this.app.eventStore.readByType('PaymentRequested')).flatMap((event) => stringsIn(event));
  assert.deepEqual(
    strings.filter((value) => value.normalize('NFKC').replace(/\D/g, '').includes(digits)),
    [],
  );
});
