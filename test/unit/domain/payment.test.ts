import { describe, expect, it } from 'vitest';
import { decidePayment, Payment, type PaymentStatus } from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { aPayableOrder, aPayment, aRequestPayment, cancel, complete, PAYMENT_NOW as NOW, PAYMENT_REQUESTED_AT, refund } from '../mothers/payment-mother.js';

const spec = deciderSpec(Payment, decidePayment);

describe('Payment: request', () => {
  it('requests a payment with a provider token', () => {
    spec
      .given([])
      .when(aRequestPayment())
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
    spec.given([]).when(aRequestPayment(overrides)).thenFailsWith(code);
  });

  it.each([
    ['a 16-digit Visa test number', '4111111111111111'],
    ['a number grouped with spaces', '4111 1111 1111 1111'],
    ['a number grouped with dashes', '4111-1111-1111-1111'],
    ['a 13-digit number', '4000000000006'],
    ['a 19-digit number', '4000000000000000006'],
  ])('refuses %s as payment method, without echoing it', (_name, pan) => {
    const error = spec.given([]).when(aRequestPayment({ paymentMethodToken: pan })).thenFailsWith('PAYMENT.CARD_NUMBER_REFUSED');
    expect(error.message).toContain('token');
    expect(JSON.stringify(error)).not.toContain(pan.replace(/\D/g, '').slice(-4));
  });

  it.each([
    ['digits failing the Luhn check', '4111111111111112'],
    ['a Luhn-valid 12-digit string', '123456789015'],
    ['a Luhn-valid 20-digit string', '12345678901234567894'],
  ])('accepts %s as a token', (_name, token) => {
    const [event] = decidePayment(aRequestPayment({ paymentMethodToken: token }), Payment.initialState())._unsafeUnwrap();
    expect(event?.data).toMatchObject({ paymentMethodToken: token });
  });

  it('refuses to request a payment twice', () => {
    spec.given(aPayment('REQUESTED')).when(aRequestPayment()).thenFailsWith('PAYMENT.ALREADY_REQUESTED');
  });
});

describe('Payment: a request is for a placed order, in its currency, within its total', () => {
  it('refuses a payment for an order that does not exist', () => {
    const error = spec.given([]).when(aRequestPayment({ order: null })).thenFailsWith('PAYMENT.ORDER_NOT_FOUND');
    expect(error.details).toEqual({ orderId: 'order-1' });
  });

  it.each(['CONFIRMED', 'CANCELLED', 'SHIPPED'] as const)('refuses a payment for an order that is %s', (status) => {
    const error = spec.given([]).when(aRequestPayment({ order: aPayableOrder({ status }) })).thenFailsWith('PAYMENT.ORDER_NOT_PAYABLE');
    expect(error.details).toMatchObject({ orderStatus: status });
  });

  it("refuses a payment in another currency than the order's", () => {
    spec.given([]).when(aRequestPayment({ currency: 'USD' })).thenFailsWith('PAYMENT.CURRENCY_MISMATCH');
  });

  it("refuses a payment above the order's total, and accepts one of part of it", () => {
    const error = spec.given([]).when(aRequestPayment({ amount: 5001 })).thenFailsWith('PAYMENT.EXCEEDS_AMOUNT_DUE');
    expect(error.details).toEqual({ orderId: 'order-1', amountDue: 5000, totalAmount: 5000 });
    spec.given([]).when(aRequestPayment({ amount: 1 })).then([
      { type: 'PaymentRequested', occurredAt: PAYMENT_REQUESTED_AT, data: { orderId: 'order-1', amount: { amount: 1, currency: 'EUR' }, paymentMethodToken: 'tok_visa_4242' } },
    ]);
  });

  it('refuses a payment above what is still due once part of the total is paid for', () => {
    const error = spec.given([]).when(aRequestPayment({ amount: 2000, order: aPayableOrder({ amountDue: 1999 }) })).thenFailsWith('PAYMENT.EXCEEDS_AMOUNT_DUE');
    expect(error.message).toBe('a payment of 2000 EUR exceeds the 1999 EUR still due on order order-1 (total 5000)');
  });

  it('checks what the request itself says before the order', () => {
    spec.given([]).when(aRequestPayment({ order: null, paymentMethodToken: '4111111111111111' })).thenFailsWith('PAYMENT.CARD_NUMBER_REFUSED');
  });
});

