import type { Container } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FencedOffError } from '../../src/application/ports/checkpoint-store.js';
import { TOKENS } from '../../src/main/tokens.js';
import { FixedClock, RandomUuids } from '../../src/adapters/runtime/system-runtime.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { confirmPaid, context, placeOrder } from '../support/memory-app.js';
import { poisonOrderSummary } from '../support/poisoned-projection.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

let server: PostgresServer | undefined;
let app: App;
let container: Container;

beforeAll(async () => {
  server = await startPostgres();
  const databaseUrl = await server.createDatabase();
  container = await createContainer(loadConfig({}, { store: 'postgres', databaseUrl }), { clock: new FixedClock('2026-03-01T09:00:00.000Z'), ids: new RandomUuids() });
  app = appFrom(container);
});
afterAll(async () => {
  await app?.close();
  await server?.stop();
});

const orderSummary = async () => (await app.projections.status()).find((s) => s.name === 'order-summary');

describe('projections on PostgreSQL', () => {
  it('commits each batch with its checkpoint and catches every read model up', async () => {
    await placeOrder(app, { customerId: 'pg-c1', orderId: 'pg-o1', sku: 'PG-SKU-1' });
    await confirmPaid(app, 'pg-o1', context());
    await app.catchUp();
    expect((await app.orderQueries.orderDetails('pg-o1'))._unsafeUnwrap()).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect((await app.orderQueries.inventoryLevel('PG-SKU-1'))._unsafeUnwrap()).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
    expect(await orderSummary()).toMatchObject({ lagEvents: 0, failure: null });
  });

  it('falls back to event-by-event on a failing batch: rolls the batch back, stops at the poison event, keeps what came before', async () => {
    await app.orders.handle(
      {
        type: 'PlaceOrder',
        orderId: 'pg-o2',
        customerId: 'pg-c1',
        currency: 'EUR',
        lines: [{ sku: 'PG-SKU-1', quantity: 1, unitPrice: 500 }],
        shippingAddress: { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' },
      },
      context(),
    );
    await app.orders.handle({ type: 'ShipOrder', orderId: 'pg-o1', carrier: 'UPS', trackingNumber: '1Z' }, context());
    const restore = poisonOrderSummary((event) => event.type === 'OrderShipped', 'poison');
    try {
      await app.catchUp();
      const stopped = await orderSummary();
      expect(stopped?.failure).toMatchObject({ eventType: 'OrderShipped', message: 'poison' });
      // The order created before the poison event was applied and checkpointed one by one.
      expect((await app.orderQueries.orderDetails('pg-o2')).isOk()).toBe(true);
      expect((await app.orderQueries.orderDetails('pg-o1'))._unsafeUnwrap().status).toBe('CONFIRMED');
    } finally {
      restore();
    }
    await app.projections.retry('order-summary');
    await app.catchUp();
    expect((await app.orderQueries.orderDetails('pg-o1'))._unsafeUnwrap().status).toBe('SHIPPED');
    expect(await orderSummary()).toMatchObject({ lagEvents: 0, failure: null });
  });

  it('writes nothing of a batch whose checkpoint save is fenced off: the lease has moved to another instance', async () => {
    await placeOrder(app, { customerId: 'pg-c9', orderId: 'pg-o9', sku: 'PG-SKU-9' });
    const checkpoints = container.get(TOKENS.CheckpointStore);
    const [consumer] = app.projections.consumers();
    const begun = await consumer?.begin();
    if (consumer === undefined || !begun) throw new Error('the order summary should be running');
    const position = (await checkpoints.load(begun.checkpointKey)) ?? '0';
    // The instance that took the lease over has saved under its newer fence.
    await checkpoints.save(begun.checkpointKey, position, 1_000);
    const { events } = await container.get(TOKENS.CommittedEventFeed).read(position, 100);
    expect(events.some((event) => event.streamId === 'Order-pg-o9')).toBe(true);
    await expect(consumer.handle(events, { key: begun.checkpointKey, position: 'later', fence: 999 })).rejects.toBeInstanceOf(FencedOffError);
    expect((await app.orderQueries.orderDetails('pg-o9')).isErr()).toBe(true);
    expect(await checkpoints.load(begun.checkpointKey)).toBe(position);
    await checkpoints.remove(begun.checkpointKey);
    await app.catchUp();
    expect((await app.orderQueries.orderDetails('pg-o9')).isOk()).toBe(true);
  });
});
