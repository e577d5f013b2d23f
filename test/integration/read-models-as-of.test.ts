import fc from 'fast-check';
import type { Container } from 'inversify';
import type { Result } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildHttpServer } from '../../src/adapters/http/http-server.js';
import { InMemoryReadModelCatalog } from '../../src/adapters/memory/in-memory-read-models.js';
import { FixedClock, RandomUuids } from '../../src/adapters/runtime/system-runtime.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import { inventoryLevelsProjection } from '../../src/application/projections/inventory-levels-projection.js';
import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';
import type { AnyProjection, ProjectionContext } from '../../src/application/projections/projection.js';
import { supportHistoryProjection } from '../../src/application/projections/support-history-projection.js';
import { ReadModelQueries } from '../../src/application/queries/read-model-queries.js';
import { ReadModelsAsOf } from '../../src/application/temporal/read-models-as-of.js';
import { TemporalQueries } from '../../src/application/temporal/temporal-queries.js';
import type { DomainError } from '../../src/domain/index.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig, type AppConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { context } from '../support/memory-app.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { asRole, bearer, testHttpAuth } from '../support/auth-tokens.js';

const START = '2026-05-01T09:00:00.000Z';
const shippingAddress = { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' };

interface World {
  readonly app: App;
  readonly container: Container;
  readonly clock: FixedClock;
}

const open = async (config: AppConfig): Promise<World> => {
  const clock = new FixedClock(START);
  const container = await createContainer(config, { clock, ids: new RandomUuids() });
  return { app: appFrom(container), container, clock };
};

/** The store as it is, with every stream read recorded. */
const recordingReads = (store: EventStore): { store: EventStore; reads: string[] } => {
  const reads: string[] = [];
  return {
    reads,
    store: {
      append: (streamId, events, expected) => store.append(streamId, events, expected),
      readStream: (streamId, options) => {
        reads.push(streamId);
        return store.readStream(streamId, options);
      },
      readByType: (type, options) => store.readByType(type, options),
      close: () => store.close(),
    },
  };
};

/** Read models as of a time over `store`, finding streams in the world's live read models. */
const asOfOver = ({ app, container }: World, store: EventStore, maxStreams?: number): ReadModelsAsOf =>
  new ReadModelsAsOf(
    {
      store,
      upcasters: container.get(TOKENS.Upcasters),
      live: {
        orders: () => app.projections.readModel(orderSummaryProjection),
        inventory: () => app.projections.readModel(inventoryLevelsProjection),
        support: () => app.projections.readModel(supportHistoryProjection),
      },
      scratchCatalog: () => new InMemoryReadModelCatalog(),
    },
    maxStreams,
  );

/** What a read model as of a time was before: every event of the archive up to then, folded by the projection. */
const fullReplay = async ({ container }: World, asOf: string): Promise<ReadModelQueries> => {
  const catalog = new InMemoryReadModelCatalog();
  const store = container.get(TOKENS.EventStore);
  const upcasters = container.get(TOKENS.Upcasters);
  const context: ProjectionContext = { readStream: async (streamId, options) => (await store.readStream(streamId, { ...options, until: asOf })).map((e) => upcasters.upcast(e)) };
  const projections: readonly AnyProjection[] = [orderSummaryProjection, inventoryLevelsProjection, supportHistoryProjection];
  for (const projection of projections) {
    const readModel = projection.readModel(catalog, 'as-of');
    await container.get(TOKENS.EventArchive).scan(async (events) => {
      for (const event of events) {
        if (projection.handles.has(event.type) && Date.parse(event.occurredAt) <= Date.parse(asOf)) await projection.apply(readModel, upcasters.upcast(event), context);
      }
    });
  }
  return new ReadModelQueries({ orders: async () => catalog.orders('as-of'), inventory: async () => catalog.inventory('as-of'), support: async () => catalog.support('as-of') });
};

const outcome = <T>(result: Result<T, DomainError>): unknown => (result.isOk() ? { ok: result.value } : { err: result.error.code });

// A small history: a few customers, orders, SKUs and payments, with commands the rules may refuse, at times that often tie.
const CUSTOMERS = ['c0', 'c1', 'c2'];
const ORDERS = ['o0', 'o1', 'o2', 'o3'];
const SKUS = ['S0', 'S1', 'S2'];
const step = fc.record({
  pause: fc.constantFrom(0, 0, 1_000, 2_000),
  command: fc.oneof(
    fc.record({ kind: fc.constant('register' as const), customer: fc.constantFrom(...CUSTOMERS) }),
    fc.record({ kind: fc.constant('contact' as const), customer: fc.constantFrom(...CUSTOMERS) }),
    fc.record({ kind: fc.constant('receive' as const), sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 5 }) }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), order: fc.constantFrom(...ORDERS), customer: fc.constantFrom(...CUSTOMERS), sku: fc.constantFrom(...SKUS) }) },
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constantFrom('reserve' as const, 'pay' as const, 'complete' as const, 'confirm' as const, 'ship' as const, 'cancel' as const), order: fc.constantFrom(...ORDERS) }),
    },
  ),
});
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** Runs the steps through the application, ids prefixed with `run`; refusals are part of the history. Returns the instant of each step. */
const play = async ({ app, clock }: World, run: string, steps: readonly Step[]): Promise<string[]> => {
  const created = new Map<string, string>();
  const at: string[] = [];
  for (const { pause, command: c } of steps) {
    clock.advance(pause);
    at.push(clock.now());
    const id = (name: string) => `${run}${name}`;
    switch (c.kind) {
      case 'register':
        await app.customers.handle({ type: 'RegisterCustomer', customerId: id(c.customer), personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, context());
        break;
      case 'contact':
        await app.customers.handle({ type: 'RecordSupportInteraction', customerId: id(c.customer), channel: 'PHONE', summary: 'asked', agent: 'bob' }, context());
        break;
      case 'receive':
        await app.inventory.handle({ type: 'ReceiveStock', sku: id(c.sku), quantity: c.quantity }, context());
        break;
      case 'create':
        if ((await app.orders.handle({ type: 'PlaceOrder', orderId: id(c.order), customerId: id(c.customer), currency: 'EUR', lines: [{ sku: id(c.sku), quantity: 1, unitPrice: 700 }], shippingAddress }, context())).isOk()) {
          created.set(c.order, id(c.sku));
        }
        break;
      default: {
        const sku = created.get(c.order);
        // Commands name orders that exist: the domain refuses a payment or a reservation for any other.
        if (sku === undefined) break;
        const [orderId, paymentId] = [id(c.order), id(`p-${c.order}`)];
        if (c.kind === 'reserve') await app.inventory.handle({ type: 'ReserveStock', sku, orderId, quantity: 1 }, context());
        if (c.kind === 'pay') await app.payments.handle({ type: 'RequestPayment', paymentId, orderId, amount: 700, currency: 'EUR', paymentMethodToken: 'tok_visa' }, context());
        if (c.kind === 'complete') await app.payments.handle({ type: 'CompletePayment', paymentId, transactionId: `t-${paymentId}`, gateway: { status: 'SUCCESS', reference: 'gw' } }, context());
        if (c.kind === 'confirm') await app.orders.handle({ type: 'ConfirmOrder', orderId, paymentId }, context());
        if (c.kind === 'ship') await app.orders.handle({ type: 'ShipOrder', orderId, carrier: 'UPS', trackingNumber: '1Z' }, context());
        if (c.kind === 'cancel') await app.orders.handle({ type: 'CancelOrder', orderId, reason: 'changed mind' }, context());
      }
    }
  }
  return at;
};

/** Every as-of query, for every id of the run, answered by replaying only the streams it needs and by replaying the whole log. */
const expectSameAnswers = async (world: World, run: string, asOf: string): Promise<void> => {
  const scoped = world.app.temporal.readModels;
  const reference = await fullReplay(world, asOf);
  for (const order of ORDERS) expect(outcome(await scoped.orderDetails(`${run}${order}`, asOf)), `order ${order}`).toEqual(outcome(await reference.orderDetails(`${run}${order}`)));
  for (const sku of SKUS) expect(outcome(await scoped.inventoryLevel(`${run}${sku}`, asOf)), `SKU ${sku}`).toEqual(outcome(await reference.inventoryLevel(`${run}${sku}`)));
  expect((await scoped.inventoryLevels(asOf))._unsafeUnwrap()).toEqual(await reference.inventoryLevels());
  for (const customer of CUSTOMERS) {
    expect((await scoped.customerOrders(`${run}${customer}`, asOf))._unsafeUnwrap(), `orders of ${customer}`).toEqual(await reference.customerOrders(`${run}${customer}`));
    expect((await scoped.supportHistory(`${run}${customer}`, asOf))._unsafeUnwrap(), `history of ${customer}`).toEqual(await reference.supportHistory(`${run}${customer}`));
  }
};

const history = fc.record({ steps: fc.array(step, { minLength: 1, maxLength: 40, size: 'max' }), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), halfway: fc.boolean() });