describe('Payment: completion', () => {
  it('records a payment the gateway accepted', () => {
    const state = spec
      .given(aPayment('REQUESTED'))
      .when(complete({ status: 'SUCCESS', reference: 'gw-7' }))
      .then([{ type: 'PaymentProcessed', occurredAt: NOW, data: { transactionId: 'txn-7', gatewayReference: 'gw-7' } }]);
    expect(state.status).toBe('PROCESSED');
  });

  it('records a payment the gateway declined', () => {
    const state = spec
      .given(aPayment('REQUESTED'))
      .when(complete({ status: 'FAILURE', error: 'insufficient funds' }))
      .then([{ type: 'PaymentFailed', occurredAt: NOW, data: { transactionId: 'txn-7', reason: 'insufficient funds' } }]);
    expect(state).toMatchObject({ status: 'FAILED', failureReason: 'insufficient funds' });
  });

  it('refuses a gateway answer that carries a card number, rather than keep it for ever', () => {
    spec.given(aPayment('REQUESTED')).when(complete({ status: 'FAILURE', error: 'card 4111111111111111 declined' })).thenFailsWith('PAYMENT.CARD_NUMBER_IN_TEXT');
  });

  it.each<PaymentStatus>(['NEW', 'PROCESSED', 'FAILED', 'CANCELLED', 'REFUNDED'])('refuses to complete a payment that is %s', (status) => {
    spec.given(aPayment(status)).when(complete({ status: 'SUCCESS' })).thenFailsWith('PAYMENT.CANNOT_COMPLETE');
  });
});

describe('Payment: cancellation', () => {
  it('cancels a requested payment the gateway has not answered', () => {
    const state = spec
      .given(aPayment('REQUESTED'))
      .when(cancel('no payment within 15 minutes'))
      .then([{ type: 'PaymentCancelled', occurredAt: NOW, data: { reason: 'no payment within 15 minutes' } }]);
    expect(state.status).toBe('CANCELLED');
  });

  it.each<PaymentStatus>(['NEW', 'PROCESSED', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED'])('refuses to cancel a payment that is %s', (status) => {
    const error = spec.given(aPayment(status)).when(cancel()).thenFailsWith('PAYMENT.CANNOT_CANCEL');
    expect(error.details).toEqual({ status });
  });

  it('refuses a cancellation without a reason or with a card number in it', () => {
    spec.given(aPayment('REQUESTED')).when(cancel(' ')).thenFailsWith('PAYMENT.REASON_REQUIRED');
    spec.given(aPayment('REQUESTED')).when(cancel('card 4111 1111 1111 1111 expired')).thenFailsWith('PAYMENT.CARD_NUMBER_IN_TEXT');
  });

  it('leaves a cancelled payment nothing to refund', () => {
    spec.given(aPayment('CANCELLED')).when(refund(100)).thenFailsWith('PAYMENT.CANNOT_REFUND');
  });
});

describe('Payment: refunds', () => {
  it('refunds part of a processed payment', () => {
    const state = spec
      .given(aPayment('PROCESSED'))
      .when(refund(1500))
      .then([{ type: 'PaymentRefunded', occurredAt: NOW, data: { amount: { amount: 1500, currency: 'EUR' }, reason: 'returned goods' } }]);
    expect(state).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: 1500 });
  });

  it('refunds exactly what is left, and then nothing more', () => {
    const state = spec
      .given(aPayment('PARTIALLY_REFUNDED'))
      .when(refund(3000))
      .then([{ type: 'PaymentRefunded', occurredAt: NOW, data: { amount: { amount: 3000, currency: 'EUR' }, reason: 'returned goods' } }]);
    expect(state).toMatchObject({ status: 'REFUNDED', refunded: 5000 });
    spec.given(aPayment('REFUNDED')).when(refund(1)).thenFailsWith('PAYMENT.CANNOT_REFUND');
  });

  it('refuses a refund larger than what is left and says how much is', () => {
    const error = spec.given(aPayment('PARTIALLY_REFUNDED')).when(refund(3001)).thenFailsWith('PAYMENT.REFUND_EXCEEDS_REMAINING');
    expect(error.details).toEqual({ remaining: 3000 });
  });

  it.each([0, -5, 10.5])('refuses a refund of %s', (amount) => {
    spec.given(aPayment('PROCESSED')).when(refund(amount)).thenFailsWith('PAYMENT.INVALID_REFUND_AMOUNT');
  });

  it.each<PaymentStatus>(['NEW', 'REQUESTED', 'FAILED'])('refuses to refund a payment that is %s', (status) => {
    spec.given(aPayment(status)).when(refund(100)).thenFailsWith('PAYMENT.CANNOT_REFUND');
  });
});
