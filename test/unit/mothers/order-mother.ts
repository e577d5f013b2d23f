import type { CreateOrder, OrderCreated, OrderEvent, OrderStatus, ShippingAddress } from '../../../src/domain/index.js';

const ORDER_CREATED_AT = '2026-03-02T10:00:00.000Z';
export const ORDER_DELIVERED_AT = '2026-03-05T12:00:00.000Z';

export const anAddress = (): ShippingAddress => ({ line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' });

/** Two units at 19.99 EUR, untaxed unless the test says otherwise. */
export const aCreateOrder = (overrides: Partial<CreateOrder> = {}): CreateOrder => ({
  customerId: 'customer-1',
  lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }],
  currency: 'EUR',
  shippingAddress: anAddress(),
  now: ORDER_CREATED_AT,
  ...overrides,
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
