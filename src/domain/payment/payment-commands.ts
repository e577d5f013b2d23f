import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../shared/domain-error.js';
import type { Now } from '../shared/domain-event.js';
import { money } from '../shared/money.js';
import { containsCardNumber, refuseCardNumberIn } from '../shared/card-number.js';
import type { PaymentState } from './payment.js';
import type { PaymentEvent } from './payment-events.js';

type Decision = Result<readonly PaymentEvent[], DomainError>;

export interface RequestPayment extends Now {
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  /** A token from the payment provider, never a card number. */
  readonly paymentMethodToken: string;
}

export interface GatewayResult {
  readonly status: 'SUCCESS' | 'FAILURE';
  readonly reference?: string;
  readonly error?: string;
}

export const requestPayment = (state: PaymentState, command: RequestPayment): Decision => {
  if (state.status !== 'NEW') return err(domainError('PAYMENT.ALREADY_REQUESTED', 'the payment was already requested'));
  const token = command.paymentMethodToken;
  if (typeof token !== 'string' || token.trim() === '' || token.length > 200) {
    return err(domainError('PAYMENT.INVALID_METHOD_TOKEN', 'payment method must be a provider token of 1 to 200 characters'));
  }
  if (containsCardNumber(token)) {
    return err(
      domainError('PAYMENT.CARD_NUMBER_REFUSED', 'payment method looks like a card number; send the token your payment provider issued instead'),
    );
  }
  const amount = money(command.amount, command.currency);
  if (amount.isErr()) return err(amount.error);
  if (amount.value.amount <= 0) {
    return err(domainError('PAYMENT.AMOUNT_NOT_POSITIVE', `payment amount must be positive, got ${command.amount}`));
  }
  return ok([{ type: 'PaymentRequested', occurredAt: command.now, data: { orderId: command.orderId, amount: amount.value, paymentMethodToken: token } }]);
};

export const completePayment = (state: PaymentState, command: Now & { transactionId: string; gateway: GatewayResult }): Decision => {
  if (state.status !== 'REQUESTED') {
    return err(domainError('PAYMENT.CANNOT_COMPLETE', `cannot complete a payment that is ${state.status}; allowed when REQUESTED`, { status: state.status }));
  }
  const cardInText = refuseCardNumberIn('PAYMENT', { transactionId: command.transactionId, reference: command.gateway.reference, error: command.gateway.error });
  if (cardInText) return err(cardInText);
  if (command.gateway.status === 'SUCCESS') {
    return ok([
      { type: 'PaymentProcessed', occurredAt: command.now, data: { transactionId: command.transactionId, gatewayReference: command.gateway.reference ?? null } },
    ]);
  }
  return ok([
    { type: 'PaymentFailed', occurredAt: command.now, data: { transactionId: command.transactionId, reason: command.gateway.error ?? 'unknown gateway error' } },
  ]);
};

export const refundPayment = (state: PaymentState, command: Now & { amount: number; reason: string }): Decision => {
  if ((state.status !== 'PROCESSED' && state.status !== 'PARTIALLY_REFUNDED') || state.amount === null) {
    return err(domainError('PAYMENT.CANNOT_REFUND', `only a processed payment can be refunded; this one is ${state.status}`, { status: state.status }));
  }
  const cardInText = refuseCardNumberIn('PAYMENT', { reason: command.reason });
  if (cardInText) return err(cardInText);
  if (!Number.isSafeInteger(command.amount) || command.amount <= 0) {
    return err(domainError('PAYMENT.INVALID_REFUND_AMOUNT', `refund amount must be a positive integer of minor units, got ${command.amount}`));
  }
  const remaining = state.amount.amount - state.refunded;
  if (command.amount > remaining) {
    return err(
      domainError('PAYMENT.REFUND_EXCEEDS_REMAINING', `refund of ${command.amount} exceeds the ${remaining} ${state.amount.currency} left to refund`, {
        remaining,
      }),
    );
  }
  return ok([
    { type: 'PaymentRefunded', occurredAt: command.now, data: { amount: { amount: command.amount, currency: state.amount.currency }, reason: command.reason } },
  ]);
};
