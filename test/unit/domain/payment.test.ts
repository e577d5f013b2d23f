import { describe, expect, it } from 'vitest';
import { completePayment, Payment, refundPayment, requestPayment, type PaymentStatus } from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { aPayment, aRequestPayment, PAYMENT_REQUESTED_AT } from '../mothers/payment-mother.js';

const spec = deciderSpec(Payment);
const NOW = '2026-03-03T10:00:00.000Z';

describe('Payment: request', () => {
  it('requests a payment with a provider token', () => {
    spec
      .given([])
      .when(requestPayment, aRequestPayment())
      .then([
        {
          type: 'PaymentRequested',
          occurredAt: PAYMENT_REQUESTED_AT,
          data: { orderId: 'order-1', amount: { amount: 5000, currency: 'EUR' }, paymentMethodToken: 'tok_visa_4242' },
        },
      ]);
  });

  it.each([
    { name: 'a zero amount', overrides: { amount: 0 }, code: 'PAYMENT.AMOUNT_NOT_POSITIVE' },
    { name: 'a negative amount', overrides: { amount: -100 }, code: 'PAYMENT.AMOUNT_NOT_POSITIVE' },
    { name: 'an amount in fractions of a cent', overrides: { amount: 49.99 }, code: 'MONEY.INVALID_AMOUNT' },
    { name: 'an unknown currency shape', overrides: { currency: 'euro' }, code: 'MONEY.INVALID_CURRENCY' },
    { name: 'an empty token', overrides: { paymentMethodToken: '  ' }, code: 'PAYMENT.INVALID_METHOD_TOKEN' },
    { name: 'a token over 200 characters', overrides: { paymentMethodToken: `tok_${'x'.repeat(200)}` }, code: 'PAYMENT.INVALID_METHOD_TOKEN' },
  ])('refuses $name', ({ overrides, code }) => {
    spec.given([]).when(requestPayment, aRequestPayment(overrides)).thenFailsWith(code);
  });

  it.each([
    ['a 16-digit Visa test number', '4111111111111111'],
    ['a number grouped with spaces', '4111 1111 1111 1111'],
    ['a number grouped with dashes', '4111-1111-1111-1111'],
    ['a 13-digit number', '4000000000006'],
    ['a 19-digit number', '4000000000000000006'],
  ])('refuses %s as payment method, without echoing it', (_name, pan) => {
    const error = spec.given([]).when(requestPayment, aRequestPayment({ paymentMethodToken: pan })).thenFailsWith('PAYMENT.CARD_NUMBER_REFUSED');
    expect(error.message).toContain('token');
    expect(JSON.stringify(error)).not.toContain(pan.replace(/\D/g, '').slice(-4));
  });

  it.each([
    ['digits failing the Luhn check', '4111111111111112'],
    ['a Luhn-valid 12-digit string', '123456789015'],
    ['a Luhn-valid 20-digit string', '12345678901234567894'],
  ])('accepts %s as a token', (_name, token) => {
    const [event] = requestPayment(Payment.initialState(), aRequestPayment({ paymentMethodToken: token }))._unsafeUnwrap();
    expect(event?.data).toMatchObject({ paymentMethodToken: token });
  });

  it('refuses to request a payment twice', () => {
    spec.given(aPayment('REQUESTED')).when(requestPayment, aRequestPayment()).thenFailsWith('PAYMENT.ALREADY_REQUESTED');
  });
});

describe('Payment: completion', () => {
  it('records a payment the gateway accepted', () => {
    const state = spec
      .given(aPayment('REQUESTED'))
      .when(completePayment, { transactionId: 'txn-7', gateway: { status: 'SUCCESS', reference: 'gw-7' }, now: NOW })
      .then([{ type: 'PaymentProcessed', occurredAt: NOW, data: { transactionId: 'txn-7', gatewayReference: 'gw-7' } }]);
    expect(state.status).toBe('PROCESSED');
  });

  it('records a payment the gateway declined', () => {
    const state = spec
      .given(aPayment('REQUESTED'))
      .when(completePayment, { transactionId: 'txn-7', gateway: { status: 'FAILURE', error: 'insufficient funds' }, now: NOW })
      .then([{ type: 'PaymentFailed', occurredAt: NOW, data: { transactionId: 'txn-7', reason: 'insufficient funds' } }]);
    expect(state).toMatchObject({ status: 'FAILED', failureReason: 'insufficient funds' });
  });

  it('refuses a gateway answer that carries a card number, rather than keep it for ever', () => {
    spec
      .given(aPayment('REQUESTED'))
      .when(completePayment, { transactionId: 'txn-7', gateway: { status: 'FAILURE', error: 'card 4111111111111111 declined' }, now: NOW })
      .thenFailsWith('PAYMENT.CARD_NUMBER_IN_TEXT');
  });

  it.each<PaymentStatus>(['NEW', 'PROCESSED', 'FAILED', 'REFUNDED'])('refuses to complete a payment that is %s', (status) => {
    spec
      .given(aPayment(status))
      .when(completePayment, { transactionId: 'txn-7', gateway: { status: 'SUCCESS' }, now: NOW })
      .thenFailsWith('PAYMENT.CANNOT_COMPLETE');
  });
});

describe('Payment: refunds', () => {
  const refund = (amount: number) => ({ amount, reason: 'returned goods', now: NOW });

  it('refunds part of a processed payment', () => {
    const state = spec
      .given(aPayment('PROCESSED'))
      .when(refundPayment, refund(1500))
      .then([{ type: 'PaymentRefunded', occurredAt: NOW, data: { amount: { amount: 1500, currency: 'EUR' }, reason: 'returned goods' } }]);
    expect(state).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: 1500 });
  });

  it('refunds exactly what is left, and then nothing more', () => {
    const state = spec
      .given(aPayment('PARTIALLY_REFUNDED'))
      .when(refundPayment, refund(3000))
      .then([{ type: 'PaymentRefunded', occurredAt: NOW, data: { amount: { amount: 3000, currency: 'EUR' }, reason: 'returned goods' } }]);
    expect(state).toMatchObject({ status: 'REFUNDED', refunded: 5000 });
    spec.given(aPayment('REFUNDED')).when(refundPayment, refund(1)).thenFailsWith('PAYMENT.CANNOT_REFUND');
  });

  it('refuses a refund larger than what is left and says how much is', () => {
    const error = spec.given(aPayment('PARTIALLY_REFUNDED')).when(refundPayment, refund(3001)).thenFailsWith('PAYMENT.REFUND_EXCEEDS_REMAINING');
    expect(error.details).toEqual({ remaining: 3000 });
  });

  it.each([0, -5, 10.5])('refuses a refund of %s', (amount) => {
    spec.given(aPayment('PROCESSED')).when(refundPayment, refund(amount)).thenFailsWith('PAYMENT.INVALID_REFUND_AMOUNT');
  });

  it.each<PaymentStatus>(['NEW', 'REQUESTED', 'FAILED'])('refuses to refund a payment that is %s', (status) => {
    spec.given(aPayment(status)).when(refundPayment, refund(100)).thenFailsWith('PAYMENT.CANNOT_REFUND');
  });
});
