import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideOrder, Order, orderAmounts, type OrderStatus, type PlaceOrder } from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import {
  anAddress,
  anOrder,
  anOrderCreated,
  aProcessedPayment,
  aPlaceOrder,
  cancel,
  confirm,
  deliver,
  ORDER_DELIVERED_AT,
  ORDER_NOW as NOW,
  provide,
  returnOf,
  ship,
} from '../mothers/order-mother.js';

const spec = deciderSpec(Order, decideOrder);
const DAY_MS = 86_400_000;
const afterDelivery = (ms: number): string => new Date(Date.parse(ORDER_DELIVERED_AT) + ms).toISOString();

describe('Order: creation', () => {
  it('creates an order whose total the domain computes', () => {
    const state = spec.given([]).when(aPlaceOrder()).then([anOrderCreated()]);
    expect(state).toMatchObject({ status: 'CREATED', totalAmount: 3998, currency: 'EUR' });
  });

  it('ignores a total given in the input', () => {
    const sneaky = { ...aPlaceOrder(), totalAmount: 1 } as PlaceOrder;
    spec.given([]).when(sneaky).then([anOrderCreated()]);
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
    const [event] = decideOrder(aPlaceOrder({ lines, taxRate }), Order.initialState())._unsafeUnwrap();
    expect(event?.data).toMatchObject({ taxAmount, taxRate, totalAmount });
  });

  it('computes tax exactly where a double would be a minor unit off', () => {
    // 479227 x 986347254 at 3986 bp: the product of subtotal and rate overruns a double's exact range.
    const [event] = decideOrder(aPlaceOrder({ lines: [{ sku: 'SKU-1', quantity: 479_227, unitPrice: 986_347_254 }], taxRate: 3986 }), Order.initialState())._unsafeUnwrap();
    const subtotal = 479_227n * 986_347_254n;
    const tax = (subtotal * 3986n + 5_000n) / 10_000n;
    expect(event?.data).toMatchObject({ taxAmount: Number(tax), totalAmount: Number(subtotal + tax) });
  });

  it('refuses an order whose total with tax is beyond what is represented exactly', () => {
    // 9,000 x 1e12 is a safe subtotal; at 100 % tax the total is not.
    spec.given([]).when(aPlaceOrder({ lines: [{ sku: 'SKU-1', quantity: 9_000, unitPrice: 1_000_000_000_000 }], taxRate: 10_000 })).thenFailsWith('ORDER.TOTAL_TOO_LARGE');
  });

  it('rounds tax half up on minor units for any safe amounts, as exact rational arithmetic does', () => {
    const line = fc.record({ sku: fc.constant('SKU-1'), quantity: fc.integer({ min: 1, max: 1_000_000 }), unitPrice: fc.integer({ min: 0, max: 1_000_000_000_000 }) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 10_000 }), (lines, taxRate) => {
        const exact = lines.reduce((sum, l) => sum + BigInt(l.quantity) * BigInt(l.unitPrice), 0n) * BigInt(taxRate);
        const amounts = orderAmounts(lines, taxRate);
        if (amounts === null) return true;
        // tax x 10,000 lies within half a minor unit of the exact product, the half rounded up.
        const scaled = BigInt(amounts.taxAmount) * 10_000n;
        return Number.isSafeInteger(amounts.subtotal + amounts.taxAmount) && scaled - 5_000n <= exact && exact < scaled + 5_000n;
      }),
    );
  });

  it('treats a missing tax rate as untaxed', () => {
    const [event] = decideOrder(aPlaceOrder(), Order.initialState())._unsafeUnwrap();
    expect(event?.data).toMatchObject({ taxAmount: 0, taxRate: 0 });
  });

  it('refuses to create an order twice', () => {
    spec.given(anOrder('CREATED')).when(aPlaceOrder()).thenFailsWith('ORDER.ALREADY_EXISTS');
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
    const error = spec.given([]).when(aPlaceOrder(overrides)).thenFailsWith(code);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('names the offending line', () => {
    const lines = [
      { sku: 'SKU-1', quantity: 1, unitPrice: 100 },
      { sku: 'SKU-2', quantity: 0, unitPrice: 100 },
    ];
    const error = spec.given([]).when(aPlaceOrder({ lines })).thenFailsWith('ORDER.INVALID_QUANTITY');
    expect(error.details).toEqual({ line: 2 });
    expect(error.message).toContain('positive integer');
  });
});

