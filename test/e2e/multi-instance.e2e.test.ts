import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeFake } from '../support/eventbridge-fake/eventbridge-fake.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { startDynamoDbLocal } from '../support/dynamodb-local.js';
import { startPostgres } from '../support/postgres-server.js';
import { apiClient, eventually, type Api } from './support/api-client.js';
import { metricsOf, metricValue, pidOf, PROJECTION_NAMES, projectionsOf } from './support/instances.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { placeOrderBody } from './support/walkthrough.js';

const LEASE_TTL_MS = 1_500;
const BUS = 'orders-bus';
const RELAY = `relay:${BUS}`;
const AWS = { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'multiinstance', AWS_SECRET_ACCESS_KEY: 'test' };

interface Store {
  readonly name: string;
  /** The feed tells how far behind a consumer is (the global log) or cannot (DynamoDB Streams). */
  readonly countsLag: boolean;
  open(): Promise<{ env: Record<string, string>; close(): Promise<void> }>;
}

const STORES: readonly Store[] = [
  {
    name: 'PostgreSQL',
    countsLag: true,
    open: async () => {
      const server = await startPostgres();
      return { env: { STORE: 'postgres', DATABASE_URL: await server.createDatabase() }, close: () => server.stop() };
    },
  },
  {
    name: 'DynamoDB Local',
    countsLag: false,
    open: async () => {
      const server = await startDynamoDbLocal();
      const { tablePrefix } = localSettings(server);
      return { env: { STORE: 'dynamodb', DYNAMODB_ENDPOINT: server.endpoint, DYNAMODB_TABLE_PREFIX: tablePrefix }, close: () => server.stop() };
    },
  },
];

/** What the commands acknowledged: the read models must show exactly this. */
interface Ledger {
  readonly customerId: string;
  readonly receipts: Map<string, number[]>;
  readonly orders: string[];
}

