import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InMemoryReadModelCatalog } from '../../../src/adapters/memory/in-memory-read-models.js';
import { InMemoryCheckpointStore } from '../../../src/adapters/memory/in-memory-stores.js';
import type { CheckpointStore } from '../../../src/application/ports/checkpoint-store.js';
import { orderSummaryProjection } from '../../../src/application/projections/order-summary-projection.js';
import { checkpointKey, ProjectionConsumer } from '../../../src/application/projections/projection-consumer.js';
import { GlobalLogFeed } from '../../../src/application/subscriptions/global-log-feed.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, Subscription } from '../../../src/application/subscriptions/subscription.js';
import { anEvent } from '../../support/event-mother.js';
import { aContext, aProcessedPaymentFor, aRegisteredCustomer, CORE_STARTS_AT, memoryCore, type MemoryCore } from './memory-core.js';
import { SILENT_LOGGER } from '../../../src/adapters/logs/silent-logger.js';

const shippingAddress = { line1: '1 Main St', city: 'Lisbon', postalCode: '1000-001', country: 'PT' };
const GENERATION = 'v1';

const placeOrder = async (core: MemoryCore, customerId: string): Promise<string> => {
  const orderId = randomUUID();
  const lines = [
    { sku: 'SKU-1', quantity: 2, unitPrice: 1000 },
    { sku: 'SKU-2', quantity: 3, unitPrice: 500 },
  ];
  await aRegisteredCustomer(core, customerId);
  (await core.orders.handle({ type: 'PlaceOrder', orderId, customerId, currency: 'EUR', taxRate: 2000, lines, shippingAddress }, aContext()))._unsafeUnwrap();
  return orderId;
};

const shipAndDeliver = async (core: MemoryCore, orderId: string): Promise<void> => {
  const paymentId = await aProcessedPaymentFor(core, orderId);
  (await core.orders.handle({ type: 'ConfirmOrder', orderId, paymentId }, aContext()))._unsafeUnwrap();
  (await core.orders.handle({ type: 'ShipOrder', orderId, carrier: 'DHL', trackingNumber: 'JD1' }, aContext()))._unsafeUnwrap();
  core.clock.advance(86_400_000);
  (await core.orders.handle({ type: 'DeliverOrder', orderId }, aContext()))._unsafeUnwrap();
};

/** One process's read side: a subscription feeding the order summary from the committed log, two events a batch. */
const readSide = (core: MemoryCore, checkpoints: CheckpointStore = new InMemoryCheckpointStore()) => {
  const catalog = new InMemoryReadModelCatalog();
  const deps = { store: core.store, checkpoints, catalog, upcasters: core.upcasters, metrics: core.metrics, clock: core.clock, logger: SILENT_LOGGER };
  const consumer = new ProjectionConsumer(deps, orderSummaryProjection, GENERATION, { maxAttempts: 1, retryDelayMs: 0 });
  const subscription = new Subscription({ ...deps, feed: new GlobalLogFeed(core.store), leases: null }, consumer, { ...DEFAULT_SUBSCRIPTION_OPTIONS, owner: 'test', batchSize: 2 });
  const runner = { catchUp: () => subscription.catchUp(), checkpoint: async () => Number(await checkpoints.load(checkpointKey('order-summary', GENERATION))) };
  return { readModel: catalog.orders(GENERATION), runner };
};

const noLookups = { readStream: () => Promise.reject(new Error('the order summary looks nothing up')) };

/** A checkpoint store that fails once, on the n-th save: the process dies between handling a batch and recording it. */
const failingOnSave = (n: number): CheckpointStore => {
  const inner = new InMemoryCheckpointStore();
  let saves = 0;
  return {
    load: (subscriber) => inner.load(subscriber),
    save: async (subscriber, position, fence) => {
      saves += 1;
      if (saves === n) throw new Error('process died');
      await inner.save(subscriber, position, fence);
    },
    remove: (subscriber) => inner.remove(subscriber),
  };
};