describe('Order: malformed input', () => {
  it('refuses a line that is not an object with a typed error', () => {
    spec
      .given([])
      .when(aPlaceOrder({ lines: [null as never] }))
      .thenFailsWith('ORDER.INVALID_LINE');
  });
});

describe('Order: life cycle', () => {
  it('confirms a created order', () => {
    spec
      .given(anOrder('CREATED'))
      .when(confirm())
      .then([{ type: 'OrderConfirmed', occurredAt: NOW, data: { paymentId: 'payment-1' } }]);
  });

  it.each<OrderStatus>(['NEW', 'CONFIRMED', 'SHIPPED', 'CANCELLED'])('refuses to confirm an order that is %s', (status) => {
    const error = spec.given(anOrder(status)).when(confirm()).thenFailsWith('ORDER.CANNOT_CONFIRM');
    expect(error.details).toEqual({ status });
  });

  it('ships a confirmed order', () => {
    spec
      .given(anOrder('CONFIRMED'))
      .when(ship())
      .then([{ type: 'OrderShipped', occurredAt: NOW, data: { carrier: 'UPS', trackingNumber: '1Z999' } }]);
  });

  it.each<OrderStatus>(['CREATED', 'SHIPPED', 'CANCELLED'])('refuses to ship an order that is %s', (status) => {
    spec.given(anOrder(status)).when(ship()).thenFailsWith('ORDER.CANNOT_SHIP');
  });

  it('delivers a shipped order and remembers when', () => {
    const state = spec
      .given(anOrder('SHIPPED'))
      .when(deliver())
      .then([{ type: 'OrderDelivered', occurredAt: NOW, data: { deliveredAt: NOW } }]);
    expect(state.deliveredAt).toBe(NOW);
  });

  it.each<OrderStatus>(['CREATED', 'CONFIRMED', 'DELIVERED'])('refuses to deliver an order that is %s', (status) => {
    spec.given(anOrder(status)).when(deliver()).thenFailsWith('ORDER.CANNOT_DELIVER');
  });

  it.each<OrderStatus>(['CREATED', 'CONFIRMED'])('cancels an order that is %s', (status) => {
    spec
      .given(anOrder(status))
      .when(cancel('out of stock'))
      .then([{ type: 'OrderCancelled', occurredAt: NOW, data: { reason: 'out of stock' } }]);
  });

  it.each<OrderStatus>(['NEW', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURNED'])('refuses to cancel an order that is %s', (status) => {
    spec.given(anOrder(status)).when(cancel('too late')).thenFailsWith('ORDER.CANNOT_CANCEL');
  });

  it('refuses a shipment without a carrier or tracking number', () => {
    spec.given(anOrder('CONFIRMED')).when(ship({ carrier: ' ' })).thenFailsWith('ORDER.INVALID_SHIPMENT');
    spec.given(anOrder('CONFIRMED')).when(ship({ trackingNumber: '' })).thenFailsWith('ORDER.INVALID_SHIPMENT');
  });

  it('refuses a cancellation without a reason or with a card number in it', () => {
    spec.given(anOrder('CREATED')).when(cancel('')).thenFailsWith('ORDER.REASON_REQUIRED');
    spec.given(anOrder('CREATED')).when(cancel('refund to 4111 1111 1111 1111')).thenFailsWith('ORDER.CARD_NUMBER_IN_TEXT');
  });

  it('keeps the shipping address and lines it was created with', () => {
    const state = spec.given(anOrder('SHIPPED')).when(deliver()).then([{ type: 'OrderDelivered', occurredAt: NOW, data: { deliveredAt: NOW } }]);
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
      .when(returnOf('too small', at))
      .then([{ type: 'OrderReturned', occurredAt: at, data: { reason: 'too small' } }]);
  });

  it('refuses a return one millisecond after the 30-day window', () => {
    const error = spec
      .given(anOrder('DELIVERED'))
      .when(returnOf('too small', afterDelivery(30 * DAY_MS + 1)))
      .thenFailsWith('ORDER.RETURN_WINDOW_CLOSED');
    expect(error.details).toEqual({ deliveredAt: ORDER_DELIVERED_AT, returnWindowDays: 30 });
  });

  it('measures the window from delivery, not from creation', () => {
    const state = spec
      .given(anOrder('DELIVERED'))
      .when(returnOf('late return', afterDelivery(29 * DAY_MS)))
      .then([{ type: 'OrderReturned', occurredAt: afterDelivery(29 * DAY_MS), data: { reason: 'late return' } }]);
    expect(state.status).toBe('RETURNED');
  });

  it('honours a configured window', () => {
    spec.given(anOrder('DELIVERED')).when(returnOf('x', afterDelivery(7 * DAY_MS), 7)).then([
      { type: 'OrderReturned', occurredAt: afterDelivery(7 * DAY_MS), data: { reason: 'x' } },
    ]);
    spec
      .given(anOrder('DELIVERED'))
      .when(returnOf('x', afterDelivery(7 * DAY_MS + 1), 7))
      .thenFailsWith('ORDER.RETURN_WINDOW_CLOSED');
  });

  it.each<OrderStatus>(['CREATED', 'CONFIRMED', 'SHIPPED', 'CANCELLED', 'RETURNED'])('refuses to return an order that is %s', (status) => {
    spec.given(anOrder(status)).when(returnOf('x')).thenFailsWith('ORDER.CANNOT_RETURN');
  });
});

