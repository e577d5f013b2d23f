import type {
  CancelOrder,
  ConfirmOrder,
  DeliverOrder,
  OrderCreated,
  OrderEvent,
  OrderStatus,
  PaymentFacts,
  PlaceOrder,
  ProvidePaymentMethod,
  ReturnOrder,
  ShipOrder,
  ShippingAddress,
} from '../../../src/domain/index.js';
import type { CommandOfType, OrderCommand } from '../../../src/application/commands/commands.js';

export const ORDER_ID = 'order-1';
const ORDER_CREATED_AT = '2026-03-02T10:00:00.000Z';
export const ORDER_DELIVERED_AT = '2026-03-05T12:00:00.000Z';
/** When later commands of a test are decided, unless it says otherwise. */
export const ORDER_NOW = '2026-03-06T10:00:00.000Z';

export const anAddress = (): ShippingAddress => ({ line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' });

/** Two units at 19.99 EUR for a registered customer, untaxed unless the test says otherwise. */
export const aPlaceOrder = (overrides: Partial<PlaceOrder> = {}): PlaceOrder => ({
  type: 'PlaceOrder',
  orderId: ORDER_ID,
  customerId: 'customer-1',
  lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }],
  currency: 'EUR',
  shippingAddress: anAddress(),
  customer: { registered: true },
  now: ORDER_CREATED_AT,
  ...overrides,
});

/** payment-1 as the order is told of it: processed, for order-1's 39.98 EUR. */
export const aProcessedPayment = (overrides: Partial<PaymentFacts> = {}): PaymentFacts => ({
  paymentId: 'payment-1',
  orderId: ORDER_ID,
  status: 'PROCESSED',
  amount: { amount: 3998, currency: 'EUR' },
  ...overrides,
});

export const provide = (paymentMethodToken: string): ProvidePaymentMethod => ({ type: 'ProvidePaymentMethod', orderId: ORDER_ID, paymentMethodToken, now: ORDER_NOW });

/** A confirmation with the payment given (processed and matching unless the test says otherwise), named by its id. */
export const confirm = (payment: PaymentFacts | null = aProcessedPayment(), paymentId: string | null = payment?.paymentId ?? null): ConfirmOrder => ({
  type: 'ConfirmOrder',
  orderId: ORDER_ID,
  paymentId,
  payment,
  now: ORDER_NOW,
});

export const ship = (overrides: Partial<ShipOrder> = {}): ShipOrder => ({
  type: 'ShipOrder',
  orderId: ORDER_ID,
  carrier: 'UPS',
  trackingNumber: '1Z999',
  payment: aProcessedPayment(),
  now: ORDER_NOW,
  ...overrides,
});

export const deliver = (now = ORDER_NOW): DeliverOrder => ({ type: 'DeliverOrder', orderId: ORDER_ID, now });

export const cancel = (reason: string): CancelOrder => ({ type: 'CancelOrder', orderId: ORDER_ID, reason, now: ORDER_NOW });

export const returnOf = (reason: string, now = ORDER_NOW, returnWindowDays?: number): ReturnOrder => ({
  type: 'ReturnOrder',
  orderId: ORDER_ID,
  reason,
  now,
  ...(returnWindowDays === undefined ? {} : { returnWindowDays }),
});

export const anOrderCreated = (): OrderCreated => ({
  type: 'OrderCreated',
  occurredAt: ORDER_CREATED_AT,
  data: {
    customerId: 'customer-1',
    lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }],
    currency: 'EUR',
    totalAmount: 3998,
    taxAmount: 0,
    taxRate: 0,
    shippingAddress: anAddress(),
  },
});

const afterCreation: Readonly<Record<Exclude<OrderStatus, 'NEW' | 'CREATED'>, readonly OrderEvent[]>> = {
  CONFIRMED: [{ type: 'OrderConfirmed', occurredAt: '2026-03-02T11:00:00.000Z', data: { paymentId: 'payment-1' } }],
  SHIPPED: [{ type: 'OrderShipped', occurredAt: '2026-03-03T09:00:00.000Z', data: { carrier: 'DHL', trackingNumber: 'JD0146' } }],
  DELIVERED: [{ type: 'OrderDelivered', occurredAt: ORDER_DELIVERED_AT, data: { deliveredAt: ORDER_DELIVERED_AT } }],
  RETURNED: [{ type: 'OrderReturned', occurredAt: '2026-03-10T12:00:00.000Z', data: { reason: 'too small' } }],
  CANCELLED: [{ type: 'OrderCancelled', occurredAt: '2026-03-02T12:00:00.000Z', data: { reason: 'changed my mind' } }],
};

const PATH: Readonly<Record<OrderStatus, readonly (keyof typeof afterCreation)[]>> = {
  NEW: [],
  CREATED: [],
  CONFIRMED: ['CONFIRMED'],
  SHIPPED: ['CONFIRMED', 'SHIPPED'],
  DELIVERED: ['CONFIRMED', 'SHIPPED', 'DELIVERED'],
  RETURNED: ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'RETURNED'],
  CANCELLED: ['CANCELLED'],
};

/** The history of an order that has reached `status` along the usual path. */
export const anOrder = (status: OrderStatus): OrderEvent[] =>
  status === 'NEW' ? [] : [anOrderCreated(), ...PATH[status].flatMap((step) => afterCreation[step])];

/** What a client sends to place order `orderId` (two units at 19.99 EUR) for `customerId`. */
export const placeOrderCommand = (orderId: string, customerId = 'customer-1', overrides: Partial<CommandOfType<OrderCommand, 'PlaceOrder'>> = {}): CommandOfType<OrderCommand, 'PlaceOrder'> => ({
  type: 'PlaceOrder',
  orderId,
  customerId,
  currency: 'EUR',
  lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }],
  shippingAddress: anAddress(),
  ...overrides,
});