describe.each(STORES)('two service instances on one $name store', (store) => {
  const tag = store.name.startsWith('Postgre') ? 'pg' : 'ddb';
  const skus = [0, 1, 2].map((n) => `SKU-mi-${tag}-${n}`);
  const ledger: Ledger = { customerId: `c-mi-${tag}`, receipts: new Map(skus.map((sku) => [sku, []])), orders: [] };
  let bus: EventBridgeFake;
  let closeStore: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  let first: ServiceProcess;
  let second: ServiceProcess;
  let a: Api;
  let b: Api;
  const started: ServiceProcess[] = [];

  const start = async (): Promise<ServiceProcess> => {
    // The workflow would reserve and cancel these orders: this file is about consumers handing over.
    const service = await startServiceProcess({ ...env, FULFILMENT: 'manual' });
    started.push(service);
    return service;
  };

  const receive = async (api: Api, sku: string, quantity: number): Promise<void> => {
    const response = await api.post(`/inventory/${sku}/receive`, { quantity });
    expect({ sku, status: response.status, body: response.body }).toMatchObject({ status: 200 });
    ledger.receipts.get(sku)?.push(quantity);
  };

  const placeOrder = async (api: Api, orderId: string, sku: string): Promise<void> => {
    const response = await api.post('/orders', placeOrderBody({ customerId: ledger.customerId, orderId, paymentId: `p-${orderId}`, sku }));
    expect({ orderId, status: response.status, body: response.body }).toMatchObject({ status: 201 });
    ledger.orders.push(orderId);
  };

  /** Every acknowledged command is in the read models read through `api`, once: nothing lost, nothing applied twice. */
  const expectExactReadModels = (api: Api): Promise<void> =>
    eventually(async () => {
      for (const [sku, quantities] of ledger.receipts) {
        const level = await api.get(`/inventory/${sku}`);
        const onHand = quantities.reduce((sum, q) => sum + q, 0);
        expect({ sku, status: level.status, body: level.body }).toMatchObject({ status: 200, body: { onHand, reserved: 0, allocated: 0, available: onHand, version: quantities.length } });
      }
      const orders = (await api.get(`/customers/${ledger.customerId}/orders`)).body as { orderId: string; status: string; version: number }[];
      expect(orders.map((o) => o.orderId).sort()).toEqual([...ledger.orders].sort());
      expect(orders.every((o) => o.status === 'CREATED' && o.version === 1)).toBe(true);
      for (const orderId of ledger.orders.slice(-3)) expect((await api.get(`/orders/${orderId}`)).status).toBe(200);
      const history = (await api.get(`/customers/${ledger.customerId}/support-history`)).body as { eventId: string }[];
      expect(history).toHaveLength(1 + ledger.orders.length);
      expect(new Set(history.map((entry) => entry.eventId)).size).toBe(history.length);
    }, 20_000);

  /** Every event the store holds for the streams the commands wrote, by id, read through `api`. */
  const committedEventIds = async (api: Api): Promise<string[]> => {
    const streams = [['customer', ledger.customerId], ...skus.map((sku) => ['inventory', sku]), ...ledger.orders.map((orderId) => ['order', orderId])];
    const ids: string[] = [];
    for (const [type, id] of streams) {
      const page = await api.get(`/aggregates/${type}/${id}/events?limit=1000`);
      expect(page.status).toBe(200);
      ids.push(...(page.body.events as { eventId: string }[]).map((event) => event.eventId));
    }
    return ids;
  };

  const delivered = (): string[] => bus.delivered(BUS).map((event) => String(event.detail.eventId));

  /** Polls both instances until `holder` runs every projection and `other` stands by for it. */
  const expectHeldBy = (holder: { api: Api; pid: number }, other: { api: Api } | null, deadlineMs = 15_000) =>
    eventually(async () => {
      const mine = await projectionsOf(holder.api);
      expect(mine.map((p) => p.name)).toEqual([...PROJECTION_NAMES]);
      for (const p of mine) expect({ name: p.name, state: p.state, holder: pidOf(p.holder) }).toEqual({ name: p.name, state: 'running', holder: holder.pid });
      if (other !== null) {
        const theirs = await projectionsOf(other.api);
        expect(theirs.map(({ name, state, holder: h, generation }) => ({ name, state, holder: h, generation }))).toEqual(
          mine.map(({ name, holder: h, generation }) => ({ name, state: 'standby', holder: h, generation })),
        );
      }
      return mine;
    }, deadlineMs);

  beforeAll(async () => {
    bus = await EventBridgeFake.start({ buses: [BUS] });
    const opened = await store.open();
    closeStore = opened.close;
    env = { ...opened.env, ...AWS, LEASE_TTL_MS: String(LEASE_TTL_MS), EVENT_BUS_NAME: BUS, EVENTBRIDGE_ENDPOINT: bus.endpoint, EVENT_SOURCE: 'es-core.multi' };
  });

  afterAll(async () => {
    for (const service of started) await service.stop('SIGKILL');
    await closeStore?.();
    await bus?.close();
  });

  it('runs each projection and the relay in exactly one instance; the other stands by for the same holder', async () => {
    // One after the other, so that the first takes every lease and the second finds them all held.
    first = await start();
    a = apiClient(first.url);
    await expectHeldBy({ api: a, pid: first.child.pid as number }, null);
    second = await start();
    b = apiClient(second.url);
    const statuses = await expectHeldBy({ api: a, pid: first.child.pid as number }, { api: b });
    expect(statuses.every((p) => p.holder === statuses[0]?.holder)).toBe(true);

    // The relay's lease too: only the first took it (a standby instance records no take-over).
    const [metricsA, metricsB] = await Promise.all([metricsOf(a), metricsOf(b)]);
    for (const consumer of [...PROJECTION_NAMES, RELAY]) {
      expect({ consumer, first: metricValue(metricsA, 'es_consumer_lease_takeovers_total', { consumer }) > 0 }).toEqual({ consumer, first: true });
      expect({ consumer, second: metricValue(metricsB, 'es_consumer_lease_takeovers_total', { consumer }) }).toEqual({ consumer, second: 0 });
    }
  });

  it('applies commands sent to either instance exactly once, in read models read through either', async () => {
    const registered = await a.post('/customers', { customerId: ledger.customerId, personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } });
    expect(registered.status).toBe(201);
    // Two lanes at once, one per instance, writing to the same SKUs (their commands contend for the same streams).
    const lane = async (api: Api, lane: number): Promise<void> => {
      for (let n = 0; n < 9; n += 1) {
        await receive(api, skus[n % skus.length] as string, 10 * lane + n + 1);
        if (n % 3 === lane) await placeOrder(api, `o-mi-${tag}-${lane}-${n}`, skus[n % skus.length] as string);
      }
    };
    await Promise.all([lane(a, 0), lane(b, 1)]);
    expect(ledger.orders).toHaveLength(6);

    await expectExactReadModels(a);
    await expectExactReadModels(b);
    // Both see the same checkpoints, in the store; on the global log the projections are at its head.
    const [viewA, viewB] = await Promise.all([projectionsOf(a), projectionsOf(b)]);
    expect(viewB.map((p) => p.checkpoint)).toEqual(viewA.map((p) => p.checkpoint));
    if (store.countsLag) await eventually(async () => expect((await projectionsOf(b)).map((p) => p.lagEvents)).toEqual([0, 0, 0]));
    else expect(viewB.map((p) => p.lagEvents)).toEqual([null, null, null]);

    // The relay runs in the first only: each event went to the bus once, all from the first instance.
    const committed = await committedEventIds(b);
    await eventually(async () => expect(delivered().sort()).toEqual([...committed].sort()));
    const [metricsA, metricsB] = await Promise.all([metricsOf(a), metricsOf(b)]);
    expect(metricValue(metricsA, 'es_events_published_total', { event_bus: BUS })).toBe(committed.length);
    expect(metricValue(metricsB, 'es_events_published_total', { event_bus: BUS })).toBe(0);
  });

  it('hands every projection and the relay to the survivor after kill -9 of their holder, losing and repeating nothing', async () => {
    const survivor = { api: b, pid: second.child.pid as number };
    // Commands keep going to the survivor before, during and after the hand-over.
    let handedOver = false;
    let sent = 0;
    const lane = (async () => {
      let afterHandOver = 0;
      for (const until = Date.now() + 40_000; afterHandOver < 6 && Date.now() < until; sent += 1) {
        if (handedOver) afterHandOver += 1;
        await receive(b, skus[sent % skus.length] as string, 100 + sent);
        if (sent % 2 === 0) await placeOrder(b, `o-mi-${tag}-after-${sent}`, skus[sent % skus.length] as string);
      }
    })();
    await eventually(async () => expect(sent).toBeGreaterThanOrEqual(4));

    const killedAt = Date.now();
    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await expectHeldBy(survivor, null, LEASE_TTL_MS + 10_000);
    const handOverMs = Date.now() - killedAt;
    handedOver = true;
    await lane;
    console.info(`${store.name}: the survivor held every projection ${handOverMs} ms after kill -9 (lease ${LEASE_TTL_MS} ms)`);
    expect(handOverMs).toBeLessThan(LEASE_TTL_MS + 5_000);

    await expectExactReadModels(b);
    if (store.countsLag) await eventually(async () => expect((await projectionsOf(b)).map((p) => p.lagEvents)).toEqual([0, 0, 0]));

    // The relay is not in GET /projections, and its lease ran out on its own schedule: its take-over shows in the metric.
    await eventually(async () => {
      const metrics = await metricsOf(b);
      for (const consumer of [...PROJECTION_NAMES, RELAY]) {
        expect({ consumer, tookOver: metricValue(metrics, 'es_consumer_lease_takeovers_total', { consumer }) > 0 }).toEqual({ consumer, tookOver: true });
      }
    }, Math.max(1_000, killedAt + LEASE_TTL_MS + 5_000 - Date.now()));

    // At least once: every committed event reached the bus, whichever instance published it.
    const committed = await committedEventIds(b);
    await eventually(async () => {
      const seen = new Set(delivered());
      expect(committed.filter((eventId) => !seen.has(eventId))).toEqual([]);
    }, 20_000);
  });
});
