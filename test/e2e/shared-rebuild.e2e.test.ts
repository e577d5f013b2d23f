import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRole } from '../support/auth-tokens.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { apiClient, eventually, type Api } from './support/api-client.js';
import { keepReading, projectionsOf, runCli, type ProjectionView } from './support/instances.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { placeOrderBody } from './support/walkthrough.js';

const CUSTOMER = 'c-rebuild';

/** The generations that hold order summaries in the database itself. */
const orderGenerations = async (url: string): Promise<Map<string, string>> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ order_id: string; generation: string }>('SELECT order_id, generation FROM rm_order_summaries ORDER BY order_id');
    return new Map(rows.map((row) => [row.order_id, row.generation]));
  } finally {
    await client.end();
  }
};

const orderSummaryOf = async (api: Api): Promise<ProjectionView> => {
  const found = (await projectionsOf(api)).find((p) => p.name === 'order-summary');
  if (found === undefined) throw new Error('GET /projections lists no order-summary');
  return found;
};

describe('rebuilding order-summary on a PostgreSQL shared with running services', () => {
  let server: PostgresServer;
  let url: string;
  let operated: ServiceProcess;
  let api: Api;
  const started: ServiceProcess[] = [];
  const orders: string[] = [];

  const placeOrder = async (via: Api, orderId: string): Promise<void> => {
    const response = await via.post('/orders', placeOrderBody({ customerId: CUSTOMER, orderId, paymentId: `p-${orderId}`, sku: 'SKU-rebuild' }));
    expect({ orderId, status: response.status, body: response.body }).toMatchObject({ status: 201 });
    orders.push(orderId);
  };

  /** Every order placed so far is served, and listed for the customer, by `via`. */
  const expectAllOrders = (via: Api) =>
    eventually(async () => {
      const listed = (await via.get(`/customers/${CUSTOMER}/orders`)).body as { orderId: string }[];
      expect(listed.map((o) => o.orderId).sort()).toEqual([...orders].sort());
      for (const orderId of orders) expect({ orderId, status: (await via.get(`/orders/${orderId}`)).status }).toEqual({ orderId, status: 200 });
    });

  const start = async (env: Record<string, string>): Promise<ServiceProcess> => {
    const service = await startServiceProcess({ STORE: 'postgres', DATABASE_URL: url, LEASE_TTL_MS: '1500', FULFILMENT: 'manual', ...env });
    started.push(service);
    return service;
  };

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
    operated = await start({});
    api = apiClient(operated.url);
  });

  afterAll(async () => {
    for (const service of started) await service.stop('SIGKILL');
    await server?.stop();
  });

  it('a CLI rebuild leaves the running service answering 200 for every order, on the new generation, which it then writes to', async () => {
    expect((await api.post('/customers', { customerId: CUSTOMER, personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } })).status).toBe(201);
    for (let n = 0; n < 8; n += 1) await placeOrder(api, `o-rebuild-${n}`);
    await expectAllOrders(api);
    const before = await orderSummaryOf(api);
    expect(before.state).toBe('running');

    const existing = orders.map((orderId) => `/orders/${orderId}`);
    const reader = keepReading(api, () => [...existing, `/customers/${CUSTOMER}/orders`]);
    // Orders keep coming while the CLI rebuilds: none may be lost by the switch.
    let rebuilding = true;
    const during = (async () => {
      for (let n = 0; rebuilding; n += 1) {
        await placeOrder(api, `o-rebuild-during-${n}`);
        await sleep(150);
      }
    })();
    const cli = await runCli(['projections', 'rebuild', 'order-summary'], { STORE: 'postgres', DATABASE_URL: url });
    rebuilding = false;
    await during;
    expect({ code: cli.code, stderr: cli.code === 0 ? '' : cli.stderr }).toEqual({ code: 0, stderr: '' });
    const generation = /order-summary now serves generation (\S+)/.exec(cli.stdout)?.[1];
    expect(generation).toBeDefined();
    expect(generation).not.toBe(before.generation);

    // The CLI has switched and dropped the old generation: the service follows at once, for reads and writes.
    await sleep(1_500);
    await reader.stop();
    expect(reader.failures).toEqual([]);
    expect(reader.reads).toBeGreaterThan(existing.length);
    expect(await orderSummaryOf(api)).toMatchObject({ generation, state: 'running' });

    await placeOrder(api, 'o-rebuild-after-cli');
    await expectAllOrders(api);
    const stored = await orderGenerations(url);
    expect([...stored.keys()].sort()).toEqual([...orders].sort());
    expect(new Set(stored.values())).toEqual(new Set([generation]));
  });

  it('POST /projections/order-summary/rebuild needs the operator role, and switches every instance while reads keep answering', async () => {
    const path = '/projections/order-summary/rebuild';
    const bare = await api.as(null).post(path);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await api.post(path, undefined, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect(await api.as(asRole('service')).post(path)).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });

    // A second instance on the same database.
    const other = apiClient((await start({})).url);
    await eventually(async () => expect(await orderSummaryOf(other)).toMatchObject({ state: 'standby' }));

    const before = await orderSummaryOf(api);
    const existing = orders.map((orderId) => `/orders/${orderId}`);
    const readers = [api, other].map((via) => keepReading(via, () => [...existing, `/customers/${CUSTOMER}/orders`]));
    const accepted = await api.post(path);
    expect({ status: accepted.status, body: accepted.body }).toEqual({ status: 202, body: { name: 'order-summary', status: 'rebuilding' } });

    // Finished (switched, and the old generation dropped) on the instance that ran it; the other follows the store's record.
    const after = await eventually(async () => {
      const status = (await api.get('/projections')).body as (ProjectionView & { rebuild: unknown })[];
      const summary = status.find((p) => p.name === 'order-summary');
      expect(summary?.generation).not.toBe(before.generation);
      expect(summary?.rebuild).toBeNull();
      return summary as ProjectionView;
    }, 20_000);
    expect(await orderSummaryOf(other)).toMatchObject({ generation: after.generation, state: 'standby' });
    await sleep(1_500);
    await Promise.all(readers.map((reader) => reader.stop()));
    for (const reader of readers) expect(reader.failures).toEqual([]);

    await placeOrder(other, 'o-rebuild-after-http');
    await expectAllOrders(api);
    await expectAllOrders(other);
    expect(new Set((await orderGenerations(url)).values())).toEqual(new Set([after.generation]));
  });
});
