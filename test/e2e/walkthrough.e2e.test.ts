import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, type Api } from './support/api-client.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { runWalkthrough, walkthroughIds } from './support/walkthrough.js';
import { expectWalkthroughOutcome } from './support/walkthrough-checks.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the service in its own process on the embedded store, driven over HTTP', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-e2e-walk-'));
  let service: ServiceProcess;
  let api: Api;

  beforeAll(async () => {
    service = await startServiceProcess({ STORE: 'pglite', DATA_DIR: dataDir });
    api = apiClient(service.url);
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the README walkthrough, then reads the summary, the audit trail and the order before shipping', async () => {
    const ids = walkthroughIds('walk');
    await runWalkthrough(api, ids, { 'x-actor': 'ada', 'x-correlation-id': 'walkthrough-1' });
    await expectWalkthroughOutcome(api, ids, { correlationId: 'walkthrough-1', actor: 'ada' });
    const health = await api.get('/health');
    expect(health.body).toMatchObject({ status: 'ok', workflow: { state: 'running', retries: 0, lastError: null, deadlines: null } });
  });

  it('returns the correlation id it was given, or one it made, and records it in the events', async () => {
    const given = await api.post('/customers', { customerId: 'c-corr', personal: { name: 'Grace', email: 'grace@example.com', address: '1 Navy Yard' } }, {
      'x-correlation-id': 'corr-42',
      'x-causation-id': 'msg-7',
    });
    expect(given.status).toBe(201);
    expect(given.headers.get('x-correlation-id')).toBe('corr-42');
    const made = await api.post('/customers/c-corr/support-interactions', { channel: 'CHAT', summary: 'asked for an invoice', agent: 'bob' });
    const madeId = made.headers.get('x-correlation-id') ?? '';
    expect(madeId).toMatch(UUID);
    const trail = await api.get('/aggregates/customer/c-corr/events');
    expect(trail.body.events.map((e: { metadata: unknown }) => e.metadata)).toEqual([
      { correlationId: 'corr-42', causationId: 'msg-7', actor: 'anonymous' },
      { correlationId: madeId, causationId: null, actor: 'anonymous' },
    ]);
    expect((await api.get('/health')).headers.get('x-correlation-id')).toMatch(UUID);
  });

  it('answers a repeated command with its first outcome and appends nothing', async () => {
    const ids = walkthroughIds('idem');
    const body = { quantity: 5 };
    const first = await api.post(`/inventory/${ids.sku}/receive`, body, { 'idempotency-key': 'receipt-idem-1' });
    const again = await api.post(`/inventory/${ids.sku}/receive`, body, { 'idempotency-key': 'receipt-idem-1' });
    expect(first).toMatchObject({ status: 200, body: { version: 1, eventTypes: ['StockReceived'] } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await api.get(`/aggregates/inventory/${ids.sku}/events`)).body.events).toHaveLength(1);
    const reused = await api.post(`/inventory/${ids.sku}/receive`, { quantity: 6 }, { 'idempotency-key': 'receipt-idem-1' });
    expect(reused).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY.KEY_REUSED' } });
  });

  it('serves Prometheus metrics with the ADR metrics and projection lag', async () => {
    await eventually(async () => {
      const metrics = await api.get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      for (const name of ['es_event_processing_seconds_count', 'es_event_processing_results_total', 'es_aggregate_load_seconds_count', 'es_aggregate_events_loaded_count', 'es_consumer_lag_events', 'es_consumer_lag_seconds', 'es_consumer_lease_takeovers_total']) {
        expect(metrics.body).toContain(name);
      }
      expect(metrics.body).toMatch(/es_event_processing_results_total\{projection="order-summary",event_type="OrderCreated",result="Success"\} [1-9]/);
      expect(metrics.body).toMatch(/es_consumer_lag_events\{consumer="order-summary"\} 0/);
    });
  });

  it('describes its API in OpenAPI, from the route schemas', async () => {
    const { status, body } = await api.get('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/customers', '/orders', '/orders/{orderId}/ship', '/payments', '/inventory/{sku}/reserve', '/aggregates/{type}/{id}/events', '/health', '/metrics']),
    );
    const placeOrder = body.paths['/orders'].post;
    expect(placeOrder.requestBody.content['application/json'].schema.required).toEqual(['orderId', 'customerId', 'currency', 'lines', 'shippingAddress']);
    expect(placeOrder.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['header:idempotency-key', 'header:x-correlation-id', 'header:x-actor']),
    );
    expect(Object.keys(placeOrder.responses)).toEqual(expect.arrayContaining(['201', '400', '404', '409', '422', '500']));
  });

  it('stops cleanly on SIGTERM, and a restart on the same data folder finds everything where it was', async () => {
    const ended = await service.stop('SIGTERM');
    expect(ended).toEqual({ code: 0, signal: null });
    expect(service.output()).toContain('stopped: projections checkpointed, store closed');
    service = await startServiceProcess({ STORE: 'pglite', DATA_DIR: dataDir });
    const again = apiClient(service.url);
    expect((await again.get(`/orders/${walkthroughIds('walk').orderId}`)).body).toMatchObject({ status: 'DELIVERED', version: 5 });
    await eventually(async () => {
      const statuses = (await again.get('/projections')).body as { lagEvents: number | null; state: string }[];
      expect(statuses.map((status) => [status.lagEvents, status.state])).toEqual([
        [0, 'running'],
        [0, 'running'],
        [0, 'running'],
      ]);
    });
  });
});
