import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryIdempotencyStore, InMemorySnapshotStore } from '../../src/adapters/memory/in-memory-stores.js';
import { openPostgres, type PostgresAdapters } from '../../src/adapters/postgres/open-postgres.js';
import { RandomUuids, SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { CommandExecutor, type CommandContext } from '../../src/application/commands/command-executor.js';
import { CommandHandler } from '../../src/application/commands/command-handler.js';
import { customerBinding, inventoryBinding, orderBinding } from '../../src/application/commands/decider-bindings.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import type { IdempotencyStore } from '../../src/application/ports/idempotency-store.js';
import type { SnapshotStore } from '../../src/application/ports/snapshot-store.js';
import { AggregateCache } from '../../src/application/repository/aggregate-cache.js';
import { AggregateRepository } from '../../src/application/repository/aggregate-repository.js';
import { SnapshotPolicy } from '../../src/application/repository/snapshot-policy.js';
import { domainUpcasters } from '../../src/application/upcasting/domain-upcasters.js';
import { Inventory } from '../../src/domain/index.js';
import { metadata } from '../support/event-mother.js';
import { postgresForFile } from '../support/postgres-fixture.js';

/** What one service instance's writers need: each instance opens the store itself (its own pool on PostgreSQL). */
interface StorePorts {
  readonly eventStore: EventStore;
  readonly snapshots: SnapshotStore;
  readonly idempotency: IdempotencyStore;
}

/** One service instance: its own repository, aggregate cache and executor over the shared store. */
const anInstance = (ports: StorePorts) => {
  const clock = new SystemClock();
  const metrics = new InMemoryMetrics();
  const cache = new AggregateCache(1_000, metrics);
  const repository = new AggregateRepository({ eventStore: ports.eventStore, snapshots: ports.snapshots, upcasters: domainUpcasters(), policy: new SnapshotPolicy(5), metrics, clock, cache });
  const executor = new CommandExecutor(repository, ports.idempotency, metrics, clock, 20);
  const deps = { executor, repository, clock, ids: new RandomUuids() };
  return {
    metrics,
    cache,
    repository,
    inventory: CommandHandler.of(inventoryBinding(), deps),
    orders: CommandHandler.of(orderBinding(), deps),
    customers: CommandHandler.of(customerBinding(), deps),
  };
};

const context = (): CommandContext => ({ metadata: metadata() });
const anAddress = { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' };
const anOrder = (orderId: string, customerId: string, sku = 'SKU-1', quantity = 1) => ({
  orderId,
  customerId,
  currency: 'EUR',
  lines: [{ sku, quantity, unitPrice: 100 }],
  shippingAddress: anAddress,
});

/** A registered customer's order, placed through `instance`, for `quantity` units of `sku`. */
const placed = async (instance: ReturnType<typeof anInstance>, orderId: string, sku: string, quantity: number): Promise<void> => {
  const customerId = `c-${orderId}`;
  const personal = { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' };
  (await instance.customers.handle({ type: 'RegisterCustomer', customerId, personal }, context()))._unsafeUnwrap();
  (await instance.orders.handle({ type: 'PlaceOrder', ...anOrder(orderId, customerId, sku, quantity) }, context()))._unsafeUnwrap();
};

/** Two instances writing the same aggregates through caches of their own, over one real store. */
const twoInstancesSuite = (name: string, open: () => Promise<{ a: StorePorts; b: StorePorts }>) => {
  describe(`two instances with aggregate caches over one ${name} store`, () => {
    let a: ReturnType<typeof anInstance>;
    let b: ReturnType<typeof anInstance>;
    let store: EventStore;
    beforeAll(async () => {
      const opened = await open();
      a = anInstance(opened.a);
      b = anInstance(opened.b);
      store = opened.a.eventStore;
    });

    it('loses no update when both write the same stream at once', async () => {
      const sku = `SKU-${randomUUID()}`;
      const writes = (instance: typeof a, first: number) =>
        Promise.all(Array.from({ length: 15 }, (_, i) => instance.inventory.handle({ type: 'ReceiveStock', sku, quantity: first + i }, context())));
      const results = [...(await writes(a, 1)), ...(await Promise.all([writes(a, 100), writes(b, 200)])).flat()];
      for (const result of results) expect(result.isOk() || result._unsafeUnwrapErr().code === 'EVENT_STORE.CONCURRENCY_CONFLICT').toBe(true);
      const landed = results.flatMap((result, i) => (result.isOk() ? [i < 15 ? 1 + i : i < 30 ? 100 + i - 15 : 200 + i - 30] : []));
      expect(landed.length).toBeGreaterThan(15);
      const stored = await store.readStream(`Inventory-${sku}`);
      expect(stored.map((event) => event.version)).toEqual(Array.from({ length: landed.length }, (_, i) => i + 1));
      expect(stored.map((event) => (event.data as { quantity: number }).quantity).sort((x, y) => x - y)).toEqual([...landed].sort((x, y) => x - y));
      // Whatever either cache holds, the next command on each instance still starts from the stored truth.
      const total = landed.reduce((sum, quantity) => sum + quantity, 0);
      (await a.inventory.handle({ type: 'ReceiveStock', sku, quantity: 1 }, context()))._unsafeUnwrap();
      (await b.inventory.handle({ type: 'ReceiveStock', sku, quantity: 1 }, context()))._unsafeUnwrap();
      expect((await a.repository.load(Inventory, sku))._unsafeUnwrap().state.onHand).toBe(total + 2);
    });

    it('turns a stale cache entry into a conflict and a reload, never into a wrong decision', async () => {
      const sku = `SKU-${randomUUID()}`;
      const [orderA, orderB] = [`order-a-${sku}`, `order-b-${sku}`];
      await placed(a, orderA, sku, 3);
      await placed(a, orderB, sku, 5);
      (await a.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, context()))._unsafeUnwrap();
      expect(a.repository.cached(Inventory, sku)?.state.onHand).toBe(5);
      // b reserves all five: a's entry still says five are available.
      expect((await b.inventory.handle({ type: 'ReserveStock', sku, orderId: orderB, quantity: 5 }, context()))._unsafeUnwrap().version).toBe(2);
      const staleBefore = a.metrics.samples('AggregateCacheEvictions').length;
      const refused = await a.inventory.handle({ type: 'ReserveStock', sku, orderId: orderA, quantity: 3 }, context());
      expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'INVENTORY.INSUFFICIENT_STOCK', details: { available: 0 } });
      expect(a.metrics.samples('AggregateCacheEvictions').slice(staleBefore).map((s) => s.dimensions.Reason)).toEqual(['Stale']);
      const stored = await store.readStream(`Inventory-${sku}`);
      expect(stored.map((event) => event.type)).toEqual(['StockReceived', 'InventoryReserved']);
      // b releases; a's refreshed entry is stale again, and its reservation lands on what the store holds.
      (await b.inventory.handle({ type: 'ReleaseReservation', sku, orderId: orderB }, context()))._unsafeUnwrap();
      expect((await a.inventory.handle({ type: 'ReserveStock', sku, orderId: orderA, quantity: 3 }, context()))._unsafeUnwrap().version).toBe(4);
      expect((await b.repository.load(Inventory, sku))._unsafeUnwrap().state).toMatchObject({ onHand: 5, reservations: { [orderA]: 3 } });
    });

    it('refuses an order the other instance placed first, keeping the first one', async () => {
      const orderId = `o-${randomUUID()}`;
      const personal = { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' };
      for (const customerId of ['customer-a', 'customer-b']) await a.customers.handle({ type: 'RegisterCustomer', customerId, personal }, context());
      const [first, second] = await Promise.all([a.orders.handle({ type: 'PlaceOrder', ...anOrder(orderId, 'customer-a') }, context()), b.orders.handle({ type: 'PlaceOrder', ...anOrder(orderId, 'customer-b') }, context())]);
      const outcomes = [first, second].map((result) => (result.isOk() ? 'placed' : result.error.code)).sort();
      expect(outcomes).toEqual(['ORDER.ALREADY_EXISTS', 'placed']);
      const winner = first.isOk() ? 'customer-a' : 'customer-b';
      const stored = await store.readStream(`Order-${orderId}`);
      expect(stored.map((event) => (event.data as { customerId: string }).customerId)).toEqual([winner]);
      // The loser now knows the order from the store and can act on it in one append.
      const loser = first.isOk() ? b : a;
      expect((await loser.orders.handle({ type: 'ProvidePaymentMethod', orderId, paymentMethodToken: 'tok_visa_4242' }, context()))._unsafeUnwrap().version).toBe(2);
    });
  });
};

twoInstancesSuite('memory', async () => {
  const idempotency = new InMemoryIdempotencyStore();
  const eventStore = new InMemoryEventStore(new SystemClock(), idempotency);
  const ports = { eventStore, snapshots: new InMemorySnapshotStore(), idempotency };
  return { a: ports, b: ports };
});

const postgres = postgresForFile();
const second: PostgresAdapters[] = [];
afterAll(async () => {
  await Promise.all(second.map((adapters) => adapters.close()));
});
twoInstancesSuite('PostgreSQL', async () => {
  const other = await openPostgres({ url: postgres().url, clock: new SystemClock() });
  second.push(other);
  return { a: postgres().adapters, b: other };
});
