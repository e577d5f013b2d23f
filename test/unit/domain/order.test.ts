import { describe, expect, it } from 'vitest';
import {
  cancelOrder,
  confirmOrder,
  createOrder,
  deliverOrder,
  Order,
  returnOrder,
  shipOrder,
  type CreateOrder,
  type OrderStatus,
} from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { aCreateOrder, anAddress, anOrder, anOrderCreated, ORDER_DELIVERED_AT } from '../mothers/order-mother.js';

const spec = deciderSpec(Order);
const NOW = '2026-03-06T10:00:00.000Z';
const DAY_MS = 86_400_000;
const afterDelivery = (ms: number): string => new Date(Date.parse(ORDER_DELIVERED_AT) + ms).toISOString();

describe('Order: creation', () => {
  it('creates an order whose total the domain computes', () => {
    const state = spec.given([]).when(createOrder, aCreateOrder()).then([anOrderCreated()]);
    expect(state).toMatchObject({ status: 'CREATED', totalAmount: 3998, currency: 'EUR' });
  });

  it('ignores a total given in the input', () => {
    const sneaky = { ...aCreateOrder(), totalAmount: 1 } as CreateOrder;
    spec.given([]).when(createOrder, sneaky).then([anOrderCreated()]);
  });

  it.each([
    // 2 x 19.99 at 23 %: 919.54 cents of tax
    { lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }], taxRate: 2300, taxAmount: 920, totalAmount: 4918 },
    // exactly half a cent rounds up
    { lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 5 }], taxRate: 1000, taxAmount: 1, totalAmount: 6 },
    { lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 25 }], taxRate: 1000, taxAmount: 3, totalAmount: 28 },
    // 2.4999 cents: just under half rounds down; 4.9998 cents rounds to the nearest
    { lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 24_999 }], taxRate: 1, taxAmount: 2, totalAmount: 25_001 },
    { lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 24_999 }], taxRate: 2, taxAmount: 5, totalAmount: 25_004 },
    // several lines, a free one among them
    {
      lines: [
        { sku: 'SKU-1', quantity: 3, unitPrice: 333 },
        { sku: 'SKU-2', quantity: 1, unitPrice: 0 },
        { sku: 'SKU-3', quantity: 2, unitPrice: 1050 },
      ],
      taxRate: 1900,
      taxAmount: 589,
      totalAmount: 3688,
    },
    { lines: [{ sku: 'SKU-1', quantity: 4, unitPrice: 250 }], taxRate: 10_000, taxAmount: 1000, totalAmount: 2000 },
  ])('computes tax $taxAmount at $taxRate bp, rounding half up, and total $totalAmount', ({ lines, taxRate, taxAmount, totalAmount }) => {
    const [event] = createOrder(Order.initialState(), aCreateOrder({ lines, taxRate }))._unsafeUnwrap();
    expect(event?.data).toMatchObject({ taxAmount, taxRate, totalAmount });
  });

  it('treats a missing tax rate as untaxed', () => {
    const [event] = createOrder(Order.initialState(), aCreateOrder())._unsafeUnwrap();
    expect(event?.data).toMatchObject({ taxAmount: 0, taxRate: 0 });
  });

  it('refuses to create an order twice', () => {
    spec.given(anOrder('CREATED')).when(createOrder, aCreateOrder()).thenFailsWith('ORDER.ALREADY_EXISTS');
  });

  it.each([
    { name: 'no lines', overrides: { lines: [] }, code: 'ORDER.NO_LINES' },
    { name: 'an empty sku', overrides: { lines: [{ sku: ' ', quantity: 1, unitPrice: 100 }] }, code: 'ORDER.INVALID_SKU' },
    { name: 'a zero quantity', overrides: { lines: [{ sku: 'SKU-1', quantity: 0, unitPrice: 100 }] }, code: 'ORDER.INVALID_QUANTITY' },
    { name: 'a negative quantity', overrides: { lines: [{ sku: 'SKU-1', quantity: -1, unitPrice: 100 }] }, code: 'ORDER.INVALID_QUANTITY' },
    { name: 'a fractional quantity', overrides: { lines: [{ sku: 'SKU-1', quantity: 1.5, unitPrice: 100 }] }, code: 'ORDER.INVALID_QUANTITY' },
    { name: 'a negative unit price', overrides: { lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: -1 }] }, code: 'ORDER.INVALID_UNIT_PRICE' },
    { name: 'a fractional unit price', overrides: { lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 19.99 }] }, code: 'ORDER.INVALID_UNIT_PRICE' },
    { name: 'a lower-case currency', overrides: { currency: 'eur' }, code: 'ORDER.INVALID_CURRENCY' },
    { name: 'no customer', overrides: { customerId: '' }, code: 'ORDER.INVALID_CUSTOMER' },
    { name: 'a negative tax rate', overrides: { taxRate: -1 }, code: 'ORDER.INVALID_TAX_RATE' },
    { name: 'a tax rate over 100 %', overrides: { taxRate: 10_001 }, code: 'ORDER.INVALID_TAX_RATE' },
    { name: 'a fractional tax rate', overrides: { taxRate: 12.5 }, code: 'ORDER.INVALID_TAX_RATE' },
    {
      name: 'a total beyond exact integers',
      overrides: { lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: Number.MAX_SAFE_INTEGER - 1 }] },
      code: 'ORDER.TOTAL_TOO_LARGE',
    },
  ])('refuses an order with $name', ({ overrides, code }) => {
    const error = spec.given([]).when(createOrder, aCreateOrder(overrides)).thenFailsWith(code);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('names the offending line', () => {
    const lines = [
      { sku: 'SKU-1', quantity: 1, unitPrice: 100 },
      { sku: 'SKU-2', quantity: 0, unitPrice: 100 },
    ];
    const error = spec.given([]).when(createOrder, aCreateOrder({ lines })).thenFailsWith('ORDER.INVALID_QUANTITY');
    expect(error.details).toEqual({ line: 2 });
    expect(error.message).toContain('positive integer');
  });
});

