import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '../../src/main/tokens.js';
import { asRole, bearer } from '../support/auth-tokens.js';
import { ContendedEventStore } from '../support/contended-event-store.js';
import { startInProcess, type InProcessService } from './support/in-process-service.js';
import { placeOrderBody, registerBody, TOTAL, walkthroughIds } from './support/walkthrough.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const fields = (body: { errors: { field: string }[] }): string[] => body.errors.map((error) => error.field).sort();

describe('refusals over HTTP', () => {
  let server: InProcessService;

  beforeAll(async () => {
    // Each step by hand: the order-fulfilment workflow would act on the orders these tests place.
    server = await startInProcess(undefined, { fulfilment: 'manual' });
  });

  afterAll(async () => {
    await server?.service.stop();
  });

  it('answers a bad command with 400 naming every invalid field, in the headers and the body, and stores nothing', async () => {
    const ids = walkthroughIds('bad');
    const before = await server.head();
    const response = await server.api.post(
      '/orders',
      {
        ...placeOrderBody(ids),
        currency: 'euro',
        taxRate: 23.5,
        lines: [{ sku: ids.sku, quantity: 0, unitPrice: '19.99' }, { sku: '', quantity: 1 }],
        shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB' },
        discount: 10,
      },
      { 'x-causation-id': 'has spaces' },
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('REQUEST.INVALID');
    expect(fields(response.body)).toEqual(
      [
        'header.x-causation-id',
        'body.currency',
        'body.taxRate',
        'body.lines[0].quantity',
        'body.lines[0].unitPrice',
        'body.lines[1].sku',
        'body.lines[1].unitPrice',
        'body.shippingAddress.country',
        'body.discount',
      ].sort(),
    );
    expect(response.body.errors).toContainEqual({ field: 'body.currency', problem: 'must be an ISO 4217 currency code such as EUR' });
    expect(response.body.errors).toContainEqual({ field: 'body.lines[1].unitPrice', problem: 'is required' });
    expect(response.body.errors.find((e: { field: string }) => e.field === 'body.discount').problem).toContain('accepted: orderId, customerId');
    expect(await server.head()).toBe(before);
    expect((await server.api.get(`/aggregates/order/${ids.orderId}/events`)).status).toBe(404);
  });

  it('names every missing field of a command sent without a body, and refuses what is not JSON', async () => {
    const empty = await server.api.post('/payments');
    expect(empty.status).toBe(400);
    expect(fields(empty.body)).toEqual(['body.amount', 'body.currency', 'body.orderId', 'body.paymentId', 'body.paymentMethodToken']);
    const malformed = await fetch(`${server.service.url}/orders`, { method: 'POST', headers: { ...(await bearer()), 'content-type': 'application/json' }, body: '{"orderId": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'REQUEST.MALFORMED' });
    const text = await fetch(`${server.service.url}/orders`, { method: 'POST', headers: { ...(await bearer()), 'content-type': 'text/plain' }, body: 'an order please' });
    expect(text.status).toBe(415);
    const huge = await server.api.post('/customers', { customerId: 'c-huge', personal: { name: 'x'.repeat(100_000), email: 'a@b.co', address: 'x' } });
    expect(huge).toMatchObject({ status: 413, body: { code: 'REQUEST.TOO_LARGE' } });
    const query = await server.api.get('/aggregates/order/o-1/events?limit=0&afterVersion=-1&page=2');
    expect(query.status).toBe(400);
    expect(fields(query.body)).toEqual(['query.afterVersion', 'query.limit', 'query.page']);
  });

  it('maps domain refusals to 409 or 422 with their code, appending nothing', async () => {
    const ids = walkthroughIds('refused');
    expect((await server.api.post('/customers', registerBody(ids))).status).toBe(201);
    expect((await server.api.post('/orders', placeOrderBody(ids))).status).toBe(201);
    const before = await server.head();
    const ship = await server.api.post(`/orders/${ids.orderId}/ship`, { carrier: 'DHL', trackingNumber: 'JD0146' });
    expect(ship).toMatchObject({ status: 409, body: { code: 'ORDER.CANNOT_SHIP', details: { status: 'CREATED' } } });
    const reserve = await server.api.post(`/inventory/${ids.sku}/reserve`, { orderId: ids.orderId, quantity: 2 });
    expect(reserve).toMatchObject({ status: 409, body: { code: 'INVENTORY.INSUFFICIENT_STOCK', details: { requested: 2, available: 0 } } });
    const card = await server.api.post('/payments', { paymentId: ids.paymentId, orderId: ids.orderId, amount: 4918, currency: 'EUR', paymentMethodToken: '4111 1111 1111 1111' });
    expect(card).toMatchObject({ status: 422, body: { code: 'PAYMENT.CARD_NUMBER_REFUSED' } });
    expect(JSON.stringify(card.body)).not.toContain('4111');
    expect(await server.head()).toBe(before);
  });

  it('refuses what orders, payments and stock do not agree on, with 409 or 422 and nothing stored', async () => {
    const ids = walkthroughIds('cross');
    const unregistered = await server.api.post('/orders', placeOrderBody(ids));
    expect(unregistered).toMatchObject({ status: 422, body: { code: 'ORDER.CUSTOMER_NOT_REGISTERED' } });
    expect((await server.api.post('/customers', registerBody(ids))).status).toBe(201);
    expect((await server.api.post('/orders', placeOrderBody(ids))).status).toBe(201);
    expect((await server.api.post(`/inventory/${ids.sku}/receive`, { quantity: 10 })).status).toBe(200);
    const before = await server.head();
    const refusals: [string, unknown, number, string][] = [
      [`/orders/${ids.orderId}/confirm`, {}, 422, 'ORDER.PAYMENT_REQUIRED'],
      [`/orders/${ids.orderId}/confirm`, { paymentId: 'no-such-payment' }, 422, 'ORDER.PAYMENT_NOT_FOUND'],
      [`/orders/${ids.orderId}/payment-method`, { paymentMethodToken: '4111 1111 1111 1111' }, 422, 'ORDER.CARD_NUMBER_REFUSED'],
      ['/payments', { paymentId: `${ids.paymentId}-x`, orderId: 'no-such-order', amount: 100, currency: 'EUR', paymentMethodToken: 'tok_1' }, 422, 'PAYMENT.ORDER_NOT_FOUND'],
      ['/payments', { paymentId: `${ids.paymentId}-x`, orderId: ids.orderId, amount: TOTAL, currency: 'USD', paymentMethodToken: 'tok_1' }, 422, 'PAYMENT.CURRENCY_MISMATCH'],
      ['/payments', { paymentId: `${ids.paymentId}-x`, orderId: ids.orderId, amount: TOTAL + 1, currency: 'EUR', paymentMethodToken: 'tok_1' }, 422, 'PAYMENT.EXCEEDS_AMOUNT_DUE'],
      [`/inventory/${ids.sku}/reserve`, { orderId: 'no-such-order', quantity: 1 }, 422, 'INVENTORY.ORDER_NOT_FOUND'],
      [`/inventory/${ids.sku}/reserve`, { orderId: ids.orderId, quantity: 3 }, 422, 'INVENTORY.QUANTITY_NOT_ORDERED'],
      [`/inventory/OTHER-${ids.sku}/reserve`, { orderId: ids.orderId, quantity: 1 }, 422, 'INVENTORY.SKU_NOT_IN_ORDER'],
    ];
    for (const [path, body, status, code] of refusals) expect({ path, ...(await server.api.post(path, body)) }).toMatchObject({ path, status, body: { code } });
    expect(await server.head()).toBe(before);
    // A payment only requested confirms nothing; cancelled, it cannot complete.
    expect((await server.api.post('/payments', { paymentId: ids.paymentId, orderId: ids.orderId, amount: TOTAL, currency: 'EUR', paymentMethodToken: 'tok_1' })).status).toBe(201);
    expect(await server.api.post(`/orders/${ids.orderId}/confirm`, { paymentId: ids.paymentId })).toMatchObject({ status: 409, body: { code: 'ORDER.PAYMENT_NOT_COMPLETED' } });
    expect((await server.api.post(`/payments/${ids.paymentId}/cancel`, { reason: 'no answer in time' })).status).toBe(200);
    const late = await server.api.post(`/payments/${ids.paymentId}/complete`, { transactionId: 'txn-late', gateway: { status: 'SUCCESS' } });
    expect(late).toMatchObject({ status: 409, body: { code: 'PAYMENT.CANNOT_COMPLETE' } });
  });

  it('refuses a leap second as a time to read as of, naming the field, rather than failing on it', async () => {
    for (const path of ['/orders/o-1?asOf=2026-06-30T23:59:60Z', '/aggregates/order/o-1?asOf=2026-06-30T23:59:60Z']) {
      const answer = await server.api.get(path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.errors).toEqual([{ field: 'query.asOf', problem: expect.stringMatching(/^must be an ISO 8601 time with a zone, e\.g\. 2026-03-01T09:00:00Z \(no leap second\)/) }]);
    }
    expect((await server.api.get('/orders/o-1?asOf=2026-06-30T23:59:59Z')).status).not.toBe(400);
  });

  it('answers unknown ids and routes with 404', async () => {
    expect(await server.api.post('/orders/no-such-order/deliver')).toMatchObject({ status: 404, body: { code: 'ORDER.NOT_FOUND' } });
    expect(await server.api.get('/orders/no-such-order')).toMatchObject({ status: 404, body: { code: 'ORDER.NOT_FOUND' } });
    expect(await server.api.get('/inventory/NO-SUCH-SKU')).toMatchObject({ status: 404, body: { code: 'INVENTORY.NOT_FOUND' } });
    expect(await server.api.get('/aggregates/payment/no-such-payment')).toMatchObject({ status: 404, body: { code: 'PAYMENT.NOT_FOUND' } });
    expect(await server.api.get('/no/such/route')).toMatchObject({ status: 404, body: { code: 'ROUTE.NOT_FOUND' } });
  });

  it('refuses operator requests from a token without the operator role, before looking at what they name', async () => {
    const service = server.api.as(asRole('service'));
    for (const action of ['retry', 'park', 'rebuild']) {
      expect(await service.post(`/projections/order-summary/${action}`)).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
      expect(await service.post(`/projections/no-such-projection/${action}`)).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
    }
  });
});

describe('failures past the application', () => {
  it('answers 409 when a concurrency conflict survives every retry, having stored only the rival writes', async () => {
    const server = await startInProcess((container) => {
      const store = container.get(TOKENS.EventStore);
      // A rival writer commits to the same stream just before each of our appends.
      const rival = new ContendedEventStore(store, async (inner, streamId) => {
        await inner.append(streamId, [{ type: 'StockReceived', schemaVersion: 1, data: { sku: 'SKU-race', quantity: 1 }, metadata: { correlationId: 'rival', causationId: null, actor: 'rival' }, occurredAt: new Date().toISOString() }], 'any');
      });
      container.rebind(TOKENS.EventStore).toConstantValue(rival);
    });
    try {
      const response = await server.api.post('/inventory/SKU-race/receive', { quantity: 5 });
      expect(response).toMatchObject({ status: 409, body: { code: 'EVENT_STORE.CONCURRENCY_CONFLICT' } });
      const trail = await server.api.get('/aggregates/inventory/SKU-race/events');
      expect(trail.body.events.map((e: { metadata: { actor: string } }) => e.metadata.actor)).toEqual(['rival', 'rival', 'rival', 'rival', 'rival']);
      expect((await server.api.get('/metrics')).body).toMatch(/es_command_conflict_retries_total\{aggregate_type="Inventory"\} 4/);
    } finally {
      await server.service.stop();
    }
  });

  it('answers an unexpected failure with 500 and an error id, never its message or stack, and logs it under that id', async () => {
    const server = await startInProcess((container) => {
      const store = container.get(TOKENS.EventStore);
      container.rebind(TOKENS.EventStore).toConstantValue({
        ...store,
        append: store.append.bind(store),
        readByType: store.readByType.bind(store),
        close: store.close.bind(store),
        readStream: async () => {
          throw new Error('disk on fire at /var/lib/secret');
        },
      });
    });
    try {
      const response = await server.api.post('/orders/o-1/confirm', {});
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ code: 'INTERNAL', message: expect.stringContaining(response.body.errorId), errorId: expect.stringMatching(UUID) });
      expect(JSON.stringify(response.body)).not.toMatch(/disk on fire|secret|\bat .*\.ts/);
      const logged = server.errorLog.map((line) => JSON.parse(line) as { errorId?: string; err?: { message: string; stack: string } });
      expect(logged).toContainEqual(expect.objectContaining({ errorId: response.body.errorId, err: expect.objectContaining({ message: 'disk on fire at /var/lib/secret' }) }));
    } finally {
      await server.service.stop();
    }
  });
});