describe('order summary projection fed by a subscription', () => {
  it("keeps each order's summary and a customer's orders", async () => {
    const core = memoryCore();
    const customerId = randomUUID();
    const first = await placeOrder(core, customerId);
    core.clock.advance(60_000);
    const second = await placeOrder(core, customerId);
    await shipAndDeliver(core, first);
    const { readModel, runner } = readSide(core);
    expect(await runner.catchUp()).toBe(5);
    expect(await readModel.get(first)).toEqual({
      orderId: first,
      customerId,
      status: 'DELIVERED',
      totalAmount: 4200,
      currency: 'EUR',
      itemCount: 5,
      createdAt: CORE_STARTS_AT,
      lastUpdated: '2026-03-02T09:01:00.000Z',
      version: 4,
    });
    expect((await readModel.listByCustomer(customerId)).map((o) => [o.orderId, o.status])).toEqual([
      [first, 'DELIVERED'],
      [second, 'CREATED'],
    ]);
  });

  it('ignores re-delivered events, including old ones arriving after newer', async () => {
    const core = memoryCore();
    const orderId = await placeOrder(core, randomUUID());
    await shipAndDeliver(core, orderId);
    const { readModel, runner } = readSide(core);
    await runner.catchUp();
    const settled = await readModel.get(orderId);
    const log = await core.store.readAll(0, 100);
    for (const event of [...log, ...[...log].reverse()]) await orderSummaryProjection.apply(readModel, core.upcasters.upcast(event), noLookups);
    expect(await readModel.get(orderId)).toEqual(settled);
  });

  it('resumes from its checkpoint instead of starting over', async () => {
    const core = memoryCore();
    const orderId = await placeOrder(core, randomUUID());
    const checkpoints = new InMemoryCheckpointStore();
    const before = readSide(core, checkpoints);
    expect(await before.runner.catchUp()).toBe(1);
    expect(await before.runner.catchUp()).toBe(0);
    expect(await checkpoints.load(checkpointKey('order-summary', GENERATION))).toBe(String(await core.store.headPosition()));

    await shipAndDeliver(core, orderId);
    // A fresh read model with the saved checkpoint reads only what came after it, and fills the versions
    // before it (which it never applied) from the store, rather than jumping over them.
    const after = readSide(core, checkpoints);
    expect(await after.runner.catchUp()).toBe(4);
    expect(await after.readModel.get(orderId)).toMatchObject({ status: 'DELIVERED', version: 4 });
    expect(core.metrics.samples('SubscriptionHoles')).toEqual([expect.objectContaining({ dimensions: { Consumer: 'order-summary', Result: 'Filled' } })]);
    expect(await before.runner.catchUp()).toBe(0);
  });

  it('after dying between a batch and its checkpoint, re-delivers that batch and ends where a clean run does', async () => {
    const core = memoryCore();
    const customerId = randomUUID();
    const orderIds = [await placeOrder(core, customerId), await placeOrder(core, customerId)];
    for (const orderId of orderIds) await shipAndDeliver(core, orderId);
    const crashing = readSide(core, failingOnSave(2));
    await expect(crashing.runner.catchUp()).rejects.toThrow('process died');
    expect(await crashing.runner.checkpoint()).toBe(2);
    // The batch whose checkpoint was lost (the second order placed, the first payment requested) comes again: its
    // order event is recognised as applied and skipped, and the six order events after it are handled.
    expect(await crashing.runner.catchUp()).toBe(6);

    const clean = readSide(core);
    await clean.runner.catchUp();
    expect(await crashing.readModel.listByCustomer(customerId)).toEqual(await clean.readModel.listByCustomer(customerId));
    expect((await clean.readModel.listByCustomer(customerId)).map((o) => o.status)).toEqual(['DELIVERED', 'DELIVERED']);
  });

  it('projects orders stored under OrderCreated v1 as dollars', async () => {
    const core = memoryCore();
    const orderId = randomUUID();
    const v1 = anEvent({ type: 'OrderCreated', schemaVersion: 1, data: { customerId: 'c-1', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 700 }], totalAmount: 700, shippingAddress } });
    await core.store.append(`Order-${orderId}`, [v1], 'no-stream');
    const { readModel, runner } = readSide(core);
    await runner.catchUp();
    expect(await readModel.get(orderId)).toMatchObject({ currency: 'USD', totalAmount: 700, status: 'CREATED' });
  });
});