describe('Order: malformed input', () => {
  it('refuses a line that is not an object with a typed error', () => {
    spec
      .given([])
      .when(createOrder, aCreateOrder({ lines: [null as never] }))
      .thenFailsWith('ORDER.INVALID_LINE');
  });
});

describe('Order: life cycle', () => {
  it('confirms a created order', () => {
    spec
      .given(anOrder('CREATED'))
      .when(confirmOrder, { paymentId: 'payment-9', now: NOW })
      .then([{ type: 'OrderConfirmed', occurredAt: NOW, data: { paymentId: 'payment-9' } }]);
  });

  it.each<OrderStatus>(['NEW', 'CONFIRMED', 'SHIPPED', 'CANCELLED'])('refuses to confirm an order that is %s', (status) => {
    const error = spec.given(anOrder(status)).when(confirmOrder, { now: NOW }).thenFailsWith('ORDER.CANNOT_CONFIRM');
    expect(error.details).toEqual({ status });
  });

  it('ships a confirmed order', () => {
    spec
      .given(anOrder('CONFIRMED'))
      .when(shipOrder, { carrier: 'UPS', trackingNumber: '1Z999', now: NOW })
      .then([{ type: 'OrderShipped', occurredAt: NOW, data: { carrier: 'UPS', trackingNumber: '1Z999' } }]);
  });

  it.each<OrderStatus>(['CREATED', 'SHIPPED', 'CANCELLED'])('refuses to ship an order that is %s', (status) => {
    spec.given(anOrder(status)).when(shipOrder, { carrier: 'UPS', trackingNumber: '1Z999', now: NOW }).thenFailsWith('ORDER.CANNOT_SHIP');
  });

  it('delivers a shipped order and remembers when', () => {
    const state = spec
      .given(anOrder('SHIPPED'))
      .when(deliverOrder, { now: NOW })
      .then([{ type: 'OrderDelivered', occurredAt: NOW, data: { deliveredAt: NOW } }]);
    expect(state.deliveredAt).toBe(NOW);
  });

  it.each<OrderStatus>(['CREATED', 'CONFIRMED', 'DELIVERED'])('refuses to deliver an order that is %s', (status) => {
    spec.given(anOrder(status)).when(deliverOrder, { now: NOW }).thenFailsWith('ORDER.CANNOT_DELIVER');
  });

  it.each<OrderStatus>(['CREATED', 'CONFIRMED'])('cancels an order that is %s', (status) => {
    spec
      .given(anOrder(status))
      .when(cancelOrder, { reason: 'out of stock', now: NOW })
      .then([{ type: 'OrderCancelled', occurredAt: NOW, data: { reason: 'out of stock' } }]);
  });

  it.each<OrderStatus>(['NEW', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURNED'])('refuses to cancel an order that is %s', (status) => {
    spec.given(anOrder(status)).when(cancelOrder, { reason: 'too late', now: NOW }).thenFailsWith('ORDER.CANNOT_CANCEL');
  });

  it('refuses a shipment without a carrier or tracking number', () => {
    spec.given(anOrder('CONFIRMED')).when(shipOrder, { carrier: ' ', trackingNumber: '1Z999', now: NOW }).thenFailsWith('ORDER.INVALID_SHIPMENT');
    spec.given(anOrder('CONFIRMED')).when(shipOrder, { carrier: 'UPS', trackingNumber: '', now: NOW }).thenFailsWith('ORDER.INVALID_SHIPMENT');
  });

  it('refuses a cancellation without a reason or with a card number in it', () => {
    spec.given(anOrder('CREATED')).when(cancelOrder, { reason: '', now: NOW }).thenFailsWith('ORDER.REASON_REQUIRED');
    spec.given(anOrder('CREATED')).when(cancelOrder, { reason: 'refund to 4111 1111 1111 1111', now: NOW }).thenFailsWith('ORDER.CARD_NUMBER_IN_TEXT');
  });

  it('keeps the shipping address and lines it was created with', () => {
    const state = spec.given(anOrder('SHIPPED')).when(deliverOrder, { now: NOW }).then([{ type: 'OrderDelivered', occurredAt: NOW, data: { deliveredAt: NOW } }]);
    expect(state).toMatchObject({ shippingAddress: anAddress(), lines: anOrderCreated().data.lines, paymentId: 'payment-1' });
  });
});

