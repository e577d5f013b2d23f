import { PassThrough } from 'node:stream';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliProgram } from '../../src/adapters/cli/cli-program.js';
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { tableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { FixedClock, RandomUuids } from '../../src/adapters/runtime/system-runtime.js';
import type { ProjectionStatus, RebuildProgress } from '../../src/application/projections/projection-engine.js';
import { checkpointKey } from '../../src/application/projections/projection-consumer.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { context } from '../support/memory-app.js';

// One DynamoDB Local for the file; each test gets tables of its own (a fresh prefix), so generations and checkpoints never meet.
let server: DynamoDbLocal | undefined;
beforeAll(async () => {
  server = await startDynamoDbLocal();
});
afterAll(async () => {
  await server?.stop();
});

interface Env {
  readonly app: App;
  readonly metrics: InMemoryMetrics;
  readonly clock: FixedClock;
  readonly prefix: string;
  readonly checkpoint: (name: string, generation: string) => Promise<string | null>;
  readonly saveCheckpoint: (name: string, generation: string, position: string) => Promise<void>;
  readonly removeCheckpoint: (name: string, generation: string) => Promise<void>;
}

const opened: App[] = [];
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
});

/** The whole application on DynamoDB Local over fresh tables, with a clock the test moves. */
const dynamoApp = async (): Promise<Env> => {
  if (server === undefined) throw new Error('DynamoDB Local is not running');
  const settings = localSettings(server);
  const clock = new FixedClock('2026-03-01T09:00:00.000Z');
  const container = await createContainer(loadConfig({}, { store: 'dynamodb', dynamodb: settings }), { clock, ids: new RandomUuids() });
  const metrics = container.get(TOKENS.Metrics);
  if (!(metrics instanceof InMemoryMetrics)) throw new Error('the DynamoDB environment should record metrics in memory outside the HTTP service');
  const app = appFrom(container);
  opened.push(app);
  const checkpoints = container.get(TOKENS.CheckpointStore);
  return {
    app,
    metrics,
    clock,
    prefix: settings.tablePrefix,
    checkpoint: (name, generation) => checkpoints.load(checkpointKey(name, generation)),
    saveCheckpoint: (name, generation, position) => checkpoints.save(checkpointKey(name, generation), position),
    removeCheckpoint: (name, generation) => checkpoints.remove(checkpointKey(name, generation)),
  };
};

/** The ARN of the event table's current stream. */
const streamArn = async (prefix: string): Promise<string> => {
  if (server === undefined) throw new Error('DynamoDB Local is not running');
  const client = dynamoDbClient({ ...localSettings(server), tablePrefix: prefix });
  try {
    const arn = (await client.send(new DescribeTableCommand({ TableName: tableNames(prefix).events }))).Table?.LatestStreamArn;
    if (arn === undefined) throw new Error('the event table has no stream');
    return arn;
  } finally {
    client.destroy();
  }
};