/** Generated histories, each asked about at a few of its own instants (ties included), before it and after it. */
const sameAnswersAsAFullReplay = async (newWorld: () => Promise<World>, numRuns: number): Promise<void> => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(history, async ({ steps, picks, halfway }) => {
      const world = await newWorld();
      const run = `r${(runs += 1)}-`;
      const at = await play(world, run, steps);
      await world.app.catchUp();
      const instants = [...picks.map((pick) => at[pick % at.length] as string), '2026-04-30T00:00:00.000Z', world.clock.now()];
      for (const instant of instants) await expectSameAnswers(world, run, halfway ? new Date(Date.parse(instant) + 500).toISOString() : instant);
    }),
    { numRuns },
  );
};

/** A customer with three orders, one paid, placed a second apart from START. */
const threeOrders = async ({ app, clock }: World, customerId: string): Promise<string> => {
  await app.customers.handle({ type: 'RegisterCustomer', customerId, personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, context());
  await app.inventory.handle({ type: 'ReceiveStock', sku: `${customerId}-SKU`, quantity: 10 }, context());
  for (const n of [1, 2, 3]) {
    clock.advance(1_000);
    await app.orders.handle({ type: 'PlaceOrder', orderId: `${customerId}-o${n}`, customerId, currency: 'EUR', lines: [{ sku: `${customerId}-SKU`, quantity: 1, unitPrice: 500 }], shippingAddress }, context());
  }
  await app.payments.handle({ type: 'RequestPayment', paymentId: `${customerId}-p1`, orderId: `${customerId}-o1`, amount: 500, currency: 'EUR', paymentMethodToken: 'tok_visa' }, context());
  const between = clock.now();
  clock.advance(1_000);
  await app.payments.handle({ type: 'CompletePayment', paymentId: `${customerId}-p1`, transactionId: `${customerId}-t1`, gateway: { status: 'SUCCESS', reference: 'gw' } }, context());
  await app.orders.handle({ type: 'ConfirmOrder', orderId: `${customerId}-o1`, paymentId: `${customerId}-p1` }, context());
  await app.customers.handle({ type: 'RegisterCustomer', customerId: `${customerId}-other`, personal: { name: 'Bob', email: 'bob@example.com', address: '2 Road' } }, context());
  await app.orders.handle({ type: 'PlaceOrder', orderId: `${customerId}-other-o`, customerId: `${customerId}-other`, currency: 'EUR', lines: [{ sku: `${customerId}-SKU`, quantity: 1, unitPrice: 500 }], shippingAddress }, context());
  await app.catchUp();
  return between;
};

describe('read models as of a time, on memory', () => {
  const memory = () => open(loadConfig({}, { store: 'memory' }));

  it('read only the streams the answer needs, and never scan the log', async () => {
    const world = await memory();
    const asOf = await threeOrders(world, 'm');
    const scan = vi.spyOn(world.container.get(TOKENS.EventArchive), 'scan');
    const { store, reads } = recordingReads(world.container.get(TOKENS.EventStore));
    const asOfQueries = asOfOver(world, store);

    expect((await asOfQueries.orderDetails('m-o1', asOf))._unsafeUnwrap()).toMatchObject({ status: 'CREATED', version: 1 });
    expect(reads.splice(0)).toEqual(['Order-m-o1']);
    expect((await asOfQueries.inventoryLevel('m-SKU', asOf))._unsafeUnwrap()).toMatchObject({ onHand: 10 });
    expect(reads.splice(0)).toEqual(['Inventory-m-SKU']);
    expect((await asOfQueries.customerOrders('m', asOf))._unsafeUnwrap().map((o) => [o.orderId, o.status])).toEqual([
      ['m-o1', 'CREATED'],
      ['m-o2', 'CREATED'],
      ['m-o3', 'CREATED'],
    ]);
    expect(reads.splice(0).sort()).toEqual(['Order-m-o1', 'Order-m-o2', 'Order-m-o3']);
    expect((await asOfQueries.supportHistory('m', asOf))._unsafeUnwrap().map((entry) => entry.eventType)).toEqual(['CustomerRegistered', 'OrderCreated', 'OrderCreated', 'OrderCreated', 'PaymentRequested']);
    expect(new Set(reads.splice(0))).toEqual(new Set(['Customer-m', 'Order-m-o1', 'Order-m-o2', 'Order-m-o3', 'Payment-m-p1']));

    // The service's own wiring does the same: the archive is never scanned for an answer as of a time.
    expect((await world.app.temporal.readModels.customerOrders('m', asOf))._unsafeUnwrap()).toHaveLength(3);
    expect((await world.app.temporal.readModels.inventoryLevels(asOf))._unsafeUnwrap().map((level) => level.sku)).toEqual(['m-SKU']);
    expect(scan).not.toHaveBeenCalled();
  });

  it('refuse an answer that needs more streams than the limit, saying the limit, before reading any', async () => {
    const world = await memory();
    const asOf = await threeOrders(world, 'cap');
    const { store, reads } = recordingReads(world.container.get(TOKENS.EventStore));
    const capped = asOfOver(world, store, 2);
    const refused = (await capped.customerOrders('cap', asOf))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ code: 'READ_MODEL.AS_OF_TOO_BROAD', details: { streams: 3, limit: 2 } });
    expect(refused.message).toContain('at most 2');
    expect(reads).toEqual([]);
    expect((await capped.orderDetails('cap-o2', asOf)).isOk()).toBe(true);

    const services = { ...world.app, temporal: new TemporalQueries(world.app.repository, world.app.eventStore, world.container.get(TOKENS.Upcasters), capped) };
    const server = await buildHttpServer({ services, metrics: { exposition: async () => ({ contentType: 'text/plain', text: '' }) }, auth: await testHttpAuth() });
    const headers = await bearer(asRole('support'));
    try {
      const response = await server.inject({ method: 'GET', url: `/customers/cap/orders?asOf=${encodeURIComponent(asOf)}`, headers });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'READ_MODEL.AS_OF_TOO_BROAD', details: { streams: 3, limit: 2 } });
      expect((await server.inject({ method: 'GET', url: `/customers/cap/support-history?asOf=${encodeURIComponent(asOf)}`, headers })).statusCode).toBe(422);
      expect((await server.inject({ method: 'GET', url: `/orders/cap-o1?asOf=${encodeURIComponent(asOf)}`, headers })).json()).toMatchObject({ status: 'CREATED' });
      expect((await server.inject({ method: 'GET', url: `/orders/cap-o1?asOf=2026-01-01T00:00:00Z`, headers })).statusCode).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answer what a replay of the whole log answered, over generated histories', async () => {
    await sameAnswersAsAFullReplay(memory, 25);
  }, 60_000);
});

