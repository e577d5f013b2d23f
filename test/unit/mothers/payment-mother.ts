import type {
  CancelPayment,
  CompletePayment,
  GatewayResult,
  OrderFactsForPayment,
  PaymentEvent,
  PaymentStatus,
  RefundPayment,
  RequestPayment,
} from '../../../src/domain/index.js';

export const PAYMENT_REQUESTED_AT = '2026-03-02T10:05:00.000Z';
/** When later commands of a test are decided. */
export const PAYMENT_NOW = '2026-03-03T10:00:00.000Z';

/** order-1 as a payment is told of it: placed, 50.00 EUR. */
export const aPayableOrder = (overrides: Partial<OrderFactsForPayment> = {}): OrderFactsForPayment => ({
  status: 'CREATED',
  currency: 'EUR',
  totalAmount: 5000,
  amountDue: 5000,
  ...overrides,
});

/** 50.00 EUR for order-1 (placed, for 50.00 EUR), paid with a provider token. */
export const aRequestPayment = (overrides: Partial<RequestPayment> = {}): RequestPayment => ({
  type: 'RequestPayment',
  paymentId: 'payment-1',
  orderId: 'order-1',
  amount: 5000,
  currency: 'EUR',
  paymentMethodToken: 'tok_visa_4242',
  order: aPayableOrder(),
  now: PAYMENT_REQUESTED_AT,
  ...overrides,
});

export const complete = (gateway: GatewayResult, transactionId = 'txn-7'): CompletePayment => ({
  type: 'CompletePayment',
  paymentId: 'payment-1',
  transactionId,
  gateway,
  now: PAYMENT_NOW,
});

export const cancel = (reason = 'no answer from the gateway in time'): CancelPayment => ({ type: 'CancelPayment', paymentId: 'payment-1', reason, now: PAYMENT_NOW });

export const refund = (amount: number, reason = 'returned goods'): RefundPayment => ({ type: 'RefundPayment', paymentId: 'payment-1', amount, reason, now: PAYMENT_NOW });

const requested: PaymentEvent = {
  type: 'PaymentRequested',
  occurredAt: PAYMENT_REQUESTED_AT,
  data: { orderId: 'order-1', amount: { amount: 5000, currency: 'EUR' }, paymentMethodToken: 'tok_visa_4242' },
};
const processed: PaymentEvent = { type: 'PaymentProcessed', occurredAt: '2026-03-02T10:06:00.000Z', data: { transactionId: 'txn-1', gatewayReference: 'gw-1' } };
const failed: PaymentEvent = { type: 'PaymentFailed', occurredAt: '2026-03-02T10:06:00.000Z', data: { transactionId: 'txn-1', reason: 'card declined' } };
const cancelled: PaymentEvent = { type: 'PaymentCancelled', occurredAt: '2026-03-02T10:20:00.000Z', data: { reason: 'no answer in time' } };
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
  CANCELLED: [requested, cancelled],
  PARTIALLY_REFUNDED: [requested, processed, refunded(2000)],
  REFUNDED: [requested, processed, refunded(5000)],
};

/** The history of a 50.00 EUR payment that has reached `status` (a partial refund is 20.00). */
export const aPayment = (status: PaymentStatus): PaymentEvent[] => [...HISTORIES[status]];
