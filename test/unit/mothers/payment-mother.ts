import type { PaymentEvent, PaymentStatus, RequestPayment } from '../../../src/domain/index.js';

export const PAYMENT_REQUESTED_AT = '2026-03-02T10:05:00.000Z';

/** 50.00 EUR for order-1, paid with a provider token. */
export const aRequestPayment = (overrides: Partial<RequestPayment> = {}): RequestPayment => ({
  orderId: 'order-1',
  amount: 5000,
  currency: 'EUR',
  paymentMethodToken: 'tok_visa_4242',
  now: PAYMENT_REQUESTED_AT,
  ...overrides,
});

const requested: PaymentEvent = {
  type: 'PaymentRequested',
  occurredAt: PAYMENT_REQUESTED_AT,
  data: { orderId: 'order-1', amount: { amount: 5000, currency: 'EUR' }, paymentMethodToken: 'tok_visa_4242' },
};
const processed: PaymentEvent = { type: 'PaymentProcessed', occurredAt: '2026-03-02T10:06:00.000Z', data: { transactionId: 'txn-1', gatewayReference: 'gw-1' } };
const failed: PaymentEvent = { type: 'PaymentFailed', occurredAt: '2026-03-02T10:06:00.000Z', data: { transactionId: 'txn-1', reason: 'card declined' } };
const refunded = (amount: number): PaymentEvent => ({
  type: 'PaymentRefunded',
  occurredAt: '2026-03-04T08:00:00.000Z',
  data: { amount: { amount, currency: 'EUR' }, reason: 'returned goods' },
});

const HISTORIES: Readonly<Record<PaymentStatus, readonly PaymentEvent[]>> = {
  NEW: [],
  REQUESTED: [requested],
  PROCESSED: [requested, processed],
  FAILED: [requested, failed],
  PARTIALLY_REFUNDED: [requested, processed, refunded(2000)],
  REFUNDED: [requested, processed, refunded(5000)],
};

/** The history of a 50.00 EUR payment that has reached `status` (a partial refund is 20.00). */
export const aPayment = (status: PaymentStatus): PaymentEvent[] => [...HISTORIES[status]];