describe('read models as of a time, on PostgreSQL', () => {
  let server: PostgresServer | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    world = await open(loadConfig({}, { store: 'postgres', databaseUrl: await server.createDatabase() }));
  }, 120_000);
  afterAll(async () => {
    await world?.app.close();
    await server?.stop();
  });
  const postgres = async (): Promise<World> => {
    if (world === undefined) throw new Error('PostgreSQL did not start');
    return world;
  };

  it('read only the streams the answer needs', async () => {
    const pg = await postgres();
    const asOf = await threeOrders(pg, 'pg');
    const { store, reads } = recordingReads(pg.container.get(TOKENS.EventStore));
    const asOfQueries = asOfOver(pg, store);
    expect((await asOfQueries.customerOrders('pg', asOf))._unsafeUnwrap().map((o) => o.orderId)).toEqual(['pg-o1', 'pg-o2', 'pg-o3']);
    expect(reads.splice(0).sort()).toEqual(['Order-pg-o1', 'Order-pg-o2', 'Order-pg-o3']);
    expect((await asOfQueries.supportHistory('pg', asOf))._unsafeUnwrap()).toHaveLength(5);
    expect(new Set(reads.splice(0))).toEqual(new Set(['Customer-pg', 'Order-pg-o1', 'Order-pg-o2', 'Order-pg-o3', 'Payment-pg-p1']));
  });

  it('answer what a replay of the whole log answered, over generated histories', async () => {
    await sameAnswersAsAFullReplay(postgres, 8);
  }, 120_000);
});