describe('Order: placed for a registered customer', () => {
  it('refuses an order for a customer who is not registered', () => {
    const error = spec.given([]).when(aPlaceOrder({ customer: { registered: false } })).thenFailsWith('ORDER.CUSTOMER_NOT_REGISTERED');
    expect(error.details).toEqual({ customerId: 'customer-1' });
  });

  it('checks what the order itself says before its customer', () => {
    spec.given([]).when(aPlaceOrder({ customer: { registered: false }, lines: [] })).thenFailsWith('ORDER.NO_LINES');
  });
});

describe('Order: the payment method', () => {
  const provided = (paymentMethodToken: string, at = NOW) => ({ type: 'OrderPaymentMethodProvided' as const, occurredAt: at, data: { paymentMethodToken } });

  it('is recorded with the order in the same decision when the order is placed with it', () => {
    const placed = aPlaceOrder({ paymentMethodToken: 'tok_approve_1' });
    const state = spec.given([]).when(placed).then([anOrderCreated(), provided('tok_approve_1', placed.now)]);
    expect(state).toMatchObject({ status: 'CREATED', paymentMethodToken: 'tok_approve_1' });
  });

  it('is given to a placed order later, and a later one replaces it', () => {
    const state = spec.given([anOrderCreated(), provided('tok_old')]).when(provide('tok_new')).then([provided('tok_new')]);
    expect(state.paymentMethodToken).toBe('tok_new');
  });

  it.each([
    ['an empty token', ' ', 'ORDER.INVALID_METHOD_TOKEN'],
    ['a token over 200 characters', `tok_${'x'.repeat(200)}`, 'ORDER.INVALID_METHOD_TOKEN'],
    ['a card number', '4111 1111 1111 1111', 'ORDER.CARD_NUMBER_REFUSED'],
    ['a token hiding a card number', 'tok_4111111111111111', 'ORDER.CARD_NUMBER_REFUSED'],
  ])('refuses %s, when given later or with the order', (_name, token, code) => {
    const error = spec.given(anOrder('CREATED')).when(provide(token)).thenFailsWith(code);
    expect(JSON.stringify(error)).not.toContain('1111 1111');
    spec.given([]).when(aPlaceOrder({ paymentMethodToken: token })).thenFailsWith(code);
  });

  it.each<OrderStatus>(['NEW', 'CONFIRMED', 'CANCELLED', 'SHIPPED'])('refuses a payment method for an order that is %s', (status) => {
    const error = spec.given(anOrder(status)).when(provide('tok_1')).thenFailsWith('ORDER.CANNOT_PROVIDE_PAYMENT_METHOD');
    expect(error.details).toEqual({ status });
  });
});

