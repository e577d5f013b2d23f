import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../shared/domain-error.js';
import type { Now } from '../shared/domain-event.js';
import { refuseCardNumberIn } from '../shared/card-number.js';
import { isCurrency } from '../shared/money.js';
import { days, millisBetween } from '../shared/time.js';
import type { OrderState, OrderStatus } from './order.js';
import type { OrderEvent, OrderLine, ShippingAddress } from './order-events.js';

export const DEFAULT_RETURN_WINDOW_DAYS = 30;

export interface CreateOrder extends Now {
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly currency: string;
  readonly shippingAddress: ShippingAddress;
  /** Basis points; 0 when absent. */
  readonly taxRate?: number;
}

type Decision = Result<readonly OrderEvent[], DomainError>;

const refuseStatus = (action: string, state: OrderState, allowed: readonly OrderStatus[]): DomainError =>
  domainError(`ORDER.CANNOT_${action}`, `cannot ${action.toLowerCase()} an order that is ${state.status}; allowed when ${allowed.join(' or ')}`, {
    status: state.status,
  });

const validateLines = (lines: readonly OrderLine[]): DomainError | null => {
  if (!Array.isArray(lines) || lines.length === 0) return domainError('ORDER.NO_LINES', 'an order needs at least one line');
  for (const [index, line] of lines.entries()) {
    if (typeof line !== 'object' || line === null) return domainError('ORDER.INVALID_LINE', `line ${index + 1} must be an object with sku, quantity and unitPrice`, { line: index + 1 });
    if (typeof line.sku !== 'string' || line.sku.trim() === '') {
      return domainError('ORDER.INVALID_SKU', `line ${index + 1}: sku must be a non-empty string`, { line: index + 1 });
    }
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      return domainError('ORDER.INVALID_QUANTITY', `line ${index + 1}: quantity must be a positive integer, got ${line.quantity}`, { line: index + 1 });
    }
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      return domainError('ORDER.INVALID_UNIT_PRICE', `line ${index + 1}: unit price must be a non-negative integer of minor units, got ${line.unitPrice}`, {
        line: index + 1,
      });
    }
  }
  return null;
};

export const createOrder = (state: OrderState, command: CreateOrder): Decision => {
  if (state.status !== 'NEW') return err(domainError('ORDER.ALREADY_EXISTS', 'the order already exists'));
  if (typeof command.customerId !== 'string' || command.customerId === '') {
    return err(domainError('ORDER.INVALID_CUSTOMER', 'customer id must be a non-empty string'));
  }
  if (!isCurrency(command.currency)) {
    return err(domainError('ORDER.INVALID_CURRENCY', `currency must be an ISO 4217 code such as EUR, got ${JSON.stringify(command.currency)}`));
  }
  const invalid = validateLines(command.lines);
  if (invalid) return err(invalid);
  const taxRate = command.taxRate ?? 0;
  if (!Number.isSafeInteger(taxRate) || taxRate < 0 || taxRate > 10_000) {
    return err(domainError('ORDER.INVALID_TAX_RATE', `tax rate must be whole basis points from 0 to 10000, got ${taxRate}`));
  }
  const subtotal = command.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  if (!Number.isSafeInteger(subtotal)) return err(domainError('ORDER.TOTAL_TOO_LARGE', 'the order total exceeds what can be represented exactly'));
  // Round half up on minor units: the one place tax is computed.
  const taxAmount = Math.floor((subtotal * taxRate + 5_000) / 10_000);
  return ok([
    {
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
    },
  ]);
};

export const confirmOrder = (state: OrderState, command: Now & { paymentId?: string | null }): Decision =>
  state.status !== 'CREATED'
    ? err(refuseStatus('CONFIRM', state, ['CREATED']))
    : ok([{ type: 'OrderConfirmed', occurredAt: command.now, data: { paymentId: command.paymentId ?? null } }]);

const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

/** A reason is free text kept for ever: required, and never a card number. */
const checkReason = (reason: unknown): DomainError | null =>
  blank(reason) ? domainError('ORDER.REASON_REQUIRED', 'a reason is required') : refuseCardNumberIn('ORDER', { reason });

export const shipOrder = (state: OrderState, command: Now & { carrier: string; trackingNumber: string }): Decision => {
  if (state.status !== 'CONFIRMED') return err(refuseStatus('SHIP', state, ['CONFIRMED']));
  if (blank(command.carrier) || blank(command.trackingNumber)) {
    return err(domainError('ORDER.INVALID_SHIPMENT', 'a shipment needs a carrier and a tracking number'));
  }
  return ok([{ type: 'OrderShipped', occurredAt: command.now, data: { carrier: command.carrier, trackingNumber: command.trackingNumber } }]);
};

export const deliverOrder = (state: OrderState, command: Now): Decision =>
  state.status !== 'SHIPPED'
    ? err(refuseStatus('DELIVER', state, ['SHIPPED']))
    : ok([{ type: 'OrderDelivered', occurredAt: command.now, data: { deliveredAt: command.now } }]);

export const cancelOrder = (state: OrderState, command: Now & { reason: string }): Decision => {
  if (state.status !== 'CREATED' && state.status !== 'CONFIRMED') return err(refuseStatus('CANCEL', state, ['CREATED', 'CONFIRMED']));
  const invalid = checkReason(command.reason);
  return invalid ? err(invalid) : ok([{ type: 'OrderCancelled', occurredAt: command.now, data: { reason: command.reason } }]);
};

export const returnOrder = (state: OrderState, command: Now & { reason: string; returnWindowDays?: number }): Decision => {
  if (state.status !== 'DELIVERED' || state.deliveredAt === null) return err(refuseStatus('RETURN', state, ['DELIVERED']));
  const invalid = checkReason(command.reason);
  if (invalid) return err(invalid);
  const windowDays = command.returnWindowDays ?? DEFAULT_RETURN_WINDOW_DAYS;
  if (millisBetween(state.deliveredAt, command.now) > days(windowDays)) {
    return err(
      domainError('ORDER.RETURN_WINDOW_CLOSED', `returns are accepted within ${windowDays} days of delivery (delivered ${state.deliveredAt})`, {
        deliveredAt: state.deliveredAt,
        returnWindowDays: windowDays,
      }),
    );
  }
  return ok([{ type: 'OrderReturned', occurredAt: command.now, data: { reason: command.reason } }]);
};
