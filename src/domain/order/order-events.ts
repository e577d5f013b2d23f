import type { DomainEvent } from '../shared/domain-event.js';

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  /** Integer minor units of the order's currency. */
  readonly unitPrice: number;
}

export interface ShippingAddress {
  readonly line1: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

/** Schema version 3: currency (v2) and tax in minor units and basis points (v3). */
export type OrderCreated = DomainEvent<
  'OrderCreated',
  {
    customerId: string;
    lines: OrderLine[];
    currency: string;
    /** Subtotal plus tax, computed by the domain, never taken from input. */
    totalAmount: number;
    taxAmount: number;
    /** Basis points: 2000 is 20 %. */
    taxRate: number;
    shippingAddress: ShippingAddress;
  }
>;
/** The provider token the order's payment is to be requested with (never a card number). */
export type OrderPaymentMethodProvided = DomainEvent<'OrderPaymentMethodProvided', { paymentMethodToken: string }>;
export type OrderConfirmed = DomainEvent<'OrderConfirmed', { paymentId: string | null }>;
export type OrderShipped = DomainEvent<'OrderShipped', { carrier: string; trackingNumber: string }>;
export type OrderDelivered = DomainEvent<'OrderDelivered', { deliveredAt: string }>;
export type OrderCancelled = DomainEvent<'OrderCancelled', { reason: string }>;
export type OrderReturned = DomainEvent<'OrderReturned', { reason: string }>;

export type OrderEvent =
  | OrderCreated
  | OrderPaymentMethodProvided
  | OrderConfirmed
  | OrderShipped
  | OrderDelivered
  | OrderCancelled
  | OrderReturned;

export const ORDER_EVENT_TYPES: ReadonlySet<string> = new Set<OrderEvent['type']>([
  'OrderCreated',
  'OrderPaymentMethodProvided',
  'OrderConfirmed',
  'OrderShipped',
  'OrderDelivered',
  'OrderCancelled',
  'OrderReturned',
]);
