import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiGatewayHttpResult } from '../../src/adapters/lambda/api-gateway-http.js';
import { httpHandlerFrom, type LambdaHttpHandler } from '../../src/main/lambda-http-handler.js';
import { bearer, STAFF, TEST_SIGNING_KEY_FILE, type Caller } from '../support/auth-tokens.js';
import { httpEvent, type HttpRequest } from '../support/lambda-events/lambda-events.js';
import { placeOrderBody, registerBody, walkthroughIds } from './support/walkthrough.js';

const problem = (code: string) => ({ code, message: expect.any(String) });

/** The function as API Gateway calls it, configured from the environment as it is deployed. */
describe.each(['memory', 'pglite'] as const)('the Lambda HTTP handler on %s', (store) => {
  let handler: LambdaHttpHandler;
  const ids = walkthroughIds(`lambda-${store}`);

  const send = async (request: HttpRequest, as: Caller | null = STAFF): Promise<ApiGatewayHttpResult & { json: unknown }> => {
    const headers = { ...(as === null ? {} : await bearer(as)), ...request.headers };
    const result = await handler(httpEvent({ ...request, headers }));
    return { ...result, json: result.body === '' ? null : JSON.parse(result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body) };
  };

  beforeAll(async () => {
    handler = httpHandlerFrom({
      STORE: store,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'es-lambda-http-')),
      AUTH_SIGNING_KEY_FILE: TEST_SIGNING_KEY_FILE,
      METRICS: 'prometheus',
      LOG_LEVEL: 'silent',
    });
    expect((await send({ method: 'POST', url: '/customers', body: registerBody(ids) })).statusCode).toBe(201);
    expect((await send({ method: 'POST', url: `/inventory/${ids.sku}/receive`, body: { quantity: 10 } })).statusCode).toBe(200);
  });

  afterAll(async () => {
    await handler?.close();
  });

  it('creates an order and reads it back where Location says, with the correlation id it was sent', async () => {
    const placed = await send({ method: 'POST', url: '/orders', headers: { 'x-correlation-id': 'corr-lambda-1' }, body: placeOrderBody(ids) });
    expect(placed).toMatchObject({ statusCode: 201, isBase64Encoded: false, json: { aggregateId: ids.orderId, version: 1, eventTypes: ['OrderCreated'] } });
    expect(placed.headers).toMatchObject({ location: `/aggregates/order/${ids.orderId}`, 'x-correlation-id': 'corr-lambda-1', 'content-type': expect.stringMatching(/^application\/json/) });
    const read = await send({ method: 'GET', url: placed.headers.location ?? '' });
    expect(read).toMatchObject({ statusCode: 200, json: { type: 'Order', id: ids.orderId, version: 1, state: { customerId: ids.customerId, totalAmount: 4918 } } });
  });

  it("serves the commands' own metrics at /metrics: they are bound before anything is resolved", async () => {
    const metrics = await handler(httpEvent({ method: 'GET', url: '/metrics', headers: await bearer(STAFF) }));
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/es_aggregate_load_seconds_count\{aggregate_type="Order"\} [1-9]/);
  });

  it('takes a base64-encoded body and a named stage as API Gateway sends them', async () => {
    const other = walkthroughIds(`lambda-${store}-b64`);
    const event = httpEvent({ method: 'POST', url: '/orders', stage: 'prod', body: placeOrderBody({ ...ids, orderId: other.orderId }) });
    const encoded = { ...event, body: Buffer.from(event.body ?? '').toString('base64'), isBase64Encoded: true, headers: { ...event.headers, ...(await bearer()) } };
    expect(encoded.rawPath).toBe('/prod/orders');
    const placed = await handler(encoded);
    expect(placed.statusCode).toBe(201);
    expect(placed.headers.location).toBe(`/aggregates/order/${other.orderId}`);
  });

  it('answers invalid input 400 naming every field, from the body and the query string alike', async () => {
    const invalid = await send({ method: 'POST', url: '/orders', body: { ...placeOrderBody(ids), orderId: 'has space', lines: [{ sku: ids.sku, quantity: 0, unitPrice: 1 }] } });
    expect(invalid).toMatchObject({ statusCode: 400, json: { code: 'REQUEST.INVALID', errors: expect.arrayContaining([expect.objectContaining({ field: 'body.orderId' }), expect.objectContaining({ field: 'body.lines[0].quantity' })]) } });
    const query = await send({ method: 'GET', url: `/orders/${ids.orderId}?asOf=yesterday&asOf=today` });
    expect(query).toMatchObject({ statusCode: 400, json: { code: 'REQUEST.INVALID', errors: [expect.objectContaining({ field: 'query.asOf' })] } });
  });

  it("refuses an Idempotency-Key in the command queue's sqs: namespace, so that a client's key never answers for a message", async () => {
    const refused = await send({ method: 'POST', url: `/inventory/${ids.sku}/receive`, headers: { 'idempotency-key': 'sqs:0d4e5f' }, body: { quantity: 1 } });
    expect(refused).toMatchObject({ statusCode: 400, json: { code: 'REQUEST.INVALID', errors: [expect.objectContaining({ field: 'header.idempotency-key' })] } });
    const accepted = await send({ method: 'POST', url: `/inventory/${ids.sku}/receive`, headers: { 'idempotency-key': 'client:sqs:0d4e5f' }, body: { quantity: 1 } });
    expect(accepted.statusCode).toBe(200);
    expect((await send({ method: 'GET', url: `/aggregates/inventory/${ids.sku}` })).json).toMatchObject({ state: { onHand: 11 } });
  });

  it('answers 401 without a token, with the challenge, and stores nothing', async () => {
    const refused = await send({ method: 'POST', url: `/inventory/${ids.sku}/receive`, body: { quantity: 1 } }, null);
    expect(refused).toMatchObject({ statusCode: 401, json: problem('AUTH.UNAUTHENTICATED'), headers: { 'www-authenticate': 'Bearer realm="es-core"' } });
    expect((await send({ method: 'GET', url: `/aggregates/inventory/${ids.sku}` })).json).toMatchObject({ state: { onHand: 11 } });
  });

  it('answers 404 for an unknown aggregate and an unknown route, 405 with Allow for a method the path lacks', async () => {
    expect(await send({ method: 'GET', url: '/aggregates/order/nobody' })).toMatchObject({ statusCode: 404, json: problem('ORDER.NOT_FOUND') });
    expect(await send({ method: 'GET', url: '/nowhere' })).toMatchObject({ statusCode: 404, json: problem('ROUTE.NOT_FOUND') });
    const wrongMethod = await send({ method: 'DELETE', url: '/orders' });
    expect(wrongMethod).toMatchObject({ statusCode: 405, json: problem('ROUTE.METHOD_NOT_ALLOWED'), headers: { allow: 'POST' } });
  });

  it('answers a body over the limit 413 in the problem shape', async () => {
    const tooLarge = await send({ method: 'POST', url: `/customers/${ids.customerId}/support-interactions`, body: { channel: 'EMAIL', summary: 'x'.repeat(70_000), agent: 'a' } });
    expect(tooLarge).toMatchObject({ statusCode: 413, json: problem('REQUEST.TOO_LARGE') });
  });
});
