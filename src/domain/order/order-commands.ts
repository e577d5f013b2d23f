import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../shared/domain-error.js';
import type { Now } from '../shared/domain-event.js';
import { refuseCardNumberIn, refuseInvalidToken } from '../shared/card-number.js';
import { isCountryCode } from '../shared/iso-3166.js';
import { isCurrency, type Money } from '../shared/money.js';
import { days, millisBetween } from '../shared/time.js';
import type { PaymentStatus } from '../payment/payment.js';
import type { OrderState, OrderStatus } from './order.js';
import { ORDER_ERRORS, type OrderErrorCode } from './order-errors.js';
import type { OrderEvent, OrderLine, ShippingAddress } from './order-events.js';

export const DEFAULT_RETURN_WINDOW_DAYS = 30;

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The one place an order's money is computed, in integers only: the subtotal, and the tax rounded half up on minor
 * units (`taxRate` in basis points). Products of amounts and rates overrun a double's exact range long before the
 * total does, so they are taken as BigInt. Null when the total (subtotal plus tax) is not a safe integer.
 */
export const orderAmounts = (lines: readonly OrderLine[], taxRate: number): { readonly subtotal: number; readonly taxAmount: number } | null => {
  const subtotal = lines.reduce((sum, line) => sum + BigInt(line.unitPrice) * BigInt(line.quantity), 0n);
  const taxAmount = (subtotal * BigInt(taxRate) + 5_000n) / 10_000n;
  return subtotal + taxAmount > MAX_EXACT ? null : { subtotal: Number(subtotal), taxAmount: Number(taxAmount) };
};

/** What an order is told of its customer: read from the Customer aggregate when the command is decided. */
export interface CustomerFacts {
  readonly registered: boolean;
}

/** What an order is told of a payment: read from the Payment aggregate when the command is decided. */
export interface PaymentFacts {
  readonly paymentId: string;
  readonly orderId: string | null;
  readonly status: PaymentStatus;
  readonly amount: Money | null;
}

export interface PlaceOrder extends Now {
  readonly type: 'PlaceOrder';
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly currency: string;
  readonly shippingAddress: ShippingAddress;
  /** Basis points; 0 when absent. */
  readonly taxRate?: number;
  /** The provider token to pay with, when the client has it already. */
  readonly paymentMethodToken?: string;
  readonly customer: CustomerFacts;
}

export interface ProvidePaymentMethod extends Now {
  readonly type: 'ProvidePaymentMethod';
  readonly orderId: string;
  readonly paymentMethodToken: string;
}

export interface ConfirmOrder extends Now {
  readonly type: 'ConfirmOrder';
  readonly orderId: string;
  readonly paymentId: string | null;
  /** The payment `paymentId` names; null when there is none. */
  readonly payment: PaymentFacts | null;
}

export interface ShipOrder extends Now {
  readonly type: 'ShipOrder';
  readonly orderId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  /** The payment the order was confirmed with; null when there is none. */
  readonly payment: PaymentFacts | null;
}

export interface DeliverOrder extends Now {
  readonly type: 'DeliverOrder';
  readonly orderId: string;
}

export interface CancelOrder extends Now {
  readonly type: 'CancelOrder';
  readonly orderId: string;
  readonly reason: string;
}

export interface ReturnOrder extends Now {
  readonly type: 'ReturnOrder';
  readonly orderId: string;
  readonly reason: string;
  readonly returnWindowDays?: number;
}

/** An order command as the domain decides it: what the client asked, the time, and the facts of other aggregates it needs. */
export type OrderDomainCommand = PlaceOrder | ProvidePaymentMethod | ConfirmOrder | ShipOrder | DeliverOrder | CancelOrder | ReturnOrder;

type Refusal = DomainError<OrderErrorCode>;
type Decision = Result<readonly OrderEvent[], Refusal>;

const refuseStatus = (code: OrderErrorCode, action: string, state: OrderState, allowed: readonly OrderStatus[]): Refusal =>
  domainError(code, `cannot ${action} an order that is ${state.status}; allowed when ${allowed.join(' or ')}`, { status: state.status });

const validateLines = (lines: readonly OrderLine[]): Refusal | null => {
  if (!Array.isArray(lines) || lines.length === 0) return domainError(ORDER_ERRORS.NO_LINES, 'an order needs at least one line');
  for (const [index, line] of lines.entries()) {
    const at = { line: index + 1 };
    if (typeof line !== 'object' || line === null) return domainError(ORDER_ERRORS.INVALID_LINE, `line ${index + 1} must be an object with sku, quantity and unitPrice`, at);
    if (typeof line.sku !== 'string' || line.sku.trim() === '') return domainError(ORDER_ERRORS.INVALID_SKU, `line ${index + 1}: sku must be a non-empty string`, at);
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      return domainError(ORDER_ERRORS.INVALID_QUANTITY, `line ${index + 1}: quantity must be a positive integer, got ${line.quantity}`, at);
    }
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      return domainError(ORDER_ERRORS.INVALID_UNIT_PRICE, `line ${index + 1}: unit price must be a non-negative integer of minor units, got ${line.unitPrice}`, at);
    }
  }
  return null;
};