/** Catches up until `check` passes: a record may reach the stream a moment after its write. Returns the events handled in all. */
const catchUpUntil = async (app: App, check: () => Promise<void>, deadlineMs = 20_000): Promise<number> => {
  const until = Date.now() + deadlineMs;
  let handled = 0;
  for (;;) {
    handled += await app.catchUp();
    try {
      await check();
      return handled;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};

const statusOf = async (app: App, name: string): Promise<ProjectionStatus> => {
  const found = (await app.projections.status()).find((status) => status.name === name);
  if (found === undefined) throw new Error(`no projection ${name}`);
  return found;
};

/** The CLI's `projections status --json` over this app (left open: the test closes it). */
const cliStatus = async (app: App): Promise<ProjectionStatus[]> => {
  const lines: string[] = [];
  const program = cliProgram(async () => ({ ...app, close: async () => {} }), { out: (line) => lines.push(line), progress: new PassThrough() as unknown as NodeJS.WriteStream });
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await program.parseAsync(['node', 'cli', 'projections', 'status', '--json']);
  return JSON.parse(lines.join('\n')) as ProjectionStatus[];
};

const ids = (n: number) => ({ customerId: `ddb-c${n}`, orderId: `ddb-o${n}`, sku: `DDB-SKU-${n}`, paymentId: `ddb-p${n}` });

/** A customer with a paid, confirmed order; the clock moves a second per command, so that support history is in one order in time. */
const paidOrder = async (env: Env, n: number): Promise<void> => {
  const { app, clock } = env;
  const id = ids(n);
  const steps = [
    () => app.customers.handle({ type: 'RegisterCustomer', customerId: id.customerId, personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, context()),
    () => app.inventory.handle({ type: 'ReceiveStock', sku: id.sku, quantity: 10 }, context()),
    () =>
      app.orders.handle(
        {
          type: 'PlaceOrder',
          orderId: id.orderId,
          customerId: id.customerId,
          currency: 'EUR',
          lines: [{ sku: id.sku, quantity: 2, unitPrice: 1000 }],
          shippingAddress: { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' },
        },
        context(),
      ),
    () => app.inventory.handle({ type: 'ReserveStock', sku: id.sku, orderId: id.orderId, quantity: 2 }, context()),
    () => app.payments.handle({ type: 'RequestPayment', paymentId: id.paymentId, orderId: id.orderId, amount: 2000, currency: 'EUR', paymentMethodToken: 'tok_visa' }, context()),
    () => app.payments.handle({ type: 'CompletePayment', paymentId: id.paymentId, transactionId: `txn-${n}`, gateway: { status: 'SUCCESS', reference: `gw-${n}` } }, context()),
    () => app.orders.handle({ type: 'ConfirmOrder', orderId: id.orderId, paymentId: id.paymentId }, context()),
  ];
  for (const step of steps) {
    (await step())._unsafeUnwrap();
    clock.advance(1_000);
  }
};

/** Everything the read models hold about the orders `ns`. */
const readModels = async (app: App, ns: readonly number[]) =>
  Promise.all(
    ns.map(async (n) => {
      const id = ids(n);
      return {
        order: (await app.orderQueries.orderDetails(id.orderId)).unwrapOr(null),
        customerOrders: await app.orderQueries.customerOrders(id.customerId),
        stock: (await app.orderQueries.inventoryLevel(id.sku)).unwrapOr(null),
        history: await app.orderQueries.supportHistory(id.customerId),
      };
    }),
  );

const expectPaidOrder = async (app: App, n: number): Promise<void> => {
  const id = ids(n);
  expect((await app.orderQueries.orderDetails(id.orderId))._unsafeUnwrap()).toMatchObject({ orderId: id.orderId, customerId: id.customerId, status: 'CONFIRMED', totalAmount: 2000, version: 2 });
  expect((await app.orderQueries.customerOrders(id.customerId)).map((order) => order.orderId)).toEqual([id.orderId]);
  expect((await app.orderQueries.inventoryLevel(id.sku))._unsafeUnwrap()).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
  expect((await app.orderQueries.supportHistory(id.customerId)).map((entry) => entry.kind)).toEqual(['ACCOUNT', 'ORDER', 'PAYMENT', 'PAYMENT', 'ORDER']);
};

describe('projections on DynamoDB, fed by the event table stream', () => {
  it('catch every read model up from the stream, and a re-delivery from the start changes nothing', async () => {
    const env = await dynamoApp();
    const { app } = env;
    for (const n of [1, 2]) await paidOrder(env, n);
    const handled = await catchUpUntil(app, async () => {
      for (const n of [1, 2]) await expectPaidOrder(app, n);
    });
    expect(handled).toBeGreaterThan(0);
    const before = await readModels(app, [1, 2]);
    const statuses = await app.projections.status();
    expect(statuses.map((status) => [status.name, status.generation, status.failure, status.lagEvents])).toEqual([
      ['order-summary', 'v1', null, null],
      ['inventory-levels', 'v1', null, null],
      ['support-history', 'v1', null, null],
    ]);
    for (const status of statuses) {
      expect(status.checkpoint).not.toBeNull();
      expect(JSON.parse(status.checkpoint as string)).toMatchObject({ stream: await streamArn(env.prefix) });
    }

    // Every record again, from the oldest the stream keeps: each (stream, version) was applied already.
    for (const status of statuses) await env.removeCheckpoint(status.name, status.generation);
    expect(await app.catchUp()).toBe(0);
    expect(await readModels(app, [1, 2])).toEqual(before);
    for (const status of statuses) expect(await env.checkpoint(status.name, status.generation)).not.toBeNull();
    // Caught up: nothing more comes.
    expect(await app.catchUp()).toBe(0);
  });

  it('rebuilds a projection from the table when its stream position expired, and serves every order from the new generation', async () => {
    const env = await dynamoApp();
    const { app, metrics } = env;
    for (const n of [3, 4]) await paidOrder(env, n);
    await catchUpUntil(app, async () => {
      for (const n of [3, 4]) await expectPaidOrder(app, n);
    });
    const live = (await statusOf(app, 'order-summary')).generation;
    // A position in the table's current stream whose shard was never read to its end and is no longer listed: trimmed.
    const trimmed = JSON.stringify({ stream: await streamArn(env.prefix), shards: { 'shardId-00000000000000000000-deadbeef': '1' } });
    await env.saveCheckpoint('order-summary', live, trimmed);
    // Written after the position was lost: found by the rebuild's scan of the table, not by the old position.
    await paidOrder(env, 5);

    const recovering = app.catchUp();
    let seenExpired: ProjectionStatus | undefined;
    let settled = false;
    void recovering.finally(() => (settled = true)).catch(() => undefined);
    while (!settled) {
      const found = (await cliStatus(app)).find((status) => status.name === 'order-summary');
      if (found?.state === 'expired') seenExpired ??= found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await recovering;

    expect(metrics.samples('SubscriptionPositionExpired')).toEqual([expect.objectContaining({ value: 1, dimensions: { Consumer: 'order-summary' } })]);
    // The rebuild keeps the old generation serving for a moment after the switch: the CLI sees the recovery meanwhile.
    expect(seenExpired).toMatchObject({ name: 'order-summary', state: 'expired' });
    expect(seenExpired?.lastError).toMatch(/trimmed/);
    const after = (await cliStatus(app)).find((status) => status.name === 'order-summary');
    expect(after?.generation).toMatch(/^v1-/);
    expect(after?.generation).not.toBe(live);
    expect(after?.state).not.toBe('expired');
    expect(after?.failure).toBeNull();
    expect(JSON.parse(after?.checkpoint ?? 'null')).toMatchObject({ stream: await streamArn(env.prefix) });
    // The other projections were never touched.
    expect((await statusOf(app, 'inventory-levels')).generation).toBe('v1');

    await catchUpUntil(app, async () => {
      for (const n of [3, 4, 5]) await expectPaidOrder(app, n);
    });
    // The new generation goes on from the stream like any other.
    (await app.orders.handle({ type: 'ShipOrder', orderId: ids(5).orderId, carrier: 'DHL', trackingNumber: 'JD1' }, context()))._unsafeUnwrap();
    await catchUpUntil(app, async () => {
      expect((await app.orderQueries.orderDetails(ids(5).orderId))._unsafeUnwrap()).toMatchObject({ status: 'SHIPPED', version: 3 });
    });
    expect(metrics.samples('SubscriptionPositionExpired')).toHaveLength(1);
  });

  it('rebuilds by scanning the table, reporting progress, and the new generation serves the same data', async () => {
    const env = await dynamoApp();
    const { app } = env;
    const ns = [6, 7, 8];
    for (const n of ns) await paidOrder(env, n);
    await catchUpUntil(app, async () => {
      for (const n of ns) await expectPaidOrder(app, n);
    });
    const before = await readModels(app, ns);
    const committed = (await Promise.all(ns.map(async (n) => (await app.temporal.auditTrail('order', ids(n).orderId, 0, 100))._unsafeUnwrap().events.length))).reduce((a, b) => a + b, 0);
    expect(committed).toBe(ns.length * 2);

    for (const name of ['order-summary', 'support-history']) {
      const old = (await statusOf(app, name)).generation;
      const progress: RebuildProgress[] = [];
      const generation = await app.projections.rebuild(name, (report) => progress.push(report));
      expect(generation).toMatch(/^v1-/);
      expect(generation).not.toBe(old);
      expect(progress.length).toBeGreaterThan(0);
      const last = progress.at(-1) as RebuildProgress;
      // Every event the table holds, of every stream: 4 customer/inventory/order events and 2 payment events an order, at least.
      expect(last.done).toBeGreaterThanOrEqual(ns.length * 6);
      expect(last.total).toBeGreaterThanOrEqual(last.done);
      for (const report of progress) expect(report.done).toBeLessThanOrEqual(report.total);
      expect(progress.map((report) => report.done)).toEqual([...progress.map((report) => report.done)].sort((a, b) => a - b));
      expect(await statusOf(app, name)).toMatchObject({ generation, failure: null });
    }
    expect(await readModels(app, ns)).toEqual(before);
    // Nothing is behind: the new generations' checkpoints carry on from where the old ones were.
    expect(await app.catchUp()).toBe(0);
    expect(await readModels(app, ns)).toEqual(before);
    await expect(app.projections.rebuild('no-such-projection')).rejects.toThrow(/no projection named no-such-projection/);
  });

  it("keeps support history right when a payment's events are handled before its order's and its customer's", async () => {
    const env = await dynamoApp();
    const { app } = env;
    await paidOrder(env, 9);
    const id = ids(9);
    const read = (streamId: string) => app.eventStore.readStream(streamId);
    const [payment, order, customer] = await Promise.all([read(`Payment-${id.paymentId}`), read(`Order-${id.orderId}`), read(`Customer-${id.customerId}`)]);
    expect(payment.map((event) => event.type)).toEqual(['PaymentRequested', 'PaymentProcessed']);

    const consumer = app.projections.consumers().find((candidate) => candidate.name === 'support-history');
    if (consumer === undefined) throw new Error('no support-history consumer');
    expect(await consumer.begin()).toEqual({ checkpointKey: checkpointKey('support-history', 'v1') });
    // Per-stream order only: the payment's stream first, then the order's, then the customer's.
    const outcome = await consumer.handle([...payment, ...order, ...customer], null);
    expect(outcome).toMatchObject({ status: 'handled', handled: 5 });

    const history = await app.orderQueries.supportHistory(id.customerId);
    expect(history.map((entry) => [entry.kind, entry.eventType, entry.streamId])).toEqual([
      ['ACCOUNT', 'CustomerRegistered', `Customer-${id.customerId}`],
      ['ORDER', 'OrderCreated', `Order-${id.orderId}`],
      ['PAYMENT', 'PaymentRequested', `Payment-${id.paymentId}`],
      ['PAYMENT', 'PaymentProcessed', `Payment-${id.paymentId}`],
      ['ORDER', 'OrderConfirmed', `Order-${id.orderId}`],
    ]);
    expect(history.every((entry) => entry.customerId === id.customerId)).toBe(true);
    expect(history[2]?.summary).toBe('payment of 20.00 EUR requested');

    // The stream then delivers the same events in its own order: each was applied, nothing doubles.
    await catchUpUntil(app, async () => {
      expect((await app.orderQueries.orderDetails(id.orderId))._unsafeUnwrap()).toMatchObject({ status: 'CONFIRMED' });
      expect((await statusOf(app, 'support-history')).checkpoint).not.toBeNull();
    });
    expect(await app.orderQueries.supportHistory(id.customerId)).toEqual(history);
  });
});
