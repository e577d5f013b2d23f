import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, type Api } from './support/api-client.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { placeOrderBody, walkthroughIds } from './support/walkthrough.js';

const ORDERS = 40;
const KILL_AFTER = 15;

describe('a service killed mid-way on its embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-e2e-crash-'));
  const started: ServiceProcess[] = [];
  const start = async (): Promise<Api> => {
    const service = await startServiceProcess({ STORE: 'pglite', DATA_DIR: dataDir, FULFILMENT: 'manual' });
    started.push(service);
    return apiClient(service.url);
  };

  afterAll(async () => {
    for (const service of started) await service.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged command, and its projections resume from their checkpoints after SIGKILL', async () => {
    const api = await start();
    const customer = walkthroughIds('crash');
    expect((await api.post('/customers', { customerId: customer.customerId, personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } })).status).toBe(201);

    // Orders arrive together; the process is killed while some are still in flight and the projections are busy.
    const acknowledged: string[] = [];
    let answered = 0;
    let killed!: () => void;
    const killTime = new Promise<void>((resolve) => (killed = resolve));
    const requests = Array.from({ length: ORDERS }, (_, n) => {
      const ids = { ...customer, orderId: `o-crash-${n}` };
      return api.post('/orders', placeOrderBody(ids)).then(
        (response) => {
          if (response.status === 201) acknowledged.push(ids.orderId);
          if ((answered += 1) === KILL_AFTER) killed();
        },
        () => undefined, // in flight when the process died
      );
    });
    await killTime;
    const victim = started[0] as ServiceProcess;
    expect(await victim.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await Promise.all(requests);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const restarted = await start();
    const stored: string[] = [];
    for (let n = 0; n < ORDERS; n += 1) {
      const trail = await restarted.get(`/aggregates/order/o-crash-${n}/events`);
      expect([200, 404]).toContain(trail.status);
      if (trail.status === 200) stored.push(`o-crash-${n}`);
    }
    expect(stored).toEqual(expect.arrayContaining(acknowledged));

    const orders = await eventually(async () => {
      const listed = (await restarted.get(`/customers/${customer.customerId}/orders`)).body as { orderId: string; status: string; version: number }[];
      expect(listed.map((o) => o.orderId).sort()).toEqual([...stored].sort());
      return listed;
    });
    expect(orders.every((o) => o.status === 'CREATED' && o.version === 1)).toBe(true);
    // Each projection follows the feed on its own: the support history may be a moment behind the order summary.
    const history = await eventually(async () => {
      const entries = (await restarted.get(`/customers/${customer.customerId}/support-history`)).body as { eventId: string }[];
      expect(entries).toHaveLength(1 + stored.length);
      return entries;
    });
    expect(new Set(history.map((entry) => entry.eventId)).size).toBe(history.length);

    // Life goes on: a new order is projected too, and every projection is then at the head of the log.
    const after = { ...customer, orderId: 'o-crash-after' };
    expect((await restarted.post('/orders', placeOrderBody(after))).status).toBe(201);
    await eventually(async () => {
      expect((await restarted.get(`/orders/${after.orderId}`)).status).toBe(200);
      const statuses = (await restarted.get('/projections')).body as { state: string; lagEvents: number }[];
      expect(statuses.map(({ state, lagEvents }) => ({ state, lagEvents }))).toEqual(statuses.map(() => ({ state: 'running', lagEvents: 0 })));
    });
  });
});
