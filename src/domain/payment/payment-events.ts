import type { DomainEvent } from '../shared/domain-event.js';
import type { Money } from '../shared/money.js';

export type PaymentRequested = DomainEvent<'PaymentRequested', { orderId: string; amount: Money; paymentMethodToken: string }>;
/** Schema version 2: the gateway's reference flattened out of the raw response of v1. */
export type PaymentProcessed = DomainEvent<'PaymentProcessed', { transactionId: string; gatewayReference: string | null }>;
export type PaymentFailed = DomainEvent<'PaymentFailed', { transactionId: string; reason: string }>;
export type PaymentRefunded = DomainEvent<'PaymentRefunded', { amount: Money; reason: string }>;
/** A requested payment withdrawn before the gateway answered (no payment came within the deadline, or the order went). */
export type PaymentCancelled = DomainEvent<'PaymentCancelled', { reason: string }>;

export type PaymentEvent = PaymentRequested | PaymentProcessed | PaymentFailed | PaymentRefunded | PaymentCancelled;

export const PAYMENT_EVENT_TYPES: ReadonlySet<string> = new Set<PaymentEvent['type']>([
  'PaymentRequested',
  'PaymentProcessed',
  'PaymentFailed',
  'PaymentRefunded',
  'PaymentCancelled',
]);
