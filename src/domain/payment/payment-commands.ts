import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../shared/domain-error.js';
import type { Now } from '../shared/domain-event.js';
import { money, type MoneyErrorCode } from '../shared/money.js';
import { containsBrandedCardNumber, refuseCardNumberIn, refuseInvalidToken } from '../shared/card-number.js';
import type { OrderStatus } from '../order/order.js';
import type { PaymentState } from './payment.js';
import { PAYMENT_ERRORS, type PaymentErrorCode } from './payment-errors.js';
import type { PaymentEvent } from './payment-events.js';

/** What a payment is told of its order: read from the Order aggregate when the request is decided. */
export interface OrderFactsForPayment {
  readonly status: OrderStatus;
  readonly currency: string | null;
  readonly totalAmount: number;
  /** What is left to pay: the total less a payment already requested or captured for the order. */
  readonly amountDue: number;
}

export interface RequestPayment extends Now {
  readonly type: 'RequestPayment';
  readonly paymentId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  /** A token from the payment provider, never a card number. */
  readonly paymentMethodToken: string;
  /** The order `orderId` names; null when there is none. */
  readonly order: OrderFactsForPayment | null;
}

export interface GatewayResult {
  readonly status: 'SUCCESS' | 'FAILURE';
  readonly reference?: string;
  readonly error?: string;
}

export interface CompletePayment extends Now {
  readonly type: 'CompletePayment';
  readonly paymentId: string;
  readonly transactionId: string;
  readonly gateway: GatewayResult;
}

export interface CancelPayment extends Now {
  readonly type: 'CancelPayment';
  readonly paymentId: string;
  readonly reason: string;
}

export interface RefundPayment extends Now {
  readonly type: 'RefundPayment';
  readonly paymentId: string;
  readonly amount: number;
  readonly reason: string;
}

/** A payment command as the domain decides it: what the client asked, the time, and the facts of other aggregates it needs. */
export type PaymentDomainCommand = RequestPayment | CompletePayment | CancelPayment | RefundPayment;

type Refusal = DomainError<PaymentErrorCode | MoneyErrorCode>;
type Decision = Result<readonly PaymentEvent[], Refusal>;

/**
 * Cross-aggregate: checked on the order's current state at decision time (not transactional across aggregates);
 * the order-fulfilment workflow is the backstop (confirmation checks the payment again, and a payment its order
 * cannot keep is refunded).
 */
const refuseForOrder = (command: RequestPayment): Refusal | null => {
  const { order, orderId } = command;
  if (order === null) return domainError(PAYMENT_ERRORS.ORDER_NOT_FOUND, `order ${orderId} does not exist`, { orderId });
  if (order.status !== 'CREATED') {
    return domainError(PAYMENT_ERRORS.ORDER_NOT_PAYABLE, `order ${orderId} is ${order.status}; a payment is requested for a placed order`, {
      orderId,
      orderStatus: order.status,
    });
  }
  if (order.currency !== command.currency) {
    return domainError(PAYMENT_ERRORS.CURRENCY_MISMATCH, `order ${orderId} is in ${order.currency}, not ${command.currency}`, { orderId, currency: order.currency });
  }
  if (command.amount > order.amountDue) {
    return domainError(
      PAYMENT_ERRORS.EXCEEDS_AMOUNT_DUE,
      `a payment of ${command.amount} ${command.currency} exceeds the ${order.amountDue} ${command.currency} still due on order ${orderId} (total ${order.totalAmount})`,
      { orderId, amountDue: order.amountDue, totalAmount: order.totalAmount },
    );
  }
  return null;
};