const TOKEN_REFUSALS = { invalid: ORDER_ERRORS.INVALID_METHOD_TOKEN, cardNumber: ORDER_ERRORS.CARD_NUMBER_REFUSED } as const;

const placeOrder = (command: PlaceOrder, state: OrderState): Decision => {
  if (state.status !== 'NEW') return err(domainError(ORDER_ERRORS.ALREADY_EXISTS, 'the order already exists'));
  if (typeof command.customerId !== 'string' || command.customerId === '') {
    return err(domainError(ORDER_ERRORS.INVALID_CUSTOMER, 'customer id must be a non-empty string'));
  }
  if (!isCurrency(command.currency)) {
    return err(domainError(ORDER_ERRORS.INVALID_CURRENCY, `currency must be an active ISO 4217 code such as EUR, got ${JSON.stringify(command.currency)}`, { field: 'currency' }));
  }
  if (!isCountryCode(command.shippingAddress?.country)) {
    return err(
      domainError(ORDER_ERRORS.INVALID_COUNTRY, `shippingAddress.country must be an ISO 3166-1 alpha-2 country code such as GB, got ${JSON.stringify(command.shippingAddress?.country)}`, {
        field: 'shippingAddress.country',
      }),
    );
  }
  const invalid = validateLines(command.lines) ?? (command.paymentMethodToken === undefined ? null : refuseInvalidToken(command.paymentMethodToken, TOKEN_REFUSALS));
  if (invalid) return err(invalid);
  const taxRate = command.taxRate ?? 0;
  if (!Number.isSafeInteger(taxRate) || taxRate < 0 || taxRate > 10_000) {
    return err(domainError(ORDER_ERRORS.INVALID_TAX_RATE, `tax rate must be whole basis points from 0 to 10000, got ${taxRate}`));
  }
  const amounts = orderAmounts(command.lines, taxRate);
  if (amounts === null) return err(domainError(ORDER_ERRORS.TOTAL_TOO_LARGE, `the order total exceeds ${Number.MAX_SAFE_INTEGER} minor units, the most that is represented exactly`));
  const { subtotal, taxAmount } = amounts;
  // Cross-aggregate: checked on the customer's current state at decision time (not transactional across
  // aggregates); the order-fulfilment workflow is the backstop.
  if (!command.customer.registered) {
    return err(domainError(ORDER_ERRORS.CUSTOMER_NOT_REGISTERED, `customer ${command.customerId} is not registered`, { customerId: command.customerId }));
  }
  const created: OrderEvent = {
    type: 'OrderCreated',
    occurredAt: command.now,
    data: {
      customerId: command.customerId,
      lines: command.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
      currency: command.currency,
      totalAmount: subtotal + taxAmount,
      taxAmount,
      taxRate,
      shippingAddress: { ...command.shippingAddress },
    },
  };
  const token = command.paymentMethodToken;
  return ok(token === undefined ? [created] : [created, { type: 'OrderPaymentMethodProvided', occurredAt: command.now, data: { paymentMethodToken: token } }]);
};

const providePaymentMethod = (command: ProvidePaymentMethod, state: OrderState): Decision => {
  if (state.status !== 'CREATED') return err(refuseStatus(ORDER_ERRORS.CANNOT_PROVIDE_PAYMENT_METHOD, 'provide a payment method for', state, ['CREATED']));
  const invalid = refuseInvalidToken(command.paymentMethodToken, TOKEN_REFUSALS);
  return invalid ? err(invalid) : ok([{ type: 'OrderPaymentMethodProvided', occurredAt: command.now, data: { paymentMethodToken: command.paymentMethodToken } }]);
};

/**
 * Why a payment cannot stand for this order, or null when it can: it exists, belongs to the order, was processed
 * (not requested only, failed, cancelled or refunded) and is for exactly the order's total in the order's currency.
 */
const refusePayment = (command: ConfirmOrder, state: OrderState): Refusal | null => {
  const { paymentId, payment } = command;
  if (paymentId === null) return domainError(ORDER_ERRORS.PAYMENT_REQUIRED, 'an order is confirmed with the payment that covers it; name it');
  if (payment === null || payment.paymentId !== paymentId) return domainError(ORDER_ERRORS.PAYMENT_NOT_FOUND, `payment ${paymentId} does not exist`, { paymentId });
  if (payment.orderId !== command.orderId) {
    return domainError(ORDER_ERRORS.PAYMENT_FOR_ANOTHER_ORDER, `payment ${paymentId} is for order ${payment.orderId}, not ${command.orderId}`, { paymentId });
  }
  if (payment.status !== 'PROCESSED') {
    return domainError(ORDER_ERRORS.PAYMENT_NOT_COMPLETED, `payment ${paymentId} is ${payment.status}; an order is confirmed with a processed payment`, {
      paymentId,
      paymentStatus: payment.status,
    });
  }
  if (payment.amount?.amount !== state.totalAmount || payment.amount.currency !== state.currency) {
    const paid = payment.amount === null ? 'nothing' : `${payment.amount.amount} ${payment.amount.currency}`;
    return domainError(ORDER_ERRORS.PAYMENT_AMOUNT_MISMATCH, `payment ${paymentId} is for ${paid}; the order's total is ${state.totalAmount} ${state.currency}`, {
      paymentId,
      expected: { amount: state.totalAmount, currency: state.currency },
    });
  }
  return null;
};

