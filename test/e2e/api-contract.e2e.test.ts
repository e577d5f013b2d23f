import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_REFUSALS } from '../../src/adapters/http/operation-refusals.js';
import { STATUS_BY_CODE } from '../../src/adapters/http/status-codes.js';
import { DynamoDbUnavailableError } from '../../src/adapters/dynamodb/sdk-errors.js';
import { TOKENS } from '../../src/main/tokens.js';
import { bearer } from '../support/auth-tokens.js';
import { eventually } from './support/api-client.js';
import { startInProcess, type InProcessService } from './support/in-process-service.js';
import { placeOrderBody, registerBody, TOTAL, walkthroughIds } from './support/walkthrough.js';

type Operation = { responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }>; headers?: Record<string, unknown> }>; 'x-error-codes'?: Record<string, string[]> };

const STATUSES: Readonly<Record<string, number>> = STATUS_BY_CODE;
/** Answered as INTERNAL with an error id: never documented by their own code. */
const UNEXPECTED = new Set(Object.keys(STATUSES).filter((code) => STATUSES[code] === 500));
/** Answered for a path or by the framework rather than by an operation (described in the document's info), or never answered as such. */
const NOT_PER_OPERATION = new Set(['ROUTE.NOT_FOUND', 'ROUTE.METHOD_NOT_ALLOWED', 'REQUEST.REFUSED', 'EVENT_STORE.IDEMPOTENCY_CLAIM_LOST', 'OPERATOR.UNAUTHENTICATED', 'OPERATOR.DISABLED']);
const operationsOf = (spec: { paths: Record<string, Record<string, Operation>> }) =>
  Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, operation })));