const requestPayment = (command: RequestPayment, state: PaymentState): Decision => {
  if (state.status !== 'NEW') return err(domainError(PAYMENT_ERRORS.ALREADY_REQUESTED, 'the payment was already requested'));
  const token = command.paymentMethodToken;
  const invalidToken = refuseInvalidToken(token, { invalid: PAYMENT_ERRORS.INVALID_METHOD_TOKEN, cardNumber: PAYMENT_ERRORS.CARD_NUMBER_REFUSED });
  if (invalidToken) return err(invalidToken);
  const amount = money(command.amount, command.currency);
  if (amount.isErr()) return err(amount.error);
  if (amount.value.amount <= 0) {
    return err(domainError(PAYMENT_ERRORS.AMOUNT_NOT_POSITIVE, `payment amount must be positive, got ${command.amount}`));
  }
  const refused = refuseForOrder(command);
  if (refused) return err(refused);
  return ok([{ type: 'PaymentRequested', occurredAt: command.now, data: { orderId: command.orderId, amount: amount.value, paymentMethodToken: token } }]);
};

const completePayment = (command: CompletePayment, state: PaymentState): Decision => {
  if (state.status !== 'REQUESTED') {
    return err(domainError(PAYMENT_ERRORS.CANNOT_COMPLETE, `cannot complete a payment that is ${state.status}; allowed when REQUESTED`, { status: state.status }));
  }
  // The gateway's own ids are long digit strings that pass Luhn by chance: there only a card brand's prefix counts.
  const cardInText =
    refuseCardNumberIn(PAYMENT_ERRORS.CARD_NUMBER_IN_TEXT, { transactionId: command.transactionId, reference: command.gateway.reference }, containsBrandedCardNumber) ??
    refuseCardNumberIn(PAYMENT_ERRORS.CARD_NUMBER_IN_TEXT, { error: command.gateway.error });
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

const cancelPayment = (command: CancelPayment, state: PaymentState): Decision => {
  if (state.status !== 'REQUESTED') {
    return err(domainError(PAYMENT_ERRORS.CANNOT_CANCEL, `cannot cancel a payment that is ${state.status}; allowed when REQUESTED`, { status: state.status }));
  }
  if (typeof command.reason !== 'string' || command.reason.trim() === '') return err(domainError(PAYMENT_ERRORS.REASON_REQUIRED, 'a reason is required'));
  const cardInText = refuseCardNumberIn(PAYMENT_ERRORS.CARD_NUMBER_IN_TEXT, { reason: command.reason });
  return cardInText ? err(cardInText) : ok([{ type: 'PaymentCancelled', occurredAt: command.now, data: { reason: command.reason } }]);
};

const refundPayment = (command: RefundPayment, state: PaymentState): Decision => {
  if ((state.status !== 'PROCESSED' && state.status !== 'PARTIALLY_REFUNDED') || state.amount === null) {
    return err(domainError(PAYMENT_ERRORS.CANNOT_REFUND, `only a processed payment can be refunded; this one is ${state.status}`, { status: state.status }));
  }
  const cardInText = refuseCardNumberIn(PAYMENT_ERRORS.CARD_NUMBER_IN_TEXT, { reason: command.reason });
  if (cardInText) return err(cardInText);
  if (!Number.isSafeInteger(command.amount) || command.amount <= 0) {
    return err(domainError(PAYMENT_ERRORS.INVALID_REFUND_AMOUNT, `refund amount must be a positive integer of minor units, got ${command.amount}`));
  }
  const remaining = state.amount.amount - state.refunded;
  if (command.amount > remaining) {
    return err(
      domainError(PAYMENT_ERRORS.REFUND_EXCEEDS_REMAINING, `refund of ${command.amount} exceeds the ${remaining} ${state.amount.currency} left to refund`, {
        remaining,
      }),
    );
  }
  return ok([
    { type: 'PaymentRefunded', occurredAt: command.now, data: { amount: { amount: command.amount, currency: state.amount.currency }, reason: command.reason } },
  ]);
};

/** The payment's decider: the events a command leads to from the current state, or why it is refused. */
export const decidePayment = (command: PaymentDomainCommand, state: PaymentState): Decision => {
  switch (command.type) {
    case 'RequestPayment':
      return requestPayment(command, state);
    case 'CompletePayment':
      return completePayment(command, state);
    case 'CancelPayment':
      return cancelPayment(command, state);
    case 'RefundPayment':
      return refundPayment(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unhandled payment command ${JSON.stringify(unknown)}`);
    }
  }
};
