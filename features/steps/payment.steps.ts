import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { Payment, type PaymentStatus } from '../../src/domain/index.js';
import { A_PROVIDER_TOKEN } from '../support/mothers.js';
import type { PaymentStage } from '../support/parameter-types.js';
import type { FeatureWorld, Send } from '../support/world.js';

interface RequestPayment {
  readonly payment: string;
  readonly order: string;
  readonly amount: number;
  readonly currency: string;
  readonly method?: string;
}

const request = (world: FeatureWorld, { payment, order, amount, currency, method = A_PROVIDER_TOKEN }: RequestPayment): Send => {
  const command = { paymentId: world.id(payment), orderId: world.id(order), amount, currency, paymentMethodToken: method };
  return (context) => world.app.payments.request(command, context);
};

type GatewayAnswer = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

const complete = (world: FeatureWorld, payment: string, answer: GatewayAnswer): Send => {
  const gateway = answer.accepted ? { status: 'SUCCESS' as const, reference: `gw-${payment}` } : { status: 'FAILURE' as const, error: answer.reason };
  const command = { paymentId: world.id(payment), transactionId: `txn-${world.id(payment)}`, gateway };
  return (context) => world.app.payments.complete(command, context);
};

const refund = (world: FeatureWorld, payment: string, amount: number): Send => {
  const command = { paymentId: world.id(payment), amount, reason: 'goods returned' };
  return (context) => world.app.payments.refund(command, context);
};

const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
};

const paymentStream = (world: FeatureWorld, payment: string): string => world.streamOf('Payment', payment);

const GATEWAY_ANSWER_FOR: Readonly<Record<PaymentStage, GatewayAnswer | null>> = {
  requested: null,
  processed: { accepted: true },
  failed: { accepted: false, reason: 'card declined' },
};

Given(
  'a {payment-stage} payment {word} of {amount} {word} for order {word}',
  async function (this: FeatureWorld, stage: PaymentStage, payment: string, amount: number, currency: string, order: string) {
    await this.given(request(this, { payment, order, amount, currency }));
    const answer = GATEWAY_ANSWER_FOR[stage];
    if (answer !== null) await this.given(complete(this, payment, answer));
  },
);

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
  const digits = cardNumber.replace(/\D/g, '');
  // Every string in every stored payment request, separators removed, so that "4111 1111 ..." cannot hide as "4111-1111 ...".
  const strings = (await this.app.eventStore.readByType('PaymentRequested')).flatMap((event) => stringsIn(event));
  assert.deepEqual(
    strings.filter((value) => value.replace(/[\s-]/g, '').includes(digits)),
    [],
  );
});