describe('the API contract', () => {
  let server: InProcessService;

  beforeAll(async () => {
    server = await startInProcess(undefined, { fulfilment: 'manual' });
  });

  afterAll(async () => {
    await server?.service.stop();
  });

  describe('/openapi.json', () => {
    it('describes every success with its schema, and every error with the one problem shape and the codes that answer it', async () => {
      const { status, body: spec } = await server.api.get('/openapi.json');
      expect(status).toBe(200);
      expect(spec.components.schemas.Problem).toMatchObject({ type: 'object', required: ['code', 'message'] });
      const operations = operationsOf(spec);
      expect(operations.length).toBeGreaterThan(30);
      for (const { key, operation } of operations) {
        const statuses = Object.keys(operation.responses);
        const successes = statuses.filter((s) => s.startsWith('2'));
        expect(successes, key).not.toEqual([]);
        for (const success of successes) expect(operation.responses[success]?.content, `${key} ${success}`).toBeDefined();
        const codes = operation['x-error-codes'];
        expect(codes?.['500'], key).toContain('INTERNAL');
        for (const [errorStatus, list] of Object.entries(codes ?? {})) {
          const response = operation.responses[errorStatus];
          expect(response?.content?.['application/json']?.schema, `${key} ${errorStatus}`).toEqual({ $ref: '#/components/schemas/Problem' });
          for (const code of list) {
            expect(response?.description, `${key} ${errorStatus}`).toContain(code);
            if (code !== 'INTERNAL') expect(STATUSES[code], `${key}: ${code}`).toBe(Number(errorStatus));
          }
        }
      }
    });

    it('lists the codes of each operation from one table that names every route and every code', async () => {
      const { body: spec } = await server.api.get('/openapi.json');
      const keys = operationsOf(spec).map(({ key }) => key);
      expect(keys.filter((key) => OPERATION_REFUSALS[key] === undefined)).toEqual([]);
      const documented = new Set(operationsOf(spec).flatMap(({ operation }) => Object.values(operation['x-error-codes'] ?? {}).flat()));
      expect(Object.keys(STATUSES).filter((code) => !documented.has(code) && !UNEXPECTED.has(code) && !NOT_PER_OPERATION.has(code))).toEqual([]);
      const placeOrder = spec.paths['/orders'].post as Operation;
      expect(placeOrder['x-error-codes']).toMatchObject({
        '400': expect.arrayContaining(['REQUEST.INVALID', 'REQUEST.INVALID_ENCODING']),
        '409': expect.arrayContaining(['ORDER.ALREADY_EXISTS']),
        '422': expect.arrayContaining(['ORDER.CUSTOMER_NOT_REGISTERED', 'ORDER.INVALID_COUNTRY']),
        '503': expect.arrayContaining(['EVENT_STORE.UNAVAILABLE', 'STORE.UNAVAILABLE']),
      });
      expect(placeOrder['x-error-codes']?.['409']).not.toContain('ORDER.CANNOT_SHIP');
      expect(placeOrder.responses['201']?.headers).toHaveProperty('location');
    });
  });

  it('answers each refusal with a code its operation documents under that status', async () => {
    const { body: spec } = await server.api.get('/openapi.json');
    const ids = walkthroughIds('documented');
    const met: [method: string, route: string, answer: () => Promise<{ status: number; body: { code: string } }>][] = [
      ['post', '/orders', () => server.api.post('/orders', placeOrderBody(ids))],
      ['post', '/orders', () => server.api.post('/orders', { ...placeOrderBody(ids), lines: [] })],
      [
        'post',
        '/customers',
        async () => {
          await server.api.post('/customers', registerBody(ids));
          return server.api.post('/customers', registerBody(ids));
        },
      ],
      ['post', '/orders/{orderId}/ship', () => server.api.post('/orders/no-such-order/ship', { carrier: 'DHL', trackingNumber: 'JD1' })],
      ['post', '/inventory/{sku}/reserve', () => server.api.post(`/inventory/${ids.sku}/reserve`, { orderId: 'no-such-order', quantity: 1 })],
      ['post', '/inventory/{sku}/release', () => server.api.post(`/inventory/${ids.sku}/release`, { orderId: 'no-such-order' })],
      ['post', '/payments', () => server.api.post('/payments', { paymentId: 'p-doc', orderId: 'o-doc', amount: 1, currency: 'EUR', paymentMethodToken: '4111 1111 1111 1111' })],
      ['post', '/payments/{paymentId}/refund', () => server.api.post('/payments/no-such-payment/refund', { amount: 1, reason: 'why not' })],
      ['get', '/orders/{orderId}', () => server.api.get('/orders/no-such-order')],
      ['get', '/aggregates/{type}/{id}', () => server.api.get('/aggregates/order/no-such-order')],
      ['get', '/aggregates/{type}/{id}/events', () => server.api.get('/aggregates/order/o-1/events?limit=0')],
      ['get', '/orders/{orderId}/fulfilment', () => server.api.get('/orders/no-such-order/fulfilment')],
    ];
    for (const [method, route, answering] of met) {
      const { status, body } = await answering();
      expect(status, `${method} ${route}`).toBeGreaterThanOrEqual(400);
      expect((spec.paths[route][method] as Operation)['x-error-codes']?.[String(status)], `${method} ${route} ${status}`).toContain(body.code);
    }
  });

  it('answers each read with every field the application returns, none lost to the response schema', async () => {
    const ids = walkthroughIds('exact');
    expect((await server.api.post('/customers', registerBody(ids))).status).toBe(201);
    expect((await server.api.post(`/inventory/${ids.sku}/receive`, { quantity: 10 })).status).toBe(200);
    expect((await server.api.post('/orders', placeOrderBody(ids))).status).toBe(201);
    expect((await server.api.post('/payments', { paymentId: ids.paymentId, orderId: ids.orderId, amount: TOTAL, currency: 'EUR', paymentMethodToken: 'tok_1' })).status).toBe(201);
    await eventually(async () => expect((await server.api.get(`/customers/${ids.customerId}/support-history`)).body).toHaveLength(3));
    const app = server.service.app;
    const unwrap = <T>(result: { isOk(): boolean; _unsafeUnwrap(): T }): T => result._unsafeUnwrap();
    const reads: [string, () => Promise<unknown>][] = [
      [`/orders/${ids.orderId}`, async () => unwrap(await app.orderQueries.orderDetails(ids.orderId))],
      [`/customers/${ids.customerId}/orders`, () => app.orderQueries.customerOrders(ids.customerId)],
      [`/customers/${ids.customerId}/support-history`, () => app.orderQueries.supportHistory(ids.customerId)],
      [`/inventory/${ids.sku}`, async () => unwrap(await app.orderQueries.inventoryLevel(ids.sku))],
      ['/inventory', () => app.orderQueries.inventoryLevels()],
      [`/aggregates/order/${ids.orderId}`, async () => unwrap(await app.temporal.aggregateAsOf('order', ids.orderId))],
      [`/aggregates/payment/${ids.paymentId}?asOfVersion=1`, async () => unwrap(await app.temporal.aggregateAsOf('payment', ids.paymentId, { asOfVersion: 1 }))],
      [`/aggregates/order/${ids.orderId}/events`, async () => unwrap(await app.temporal.auditTrail('order', ids.orderId))],
    ];
    for (const [path, direct] of reads) {
      const answer = await server.api.get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      expect(answer.body, path).toEqual(JSON.parse(JSON.stringify(await direct())));
    }
  });

  it('answers the projections with every field each status has', async () => {
    const [shown] = (await server.api.get('/projections')).body as Record<string, unknown>[];
    const [held] = await server.service.app.projections.status();
    expect(Object.keys(shown ?? {}).sort()).toEqual([...Object.keys(held ?? {}), 'rebuild'].sort());
  });

  describe('creations', () => {
    it('answer 201 with a Location naming the created aggregate, readable at once', async () => {
      const ids = walkthroughIds('created');
      const creations: [string, unknown, string][] = [
        ['/customers', registerBody(ids), `/aggregates/customer/${ids.customerId}`],
        ['/orders', placeOrderBody(ids), `/aggregates/order/${ids.orderId}`],
        ['/payments', { paymentId: ids.paymentId, orderId: ids.orderId, amount: TOTAL, currency: 'EUR', paymentMethodToken: 'tok_1' }, `/aggregates/payment/${encodeURIComponent(ids.paymentId)}`],
      ];
      for (const [path, body, location] of creations) {
        const answer = await server.api.post(path, body);
        expect({ path, status: answer.status, location: answer.headers.get('location') }).toEqual({ path, status: 201, location });
        const created = await server.api.get(location);
        expect(created).toMatchObject({ status: 200, body: { id: answer.body.aggregateId, version: answer.body.version } });
      }
      // Neither a refused creation nor any other command names a resource.
      const again = await server.api.post('/orders', placeOrderBody(ids));
      expect(again.status).toBe(409);
      expect(again.headers.get('location')).toBeNull();
      const receive = await server.api.post(`/inventory/${ids.sku}/receive`, { quantity: 1 });
      expect(receive.status).toBe(200);
      expect(receive.headers.get('location')).toBeNull();
    });
  });

  describe('methods and paths', () => {
    it.each([
      ['DELETE', '/orders/o-1', 'GET, HEAD'],
      ['PUT', '/orders', 'POST'],
      ['GET', '/customers', 'POST'],
      ['GET', '/orders/o-1/ship', 'POST'],
      ['POST', '/inventory', 'GET, HEAD'],
      ['DELETE', '/customers/c-1', 'PATCH'],
      ['PATCH', '/health', 'GET, HEAD'],
    ])('answers %s %s with 405 and Allow: %s, in the problem shape', async (method, path, allow) => {
      const answer = await fetch(`${server.service.url}${path}`, { method, headers: await bearer() });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(await answer.json()).toMatchObject({ code: 'ROUTE.METHOD_NOT_ALLOWED', message: expect.stringContaining(allow), details: { allow: allow.split(', ') } });
    });

    it('keeps 404 for paths it does not have', async () => {
      for (const path of ['/no/such/route', '/orders/o-1/ship/now', '/Orders']) {
        const answer = await fetch(`${server.service.url}${path}`, { method: 'DELETE' });
        expect({ path, status: answer.status, allow: answer.headers.get('allow') }).toEqual({ path, status: 404, allow: null });
        expect(await answer.json()).toMatchObject({ code: 'ROUTE.NOT_FOUND' });
      }
    });
  });

  describe('currencies and countries', () => {
    it('refuses a currency that is not an active ISO 4217 code and a country that is not an assigned ISO 3166-1 code, naming each field', async () => {
      const ids = walkthroughIds('iso');
      expect((await server.api.post('/customers', registerBody(ids))).status).toBe(201);
      const before = await server.head();
      const order = await server.api.post('/orders', { ...placeOrderBody(ids), currency: 'HRK', shippingAddress: { ...placeOrderBody(ids).shippingAddress, country: 'UK' } });
      expect(order).toMatchObject({ status: 400, body: { code: 'REQUEST.INVALID' } });
      expect(order.body.errors).toEqual([
        { field: 'body.currency', problem: 'must be an ISO 4217 currency code such as EUR' },
        { field: 'body.shippingAddress.country', problem: 'must be an ISO 3166-1 alpha-2 country code such as GB' },
      ]);
      const payment = await server.api.post('/payments', { paymentId: 'p-iso', orderId: ids.orderId, amount: 100, currency: 'ZWL', paymentMethodToken: 'tok_1' });
      expect(payment.body.errors).toEqual([{ field: 'body.currency', problem: 'must be an ISO 4217 currency code such as EUR' }]);
      expect(await server.head()).toBe(before);
      const accepted = await server.api.post('/orders', { ...placeOrderBody(ids), currency: 'CHF', shippingAddress: { ...placeOrderBody(ids).shippingAddress, country: 'CH' } });
      expect(accepted.status).toBe(201);
    });
  });

  describe('request bodies', () => {
    const invalidUtf8 = (json: string, at: string): Buffer => {
      const [head, tail] = json.split(at) as [string, string];
      // 0xC3 0x28: a two-byte sequence cut short; 0xFF never occurs in UTF-8.
      return Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(tail)]);
    };

    it('refuses a body that is not valid UTF-8 with 400, storing nothing, rather than reading it with replacement characters', async () => {
      const ids = walkthroughIds('utf8');
      const before = await server.head();
      const body = invalidUtf8(JSON.stringify(registerBody(ids)), 'Lovelace');
      const answer = await fetch(`${server.service.url}/customers`, { method: 'POST', headers: { ...(await bearer()), 'content-type': 'application/json' }, body });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'REQUEST.INVALID_ENCODING', message: expect.stringContaining('UTF-8') });
      expect(await server.head()).toBe(before);
      const webhook = await fetch(`${server.service.url}/payments/p-1/gateway-events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: invalidUtf8('{"id":"evt_1"}', 'evt') });
      expect(webhook.status).toBe(400);
      expect(await webhook.json()).toMatchObject({ code: 'REQUEST.INVALID_ENCODING' });
      // Valid multi-byte UTF-8 is of course read as sent.
      const accented = await server.api.post('/customers', { ...registerBody(ids), personal: { ...registerBody(ids).personal, name: 'Zoë Ångström 李' } });
      expect(accented.status).toBe(201);
      expect((await server.api.get(`/aggregates/customer/${ids.customerId}`)).body.state.personal.name).toBe('Zoë Ångström 李');
    });
  });
});

describe('the fulfilment view', () => {
  it('answers with every field the workflow view has', async () => {
    const server = await startInProcess();
    try {
      const ids = walkthroughIds('view');
      expect((await server.api.post('/customers', registerBody(ids))).status).toBe(201);
      expect((await server.api.post(`/inventory/${ids.sku}/receive`, { quantity: 10 })).status).toBe(200);
      expect((await server.api.post('/orders', { ...placeOrderBody(ids), paymentMethodToken: 'tok_approve_visa' })).status).toBe(201);
      const shown = await eventually(async () => {
        const answer = await server.api.get(`/orders/${ids.orderId}/fulfilment`);
        expect(answer.body.step).toBe('COMPLETED');
        return answer.body;
      });
      expect(shown).toEqual(JSON.parse(JSON.stringify((await server.service.app.fulfilment.view(ids.orderId))._unsafeUnwrap())));
      expect(shown.history.length).toBeGreaterThan(3);
    } finally {
      await server.service.stop();
    }
  });
});

describe('a store that cannot answer a read', () => {
  it('answers 503 with Retry-After when the store is throttled or unreachable, and 500 only for what is broken', async () => {
    const server = await startInProcess((container) => {
      const store = container.get(TOKENS.EventStore);
      container.rebind(TOKENS.EventStore).toConstantValue({
        ...store,
        append: store.append.bind(store),
        readByType: store.readByType.bind(store),
        close: store.close.bind(store),
        readStream: async () => {
          throw new DynamoDbUnavailableError('still failing after 8 attempts: ThrottlingException: Rate of requests exceeds the allowed throughput', { transient: true });
        },
      });
    });
    try {
      for (const path of ['/aggregates/order/o-1', '/aggregates/order/o-1/events', '/orders/o-1?asOf=2026-01-01T00:00:00Z']) {
        const answer = await server.api.get(path);
        expect({ path, status: answer.status, retryAfter: answer.headers.get('retry-after') }).toEqual({ path, status: 503, retryAfter: '5' });
        expect(answer.body).toMatchObject({ code: 'STORE.UNAVAILABLE' });
        expect(JSON.stringify(answer.body)).not.toContain('Throttling');
      }
      const command = await server.api.post('/orders/o-1/confirm', {});
      expect(command).toMatchObject({ status: 503, body: { code: 'STORE.UNAVAILABLE' } });
      expect(command.headers.get('retry-after')).toBe('5');
    } finally {
      await server.service.stop();
    }
  });
});
