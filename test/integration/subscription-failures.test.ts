import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryLeaseStore } from '../../src/adapters/memory/in-memory-lease-store.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryReadModelCatalog } from '../../src/adapters/memory/in-memory-read-models.js';
import { InMemoryCheckpointStore } from '../../src/adapters/memory/in-memory-stores.js';
import { FixedClock, RandomUuids, SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import type { CheckpointStore } from '../../src/application/ports/checkpoint-store.js';
import type { CommittedEventFeed } from '../../src/application/ports/committed-event-feed.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import type { OrderReadModel } from '../../src/application/ports/order-read-model.js';
import type { ReadModelCatalog } from '../../src/application/ports/read-models.js';
import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';
import { engineOptions, ProjectionEngine } from '../../src/application/projections/projection-engine.js';
import { GlobalLogArchive, GlobalLogFeed } from '../../src/application/subscriptions/global-log-feed.js';
import { domainUpcasters } from '../../src/application/upcasting/domain-upcasters.js';
import { appFrom } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { anEvent } from '../support/event-mother.js';
import { confirmPaid, context, placeOrder } from '../support/memory-app.js';
import { eventually } from '../e2e/support/api-client.js';
import { SILENT_LOGGER } from '../../src/adapters/logs/silent-logger.js';

/** What a driver throws while its server is unreachable: adapters mark such errors transient. */
const unreachable = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { transient: true });

/** An outage switch shared by the doubles below. */
const outage = () => {
  let downUntil = 0;
  return {
    down: (milliseconds: number) => (downUntil = Date.now() + milliseconds),
    get isDown() {
      return Date.now() < downUntil;
    },
  };
};

/** The order read model of `catalog`, failing every call during an outage with `failure()`. */
const flakyOrders = (catalog: ReadModelCatalog, isDown: () => boolean, failure: () => Error): ReadModelCatalog =>
  Object.assign(Object.create(catalog) as ReadModelCatalog, {
    orders: (generation: string): OrderReadModel => {
      const inner = catalog.orders(generation);
      const guard =
        <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
        async (...args: A): Promise<R> => {
          if (isDown()) throw failure();
          return call(...args);
        };
      return {
        upsert: guard((s) => inner.upsert(s)),
        upsertMany: guard((rows) => inner.upsertMany(rows)),
        get: guard((id) => inner.get(id)),
        getMany: guard((ids) => inner.getMany(ids)),
        listByCustomer: guard((c) => inner.listByCustomer(c)),
      };
    },
    appliedVersions: (kind: Parameters<ReadModelCatalog['appliedVersions']>[0], generation: string) => catalog.appliedVersions(kind, generation),
    drop: (kind: Parameters<ReadModelCatalog['drop']>[0], generation: string) => catalog.drop(kind, generation),
  });

const appWith = async (adjust: (catalog: ReadModelCatalog, checkpoints: CheckpointStore) => { catalog?: ReadModelCatalog; checkpoints?: CheckpointStore }) => {
  const container = await createContainer(loadConfig({}, { store: 'memory' }));
  const replaced = adjust(container.get(TOKENS.ReadModelCatalog), container.get(TOKENS.CheckpointStore));
  if (replaced.catalog) container.rebind(TOKENS.ReadModelCatalog).toConstantValue(replaced.catalog);
  if (replaced.checkpoints) container.rebind(TOKENS.CheckpointStore).toConstantValue(replaced.checkpoints);
  const metrics = container.get(TOKENS.Metrics) as InMemoryMetrics;
  return { app: appFrom(container, {}), metrics };
};

