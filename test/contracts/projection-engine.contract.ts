import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointKey } from '../../src/application/projections/projection-consumer.js';
import type { Container } from 'inversify';
import { appFrom, type App } from '../../src/main/app.js';
import { TOKENS } from '../../src/main/tokens.js';
import { confirmPaid, context, placeOrder } from '../support/memory-app.js';
import { poisonOrderSummary } from '../support/poisoned-projection.js';

export interface EngineFixture {
  readonly app: App;
  /** Whether a second fixture opens the same store (another instance); in memory each is its own. */
  readonly sharedStore?: boolean;
  /** Forgets where a projection's live generation had got to: the feed then hands everything over again. */
  forgetCheckpoint(projection: string, generation: string): Promise<void>;
}

/** The feed may show a commit a moment later (DynamoDB Streams): catch up until `check` passes. */
const caughtUp = async (app: App, check: () => Promise<void>): Promise<void> => {
  for (let attempt = 1; ; attempt += 1) {
    await app.catchUp();
    try {
      return await check();
    } catch (error) {
      if (attempt >= 50) throw error;
      await sleep(100);
    }
  }
};

const unique = () => {
  const suffix = randomUUID().slice(0, 8);
  return { customerId: `c-${suffix}`, orderId: `o-${suffix}`, sku: `SKU-${suffix}` };
};

/**
 * The read side on every store: the same projection engine fed by the store's committed-event feed keeps
 * the ADR's read models, applies nothing twice, and rebuilds without disturbing the live generation.
 * `open` builds a whole application on one shared store; each test closes what it opened.
 */
export const projectionEngineContract = (adapter: string, open: () => Promise<EngineFixture>): void => {
  describe(`ProjectionEngine contract: ${adapter}`, () => {
    const opened: App[] = [];
    const fixture = async (): Promise<EngineFixture> => {
      const made = await open();
      opened.push(made.app);
      return made;
    };
    afterEach(async () => {
      for (const app of opened.splice(0)) await app.close();
    });

    it('keeps every read model from the committed-event feed', async () => {
      const { app } = await fixture();
      const ids = unique();
      await placeOrder(app, ids);
      await app.payments.handle({ type: 'RequestPayment', paymentId: `p-${ids.orderId}`, orderId: ids.orderId, amount: 2000, currency: 'EUR', paymentMethodToken: 'tok_1' }, context());
      await app.customers.handle({ type: 'RecordSupportInteraction', customerId: ids.customerId, channel: 'PHONE', summary: 'asked about delivery', agent: 'bob' }, context());
      await caughtUp(app, async () => {
        expect((await app.orderQueries.orderDetails(ids.orderId))._unsafeUnwrap()).toMatchObject({ status: 'CREATED', totalAmount: 2000, itemCount: 2 });
        expect((await app.orderQueries.inventoryLevel(ids.sku))._unsafeUnwrap()).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
        expect((await app.orderQueries.supportHistory(ids.customerId)).map((h) => h.kind)).toEqual(['ACCOUNT', 'ORDER', 'PAYMENT', 'CONTACT']);
      });
      const statuses = await app.projections.status();
      expect(statuses.map((s) => [s.name, s.failure, s.holder !== null])).toEqual([
        ['order-summary', null, true],
        ['inventory-levels', null, true],
        ['support-history', null, true],
      ]);
    });

    it('applies nothing twice when the feed hands everything over again', async () => {
      const { app, forgetCheckpoint } = await fixture();
      const ids = unique();
      await placeOrder(app, ids);
      await app.inventory.handle({ type: 'ReceiveStock', sku: ids.sku, quantity: 5 }, context());
      await caughtUp(app, async () => expect((await app.orderQueries.inventoryLevel(ids.sku))._unsafeUnwrap()).toMatchObject({ onHand: 15, version: 3 }));
      const before = { order: await app.orderQueries.orderDetails(ids.orderId), level: await app.orderQueries.inventoryLevel(ids.sku), history: await app.orderQueries.supportHistory(ids.customerId) };
      for (const status of await app.projections.status()) await forgetCheckpoint(status.name, status.generation);
      await app.catchUp();
      expect(await app.orderQueries.orderDetails(ids.orderId)).toEqual(before.order);
      expect(await app.orderQueries.inventoryLevel(ids.sku)).toEqual(before.level);
      expect(await app.orderQueries.supportHistory(ids.customerId)).toEqual(before.history);
    });

    it('rebuilds into a fresh, uniquely named generation and switches to it, serving the same data', async () => {
      const { app } = await fixture();
      const ids = unique();
      await placeOrder(app, ids);
      await caughtUp(app, async () => expect((await app.orderQueries.orderDetails(ids.orderId)).isOk()).toBe(true));
      const live = (await app.projections.status()).find((s) => s.name === 'order-summary')?.generation;
      const progress: number[] = [];
      const generation = await app.projections.rebuild('order-summary', (p) => progress.push(p.done));
      expect(generation).not.toBe(live);
      expect(generation).toMatch(/^v1-[0-9a-f-]{36}$/);
      expect(progress.at(-1)).toBeGreaterThan(0);
      expect((await app.projections.status()).find((s) => s.name === 'order-summary')?.generation).toBe(generation);
      expect((await app.orderQueries.orderDetails(ids.orderId))._unsafeUnwrap()).toMatchObject({ customerId: ids.customerId, status: 'CREATED' });
      await confirmPaid(app, ids.orderId, context());
      await caughtUp(app, async () => expect((await app.orderQueries.orderDetails(ids.orderId))._unsafeUnwrap().status).toBe('CONFIRMED'));
    });

    it('stops at a poison event, visible to every instance, until it is parked', async () => {
      const made = await fixture();
      const { app } = made;
      const ids = unique();
      await placeOrder(app, ids);
      await caughtUp(app, async () => expect((await app.orderQueries.orderDetails(ids.orderId)).isOk()).toBe(true));
      const restore = poisonOrderSummary((event) => event.type === 'OrderConfirmed' && event.streamId === `Order-${ids.orderId}`, 'cannot summarise this confirmation');
      try {
        await confirmPaid(app, ids.orderId, context());
        await caughtUp(app, async () => expect((await app.projections.status()).find((s) => s.name === 'order-summary')?.state).toBe('failed'));
        const other = made.sharedStore === false ? made : await fixture();
        expect((await other.app.projections.status()).find((s) => s.name === 'order-summary')?.failure).toMatchObject({
          reason: 'POISON',
          streamId: `Order-${ids.orderId}`,
          version: 2,
          message: 'cannot summarise this confirmation',
        });
        expect(await other.app.projections.park('order-summary')).toMatchObject({ eventType: 'OrderConfirmed' });
      } finally {
        restore();
      }
      await app.orders.handle({ type: 'ShipOrder', orderId: ids.orderId, carrier: 'DHL', trackingNumber: '1' }, context());
      await caughtUp(app, async () => expect((await app.orderQueries.orderDetails(ids.orderId))._unsafeUnwrap()).toMatchObject({ status: 'SHIPPED', version: 3 }));
    });
  });
};

/** A fixture over a container of the composition root, as the service builds it. */
export const engineFixture = (container: Container, sharedStore = true): EngineFixture => ({
  app: appFrom(container, {}),
  sharedStore,
  forgetCheckpoint: (projection, generation) => container.get(TOKENS.CheckpointStore).remove(checkpointKey(projection, generation)),
});
