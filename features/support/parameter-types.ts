import { defineParameterType } from '@cucumber/cucumber';
import type { FulfilmentOutcome, FulfilmentStep, OrderStatus, PaymentStatus } from '../../src/domain/index.js';
import { hundredths, INSTANT, instantOf } from './feature-notation.js';

const oneOf = (words: readonly string[]): RegExp => new RegExp(words.join('|'));

/** "19.99" in a feature is 1999 minor units. */
defineParameterType({ name: 'amount', regexp: /-?\d+(?:\.\d+)?/, transformer: hundredths });

/** "23%" in a feature is 2300 basis points. */
defineParameterType({ name: 'percent', regexp: /-?\d+(?:\.\d+)?%/, transformer: (text: string) => hundredths(text.slice(0, -1)) });

/** A quantity as a client might send it, whole or not, so that the domain can refuse it. */
defineParameterType({ name: 'quantity', regexp: /-?\d+(?:\.\d+)?/, transformer: Number });

defineParameterType({ name: 'error-code', regexp: /[A-Z]+(?:\.[A-Z_]+)+/, transformer: (code: string) => code });

/** "2026-03-02 09:00 UTC", or a day alone for its midnight. */
defineParameterType({ name: 'instant', regexp: INSTANT, transformer: instantOf });

const ORDER_STATUSES: Readonly<Record<string, OrderStatus>> = {
  placed: 'CREATED',
  confirmed: 'CONFIRMED',
  shipped: 'SHIPPED',
  delivered: 'DELIVERED',
  cancelled: 'CANCELLED',
  returned: 'RETURNED',
};
defineParameterType({ name: 'order-status', regexp: oneOf(Object.keys(ORDER_STATUSES)), transformer: (word: string) => ORDER_STATUSES[word] });

const ORDER_ACTIONS = ['confirmed', 'shipped', 'delivered', 'cancelled', 'returned'] as const;
/** What can happen to an order once placed, as the features say it. */
export type OrderAction = (typeof ORDER_ACTIONS)[number];
defineParameterType({ name: 'order-action', regexp: oneOf(ORDER_ACTIONS), transformer: (word: string) => word as OrderAction });

const PAYMENT_STATUSES: Readonly<Record<string, PaymentStatus>> = {
  requested: 'REQUESTED',
  processed: 'PROCESSED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  'partially refunded': 'PARTIALLY_REFUNDED',
  refunded: 'REFUNDED',
};
defineParameterType({ name: 'payment-status', regexp: oneOf(Object.keys(PAYMENT_STATUSES)), transformer: (words: string) => PAYMENT_STATUSES[words] });

const PAYMENT_STAGES = ['requested', 'processed', 'failed', 'cancelled', 'partially refunded', 'refunded'] as const;
/**
 * Where a payment a scenario starts from stands: the gateway has not answered, has accepted, or has declined; or it
 * was cancelled before an answer, or refunded in part or in full after one.
 */
export type PaymentStage = (typeof PAYMENT_STAGES)[number];
defineParameterType({ name: 'payment-stage', regexp: oneOf(PAYMENT_STAGES), transformer: (word: string) => word as PaymentStage });

const RESERVATION_ACTIONS = ['released', 'allocated'] as const;
/** What becomes of an order's reservation: back to available, or allocated to the order. */
export type ReservationAction = (typeof RESERVATION_ACTIONS)[number];
defineParameterType({ name: 'reservation-action', regexp: oneOf(RESERVATION_ACTIONS), transformer: (word: string) => word as ReservationAction });

const PERSONAL_DETAILS = ['name', 'email', 'address'] as const;
/** A customer's personal details, as the features name them. */
export type PersonalDetail = (typeof PERSONAL_DETAILS)[number];
defineParameterType({ name: 'detail', regexp: oneOf(PERSONAL_DETAILS), transformer: (word: string) => word as PersonalDetail });

const FULFILMENT_ENDINGS: Readonly<Record<string, FulfilmentOutcome>> = { 'was completed': 'COMPLETED', 'was compensated': 'COMPENSATED', 'timed out': 'TIMED_OUT' };
/** How an order's fulfilment ended: completed, or given up and undone (compensated), or for want of a payment in time. */
defineParameterType({ name: 'fulfilment-ending', regexp: oneOf(Object.keys(FULFILMENT_ENDINGS)), transformer: (words: string) => FULFILMENT_ENDINGS[words] });

const FULFILMENT_WAITS: Readonly<Record<string, FulfilmentStep>> = { 'a payment method': 'AWAITING_PAYMENT_METHOD', 'the payment': 'AWAITING_PAYMENT' };
/** What an order's fulfilment can be waiting for, until its deadline. */
defineParameterType({ name: 'fulfilment-wait', regexp: oneOf(Object.keys(FULFILMENT_WAITS)), transformer: (words: string) => FULFILMENT_WAITS[words] });
