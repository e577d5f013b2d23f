import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { startHttpService, type RunningService } from '../../src/main/http-service.js';
import { apiClient, eventually, type Api } from '../e2e/support/api-client.js';
import { placeOrderBody, registerBody, walkthroughIds } from '../e2e/support/walkthrough.js';
import { testAuthConfig } from '../support/auth-tokens.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

const ids = walkthroughIds('outage');

/** Every kind of read the API serves: a read model, one as of a time, an aggregate (now and as of a time), an audit trail, a workflow view, a list. */
const READS = [
  `/orders/${ids.orderId}`,
  `/orders/${ids.orderId}?asOf=2030-01-01T00:00:00Z`,
  `/customers/${ids.customerId}/orders`,
  `/customers/${ids.customerId}/support-history`,
  `/inventory/${ids.sku}`,
  '/inventory',
  `/aggregates/order/${ids.orderId}`,
  `/aggregates/order/${ids.orderId}?asOf=2030-01-01T00:00:00Z`,
  `/aggregates/order/${ids.orderId}/events`,
  `/orders/${ids.orderId}/fulfilment`,
];

describe('a PostgreSQL server that stops under a running service', () => {
  let server: PostgresServer;
  let service: RunningService;
  let api: Api;

  beforeAll(async () => {
    server = await startPostgres();
    const container = await createContainer(loadConfig({}, { store: 'postgres', databaseUrl: await server.createDatabase(), auth: testAuthConfig(), pollIntervalMs: 50 }));
    service = await startHttpService(container, { host: '127.0.0.1', port: 0 });
    api = apiClient(service.url);
    expect((await api.post('/customers', registerBody(ids))).status).toBe(201);
    expect((await api.post(`/inventory/${ids.sku}/receive`, { quantity: 10 })).status).toBe(200);
    expect((await api.post('/orders', { ...placeOrderBody(ids), paymentMethodToken: 'tok_silent' })).status).toBe(201);
    // Every read answers while the server is up (the workflow has taken the order in).
    await eventually(async () => {
      for (const path of READS) expect({ path, status: (await api.get(path)).status }).toEqual({ path, status: 200 });
    });
  });

  afterAll(async () => {
    await service?.stop();
    await server?.stop();
  });

  it('answers every read, and a command, with 503 and Retry-After instead of 500, naming no driver detail', async () => {
    await server.stop();
    for (const path of READS) {
      const answer = await api.get(path);
      expect({ path, status: answer.status, retryAfter: answer.headers.get('retry-after'), code: answer.body.code }).toEqual({
        path,
        status: 503,
        retryAfter: '5',
        code: 'STORE.UNAVAILABLE',
      });
      expect(JSON.stringify(answer.body), path).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|PostgreSQL/);
    }
    const command = await api.post(`/orders/${ids.orderId}/cancel`, { reason: 'changed my mind' });
    expect(command.status).toBe(503);
    expect(command.headers.get('retry-after')).toBe('5');
    expect(['STORE.UNAVAILABLE', 'EVENT_STORE.UNAVAILABLE']).toContain(command.body.code);
    expect((await api.get('/health')).status).toBe(503);
  });
});