describe('Order: confirmed with the processed payment that covers it', () => {
  it('refuses a confirmation that names no payment', () => {
    spec.given(anOrder('CREATED')).when(confirm(null, null)).thenFailsWith('ORDER.PAYMENT_REQUIRED');
  });

  it('refuses a payment that does not exist', () => {
    const error = spec.given(anOrder('CREATED')).when(confirm(null, 'payment-404')).thenFailsWith('ORDER.PAYMENT_NOT_FOUND');
    expect(error.details).toEqual({ paymentId: 'payment-404' });
  });

  it.each(['REQUESTED', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const)('refuses a payment that is %s', (status) => {
    const error = spec.given(anOrder('CREATED')).when(confirm(aProcessedPayment({ status }))).thenFailsWith('ORDER.PAYMENT_NOT_COMPLETED');
    expect(error.details).toEqual({ paymentId: 'payment-1', paymentStatus: status });
  });

  it("refuses another order's payment", () => {
    spec.given(anOrder('CREATED')).when(confirm(aProcessedPayment({ orderId: 'order-2' }))).thenFailsWith('ORDER.PAYMENT_FOR_ANOTHER_ORDER');
  });

  it.each([
    ['1 cent of a 39.98 EUR order', { amount: 1, currency: 'EUR' }],
    ['more than the total', { amount: 3999, currency: 'EUR' }],
    ['the total in another currency', { amount: 3998, currency: 'USD' }],
  ])('refuses a payment of %s', (_name, amount) => {
    const error = spec.given(anOrder('CREATED')).when(confirm(aProcessedPayment({ amount }))).thenFailsWith('ORDER.PAYMENT_AMOUNT_MISMATCH');
    expect(error.details).toMatchObject({ expected: { amount: 3998, currency: 'EUR' } });
  });

  it('refuses by its own state first: a confirmed order is not confirmed again, whatever the payment', () => {
    spec.given(anOrder('CONFIRMED')).when(confirm(null, null)).thenFailsWith('ORDER.CANNOT_CONFIRM');
  });
});

describe('Order: shipped while its payment stands processed', () => {
  it.each(['REFUNDED', 'PARTIALLY_REFUNDED'] as const)('refuses to ship an order whose payment was %s since', (status) => {
    const error = spec.given(anOrder('CONFIRMED')).when(ship({ payment: aProcessedPayment({ status }) })).thenFailsWith('ORDER.PAYMENT_NOT_COMPLETED');
    expect(error.details).toEqual({ paymentId: 'payment-1', paymentStatus: status });
  });

  it('refuses to ship an order confirmed without a payment (before confirmation checked one)', () => {
    const confirmedWithout = [anOrderCreated(), { type: 'OrderConfirmed' as const, occurredAt: NOW, data: { paymentId: null } }];
    spec.given(confirmedWithout).when(ship({ payment: null })).thenFailsWith('ORDER.PAYMENT_NOT_COMPLETED');
  });

  it('refuses to ship when its payment is gone or is for another order', () => {
    spec.given(anOrder('CONFIRMED')).when(ship({ payment: null })).thenFailsWith('ORDER.PAYMENT_NOT_COMPLETED');
    spec.given(anOrder('CONFIRMED')).when(ship({ payment: aProcessedPayment({ orderId: 'order-2' }) })).thenFailsWith('ORDER.PAYMENT_NOT_COMPLETED');
    spec.given(anOrder('CONFIRMED')).when(ship({ payment: aProcessedPayment({ paymentId: 'payment-2' }) })).thenFailsWith('ORDER.PAYMENT_NOT_COMPLETED');
  });
});