describe('a projection meeting infrastructure failures', () => {
  it('rides out a 200 ms read-model outage with back-off instead of stopping for good', async () => {
    const network = outage();
    const { app, metrics } = await appWith((catalog) => ({ catalog: flakyOrders(catalog, () => network.isDown, unreachable) }));
    const states = new Set<string>();
    try {
      network.down(200);
      await placeOrder(app, { customerId: 'c-1', orderId: 'o-1', sku: 'SKU-1' });
      app.projections.start(10);
      for (const until = Date.now() + 150; Date.now() < until; await sleep(10)) {
        for (const status of await app.projections.status()) if (status.name === 'order-summary') states.add(status.state);
      }
      await eventually(async () => expect((await app.orderQueries.orderDetails('o-1'))._unsafeUnwrap().status).toBe('CREATED'));
      const summary = (await app.projections.status()).find((s) => s.name === 'order-summary');
      expect(summary).toMatchObject({ state: 'running', failure: null, lagEvents: 0 });
      expect(states).toContain('retrying');
      expect(states).not.toContain('failed');
      expect(metrics.samples('SubscriptionRetries').length).toBeGreaterThan(1);
      expect(metrics.samples('SubscriptionParked')).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('does not count a handler failure against the event while the store itself is down', async () => {
    const network = outage();
    const { app, metrics } = await appWith((catalog, checkpoints) => ({
      // A driver that reports its outage as a plain error: only the failing health check tells it apart from poison.
      catalog: flakyOrders(catalog, () => network.isDown, () => new Error('socket hang up')),
      checkpoints: {
        load: async (key) => {
          if (network.isDown && key.startsWith('failure:')) throw unreachable();
          return checkpoints.load(key);
        },
        save: (key, position, fence) => checkpoints.save(key, position, fence),
        remove: (key) => checkpoints.remove(key),
      },
    }));
    try {
      await placeOrder(app, { customerId: 'c-2', orderId: 'o-2', sku: 'SKU-2' });
      network.down(400);
      app.projections.start(10);
      await eventually(async () => expect((await app.orderQueries.orderDetails('o-2')).isOk()).toBe(true));
      expect((await app.projections.status()).find((s) => s.name === 'order-summary')?.failure).toBeNull();
      expect(metrics.samples('SubscriptionParked')).toEqual([]);
      expect(metrics.samples('SubscriptionRetries').length).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});

describe('an event written by newer code (a rolling deploy)', () => {
  it('is retried with back-off, not recorded as poison that would stop the newer instances too', async () => {
    const { app, metrics } = await appWith(() => ({}));
    try {
      await app.eventStore.append('Order-from-the-future', [anEvent({ type: 'OrderCreated', schemaVersion: 99 })], 'no-stream');
      app.projections.start(10);
      await eventually(async () => expect((await app.projections.status()).find((s) => s.name === 'order-summary')).toMatchObject({ state: 'retrying', failure: null }));
      expect((await app.projections.status()).find((s) => s.name === 'order-summary')?.lastError).toContain('newer than this code knows');
      expect(metrics.samples('SubscriptionParked')).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('rebuilds', () => {
  it('give rebuilds in the same millisecond different generations, refuse a second one while one runs, and never empty the live read model', async () => {
    const clock = new FixedClock('2026-03-01T09:00:00.000Z');
    const container = await createContainer(loadConfig({}, { store: 'memory' }), { clock, ids: new RandomUuids() });
    const app = appFrom(container, {});
    for (let n = 1; n <= 3; n += 1) await placeOrder(app, { customerId: `c-r${n}`, orderId: `o-r${n}`, sku: `SKU-r${n}` });
    await app.catchUp();
    const [first, second] = await Promise.allSettled([app.projections.rebuild('order-summary'), app.projections.rebuild('order-summary')]);
    expect(first).toMatchObject({ status: 'fulfilled', value: expect.stringMatching(/^v1-/) });
    expect(second).toMatchObject({ status: 'rejected', reason: { name: 'RebuildAbandonedError', message: expect.stringContaining('another rebuild of order-summary is running') } });
    const third = await app.projections.rebuild('order-summary');
    expect(third).not.toBe(first.status === 'fulfilled' ? first.value : '');
    expect((await app.projections.status()).find((s) => s.name === 'order-summary')?.generation).toBe(third);
    for (let n = 1; n <= 3; n += 1) expect((await app.orderQueries.customerOrders(`c-r${n}`)).map((o) => o.orderId)).toEqual([`o-r${n}`]);
    await confirmPaid(app, 'o-r1', context());
    await app.catchUp();
    expect((await app.orderQueries.orderDetails('o-r1'))._unsafeUnwrap().status).toBe('CONFIRMED');
  });
});

/** The order summary engine over a store, fed by `feed`, each process's stores in memory. */
const engineOver = (store: EventStore, feed: CommittedEventFeed, log: InMemoryEventStore) => {
  const metrics = new InMemoryMetrics();
  const clock = new SystemClock();
  const catalog = new InMemoryReadModelCatalog();
  const engine = new ProjectionEngine(
    {
      store,
      feed,
      archive: new GlobalLogArchive(log),
      leases: new InMemoryLeaseStore(clock),
      checkpoints: new InMemoryCheckpointStore(),
      catalog,
      upcasters: domainUpcasters(),
      metrics,
      clock,
      logger: SILENT_LOGGER,
      ids: new RandomUuids(),
    },
    [orderSummaryProjection],
    engineOptions('test', { poison: { maxAttempts: 1, retryDelayMs: 0 }, retireAfterMs: 0 }),
  );
  return { engine, metrics, orders: () => engine.readModel(orderSummaryProjection) };
};

/** The global log without the events `skip` picks: what a feed that lost records would hand over. */
const feedWithout = (log: InMemoryEventStore, skip: (streamId: string, version: number) => boolean): CommittedEventFeed => {
  const feed = new GlobalLogFeed(log);
  return {
    read: async (position, limit) => {
      const batch = await feed.read(position, limit);
      return { ...batch, events: batch.events.filter((event) => !skip(event.streamId, event.version)) };
    },
    behind: (position) => feed.behind(position),
  };
};

const created = anEvent({ type: 'OrderCreated' });
const confirmed = () => anEvent({ type: 'OrderConfirmed', schemaVersion: 1, data: {} });
const shipped = () => anEvent({ type: 'OrderShipped', schemaVersion: 1, data: { carrier: 'DHL', trackingNumber: '1' } });

describe('a version that jumps ahead in the feed', () => {
  it('is filled from the store when the store has the missing version', async () => {
    const log = new InMemoryEventStore(new SystemClock());
    await log.append('Order-a', [created, confirmed(), shipped()], 'no-stream');
    const { engine, metrics, orders } = engineOver(log, feedWithout(log, (stream, version) => stream === 'Order-a' && version === 2), log);
    await engine.catchUp();
    expect(await (await orders()).get('a')).toMatchObject({ status: 'SHIPPED', version: 3 });
    expect(metrics.samples('SubscriptionHoles')).toEqual([expect.objectContaining({ dimensions: { Consumer: 'order-summary', Result: 'Filled' } })]);
  });

  it('stops the projection at it, with a metric and a clear status, when the store lacks it too; parking goes on', async () => {
    const log = new InMemoryEventStore(new SystemClock());
    await log.append('Order-b', [created, confirmed(), shipped()], 'no-stream');
    await log.append('Order-c', [created], 'no-stream');
    const missing = (stream: string, version: number): boolean => stream === 'Order-b' && version === 2;
    // A store that lost version 2 of Order-b (it cannot happen in a healthy store: this is what the check is for).
    const lossy: EventStore = Object.assign(Object.create(log) as EventStore, {
      readStream: async (...args: Parameters<EventStore['readStream']>) => (await log.readStream(...args)).filter((e) => !missing(e.streamId, e.version)),
    });
    const { engine, metrics, orders } = engineOver(lossy, feedWithout(log, missing), log);
    await engine.catchUp();
    const [status] = await engine.status();
    expect(status).toMatchObject({ state: 'failed', failure: { reason: 'STREAM_HOLE', streamId: 'Order-b', version: 3 } });
    expect(status?.failure?.message).toContain('jumps from version 1 to 3');
    expect(metrics.samples('SubscriptionHoles')).toEqual([expect.objectContaining({ dimensions: { Consumer: 'order-summary', Result: 'Missing' } })]);
    expect(metrics.samples('SubscriptionParked')).toEqual([expect.objectContaining({ dimensions: { Consumer: 'order-summary', Reason: 'STREAM_HOLE' } })]);
    expect(await (await orders()).get('b')).toMatchObject({ status: 'CREATED', version: 1 });
    expect(await engine.catchUp()).toBe(0);
    await engine.park('order-summary');
    await log.append('Order-b', [anEvent({ type: 'OrderDelivered', schemaVersion: 1, data: {} })], 3);
    await engine.catchUp();
    // The parked event stays set aside; the stream goes on from it.
    expect(await (await orders()).get('b')).toMatchObject({ status: 'DELIVERED', version: 4 });
    expect(await (await orders()).get('c')).toMatchObject({ status: 'CREATED' });
    expect((await engine.status())[0]).toMatchObject({ failure: null, parked: [status?.failure?.eventId] });
  });
});