describe('Order: returns', () => {
  it.each([
    { when: 'the moment it is delivered', at: afterDelivery(0) },
    { when: 'on the last instant of the 30th day', at: afterDelivery(30 * DAY_MS) },
  ])('accepts a return $when', ({ at }) => {
    spec
      .given(anOrder('DELIVERED'))
      .when(returnOrder, { reason: 'too small', now: at })
      .then([{ type: 'OrderReturned', occurredAt: at, data: { reason: 'too small' } }]);
  });

  it('refuses a return one millisecond after the 30-day window', () => {
    const error = spec
      .given(anOrder('DELIVERED'))
      .when(returnOrder, { reason: 'too small', now: afterDelivery(30 * DAY_MS + 1) })
      .thenFailsWith('ORDER.RETURN_WINDOW_CLOSED');
    expect(error.details).toEqual({ deliveredAt: ORDER_DELIVERED_AT, returnWindowDays: 30 });
  });

  it('measures the window from delivery, not from creation', () => {
    const state = spec
      .given(anOrder('DELIVERED'))
      .when(returnOrder, { reason: 'late return', now: afterDelivery(29 * DAY_MS) })
      .then([{ type: 'OrderReturned', occurredAt: afterDelivery(29 * DAY_MS), data: { reason: 'late return' } }]);
    expect(state.status).toBe('RETURNED');
  });

  it('honours a configured window', () => {
    spec.given(anOrder('DELIVERED')).when(returnOrder, { reason: 'x', now: afterDelivery(7 * DAY_MS), returnWindowDays: 7 }).then([
      { type: 'OrderReturned', occurredAt: afterDelivery(7 * DAY_MS), data: { reason: 'x' } },
    ]);
    spec
      .given(anOrder('DELIVERED'))
      .when(returnOrder, { reason: 'x', now: afterDelivery(7 * DAY_MS + 1), returnWindowDays: 7 })
      .thenFailsWith('ORDER.RETURN_WINDOW_CLOSED');
  });

  it.each<OrderStatus>(['CREATED', 'CONFIRMED', 'SHIPPED', 'CANCELLED', 'RETURNED'])('refuses to return an order that is %s', (status) => {
    spec.given(anOrder(status)).when(returnOrder, { reason: 'x', now: NOW }).thenFailsWith('ORDER.CANNOT_RETURN');
  });
});