const confirmOrder = (command: ConfirmOrder, state: OrderState): Decision => {
  if (state.status !== 'CREATED') return err(refuseStatus(ORDER_ERRORS.CANNOT_CONFIRM, 'confirm', state, ['CREATED']));
  // Cross-aggregate: checked on the payment's current state at decision time (not transactional across
  // aggregates); the order-fulfilment workflow is the backstop (it refunds a payment its order cannot keep).
  const refused = refusePayment(command, state);
  return refused ? err(refused) : ok([{ type: 'OrderConfirmed', occurredAt: command.now, data: { paymentId: command.paymentId } }]);
};

const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

/** A reason is free text kept for ever: required, and never a card number. */
const checkReason = (reason: unknown): Refusal | null =>
  blank(reason) ? domainError(ORDER_ERRORS.REASON_REQUIRED, 'a reason is required') : refuseCardNumberIn(ORDER_ERRORS.CARD_NUMBER_IN_TEXT, { reason });

const shipOrder = (command: ShipOrder, state: OrderState): Decision => {
  if (state.status !== 'CONFIRMED') return err(refuseStatus(ORDER_ERRORS.CANNOT_SHIP, 'ship', state, ['CONFIRMED']));
  if (blank(command.carrier) || blank(command.trackingNumber)) {
    return err(domainError(ORDER_ERRORS.INVALID_SHIPMENT, 'a shipment needs a carrier and a tracking number'));
  }
  // Cross-aggregate: checked on the payment's current state at decision time (not transactional across
  // aggregates); the order-fulfilment workflow is the backstop. It also stops orders confirmed without a
  // payment (before confirmation checked one) and orders whose payment was refunded since.
  const { payment } = command;
  if (state.paymentId === null || payment?.paymentId !== state.paymentId || payment.orderId !== command.orderId || payment.status !== 'PROCESSED') {
    return err(
      domainError(ORDER_ERRORS.PAYMENT_NOT_COMPLETED, 'an order ships only while the payment it was confirmed with stands processed for it', {
        paymentId: state.paymentId,
        paymentStatus: payment?.status ?? null,
      }),
    );
  }
  return ok([{ type: 'OrderShipped', occurredAt: command.now, data: { carrier: command.carrier, trackingNumber: command.trackingNumber } }]);
};

const deliverOrder = (command: DeliverOrder, state: OrderState): Decision =>
  state.status !== 'SHIPPED'
    ? err(refuseStatus(ORDER_ERRORS.CANNOT_DELIVER, 'deliver', state, ['SHIPPED']))
    : ok([{ type: 'OrderDelivered', occurredAt: command.now, data: { deliveredAt: command.now } }]);

const cancelOrder = (command: CancelOrder, state: OrderState): Decision => {
  if (state.status !== 'CREATED' && state.status !== 'CONFIRMED') return err(refuseStatus(ORDER_ERRORS.CANNOT_CANCEL, 'cancel', state, ['CREATED', 'CONFIRMED']));
  const invalid = checkReason(command.reason);
  return invalid ? err(invalid) : ok([{ type: 'OrderCancelled', occurredAt: command.now, data: { reason: command.reason } }]);
};

const returnOrder = (command: ReturnOrder, state: OrderState): Decision => {
  if (state.status !== 'DELIVERED' || state.deliveredAt === null) return err(refuseStatus(ORDER_ERRORS.CANNOT_RETURN, 'return', state, ['DELIVERED']));
  const invalid = checkReason(command.reason);
  if (invalid) return err(invalid);
  const windowDays = command.returnWindowDays ?? DEFAULT_RETURN_WINDOW_DAYS;
  if (millisBetween(state.deliveredAt, command.now) > days(windowDays)) {
    return err(
      domainError(ORDER_ERRORS.RETURN_WINDOW_CLOSED, `returns are accepted within ${windowDays} days of delivery (delivered ${state.deliveredAt})`, {
        deliveredAt: state.deliveredAt,
        returnWindowDays: windowDays,
      }),
    );
  }
  return ok([{ type: 'OrderReturned', occurredAt: command.now, data: { reason: command.reason } }]);
};

/** The order's decider: the events a command leads to from the current state, or why it is refused. */
export const decideOrder = (command: OrderDomainCommand, state: OrderState): Decision => {
  switch (command.type) {
    case 'PlaceOrder':
      return placeOrder(command, state);
    case 'ProvidePaymentMethod':
      return providePaymentMethod(command, state);
    case 'ConfirmOrder':
      return confirmOrder(command, state);
    case 'ShipOrder':
      return shipOrder(command, state);
    case 'DeliverOrder':
      return deliverOrder(command, state);
    case 'CancelOrder':
      return cancelOrder(command, state);
    case 'ReturnOrder':
      return returnOrder(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unhandled order command ${JSON.stringify(unknown)}`);
    }
  }
};
