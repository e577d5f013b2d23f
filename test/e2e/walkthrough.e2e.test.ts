import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, type Api } from './support/api-client.js';
import { runCli } from './support/instances.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { runWalkthrough, walkthroughIds } from './support/walkthrough.js';
import { expectWalkthroughOutcome } from './support/walkthrough-checks.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the service in its own process on the embedded store, driven over HTTP', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-e2e-walk-'));
  // As the README: the signing key npm start makes under the data folder (not the tests' key), tokens from the CLI.
  const env = { STORE: 'pglite', DATA_DIR: dataDir, AUTH_SIGNING_KEY_FILE: '' };
  const ids = walkthroughIds('walk');
  let service: ServiceProcess;
  /** The README's four tokens: the back end, the customer, a support agent, an operator. */
  let svc: Api;
  let ada: Api;
  let agent: Api;
  let ops: Api;
  let minted: readonly string[] = [];

  const token = async (role: string, subject: string): Promise<string> => {
    const minted = await runCli(['token', '--role', role, '--subject', subject], { DATA_DIR: dataDir, AUTH_SIGNING_KEY_FILE: '' });
    expect(minted, minted.stderr).toMatchObject({ code: 0 });
    return minted.stdout.trim();
  };

  beforeAll(async () => {
    // The CLI makes the key itself when it comes first: both end up with the one made first.
    [service, ...minted] = await Promise.all([
      startServiceProcess(env),
      token('service', 'shop'),
      token('customer', ids.customerId),
      token('support', 'agent-7'),
      token('operator', 'ops-1'),
    ]);
    const api = apiClient(service.url, null);
    [svc, ada, agent, ops] = minted.map((given) => api.as({ token: given })) as [Api, Api, Api, Api];
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('made its signing key under the data folder on first start, readable by its user only', () => {
    expect(statSync(join(dataDir, 'auth', 'signing-key.jwk')).mode & 0o777).toBe(0o600);
  });

  it('runs the README walkthrough with its tokens, then reads the summary, the audit trail and the order before shipping', async () => {
    await runWalkthrough(svc, ids, { 'x-correlation-id': 'walkthrough-1' }, ada);
    // The customer placed the order: the actor of its first event is their token's subject.
    await expectWalkthroughOutcome(agent, ids, { correlationId: 'walkthrough-1', actor: ids.customerId });
    expect(await ada.get(`/orders/${ids.orderId}`)).toMatchObject({ status: 200, body: { orderId: ids.orderId, status: 'DELIVERED' } });
    expect(await ada.get(`/customers/${ids.customerId}/orders`)).toMatchObject({ status: 200, body: [{ orderId: ids.orderId }] });
    expect(await svc.get(`/orders/${ids.orderId}`)).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
    expect(await apiClient(service.url, null).get(`/orders/${ids.orderId}`)).toMatchObject({ status: 401, body: { code: 'AUTH.UNAUTHENTICATED' } });
    const health = await apiClient(service.url, null).get('/health');
    expect(health.body).toMatchObject({ status: 'ok', workflow: { state: 'running', retries: 0, lastError: null, deadlines: null } });
  });

  it('returns the correlation id it was given, or one it made, and records it in the events', async () => {
    const given = await svc.post('/customers', { customerId: 'c-corr', personal: { name: 'Grace', email: 'grace@example.com', address: '1 Navy Yard' } }, {
      'x-correlation-id': 'corr-42',
      'x-causation-id': 'msg-7',
    });
    expect(given.status).toBe(201);
    expect(given.headers.get('x-correlation-id')).toBe('corr-42');
    const made = await agent.post('/customers/c-corr/support-interactions', { channel: 'CHAT', summary: 'asked for an invoice', agent: 'bob' });
    const madeId = made.headers.get('x-correlation-id') ?? '';
    expect(madeId).toMatch(UUID);
    const trail = await agent.get('/aggregates/customer/c-corr/events');
    // The actor of each event is the subject of the token that sent the command.
    expect(trail.body.events.map((e: { metadata: unknown }) => e.metadata)).toEqual([
      { correlationId: 'corr-42', causationId: 'msg-7', actor: 'shop' },
      { correlationId: madeId, causationId: null, actor: 'agent-7' },
    ]);
    expect((await svc.get('/health')).headers.get('x-correlation-id')).toMatch(UUID);
  });

  it('answers a repeated command with its first outcome and appends nothing', async () => {
    const idem = walkthroughIds('idem');
    const body = { quantity: 5 };
    const first = await svc.post(`/inventory/${idem.sku}/receive`, body, { 'idempotency-key': 'receipt-idem-1' });
    const again = await svc.post(`/inventory/${idem.sku}/receive`, body, { 'idempotency-key': 'receipt-idem-1' });
    expect(first).toMatchObject({ status: 200, body: { version: 1, eventTypes: ['StockReceived'] } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await agent.get(`/aggregates/inventory/${idem.sku}/events`)).body.events).toHaveLength(1);
    const reused = await svc.post(`/inventory/${idem.sku}/receive`, { quantity: 6 }, { 'idempotency-key': 'receipt-idem-1' });
    expect(reused).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY.KEY_REUSED' } });
  });

  it('serves Prometheus metrics, to operators only by default, with the ADR metrics and projection lag', async () => {
    expect((await agent.get('/metrics')).status).toBe(403);
    await eventually(async () => {
      const metrics = await ops.get('/metrics');
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
    const { status, body } = await apiClient(service.url, null).get('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/customers', '/orders', '/orders/{orderId}/ship', '/payments', '/inventory/{sku}/reserve', '/aggregates/{type}/{id}/events', '/health', '/metrics']),
    );
    const placeOrder = body.paths['/orders'].post;
    expect(placeOrder.requestBody.content['application/json'].schema.required).toEqual(['orderId', 'customerId', 'currency', 'lines', 'shippingAddress']);
    expect(placeOrder.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['header:idempotency-key', 'header:x-correlation-id']),
    );
    expect(placeOrder.parameters.map((p: { name: string }) => p.name)).not.toContain('x-actor');
    expect(placeOrder.security).toEqual([{ bearer: [] }]);
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(body.paths['/health'].get.security).toBeUndefined();
    // The statuses the operation can answer, from its codes (a creation looks nothing up: no 404).
    expect(Object.keys(placeOrder.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '500', '503']);
  });

  it('stops cleanly on SIGTERM, and a restart on the same data folder finds everything where it was', async () => {
    const ended = await service.stop('SIGTERM');
    expect(ended).toEqual({ code: 0, signal: null });
    expect(service.output()).toContain('stopped: projections checkpointed, store closed');
    service = await startServiceProcess(env);
    // The key made on the first start is kept: tokens minted before the restart still pass.
    const again = apiClient(service.url, null);
    expect((await again.as({ token: minted[1] as string }).get(`/orders/${ids.orderId}`)).body).toMatchObject({ status: 'DELIVERED', version: 5 });
    const opsAgain = again.as({ token: minted[3] as string });
    await eventually(async () => {
      const statuses = (await opsAgain.get('/projections')).body as { lagEvents: number | null; state: string }[];
      expect(statuses.map((status) => [status.lagEvents, status.state])).toEqual([
        [0, 'running'],
        [0, 'running'],
        [0, 'running'],
      ]);
    });
  });
});
