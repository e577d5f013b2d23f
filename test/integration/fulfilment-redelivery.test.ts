import { describe, expect, it } from 'vitest';
import { FixedClock, RandomUuids } from '../../src/adapters/runtime/system-runtime.js';
import type { CommandContext } from '../../src/application/commands/command-executor.js';
import { DEFAULT_FULFILMENT_TIMEOUTS } from '../../src/application/workflows/fulfilment-inputs.js';
import { WorkflowStepUnavailableError, type FulfilmentCommandHandlers } from '../../src/application/workflows/fulfilment-effects.js';
import { OrderFulfilmentRunner } from '../../src/application/workflows/order-fulfilment-runner.js';
import { appFrom } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { Order } from '../../src/domain/index.js';
import { ctx } from '../support/fulfilment-app.js';
import { ManualTimers } from '../support/manual-timers.js';

/** The workflow runner over a memory application, with its commands watched (and the order's cancellation failing once, if asked). */
const fixture = async (options: { failCancelOnce: boolean }) => {
  const clock = new FixedClock('2026-03-02T09:00:00.000Z');
  const container = await createContainer(loadConfig({}, { store: 'memory' }), { clock, ids: new RandomUuids(), timers: new ManualTimers(clock) });
  const app = appFrom(container);
  let failCancel = options.failCancelOnce;
  const sent: { type: string; key: string | undefined }[] = [];
  const watched = <C extends { type: string }, R>(handler: { handle(command: C, context: CommandContext): Promise<R> }) => ({
    handle: (command: C, context: CommandContext): Promise<R> => {
      sent.push({ type: command.type, key: context.idempotencyKey });
      if (command.type === 'CancelOrder' && failCancel) {
        // As when the process dies right after the payment was cancelled.
        failCancel = false;
        throw new WorkflowStepUnavailableError('the store went away');
      }
      return handler.handle(command, context);
    },
  });
  const commands: FulfilmentCommandHandlers = {
    orders: watched(container.get(TOKENS.OrderCommands)),
    payments: watched(container.get(TOKENS.PaymentCommands)),
    inventory: watched(container.get(TOKENS.InventoryCommands)),
  };
  const deadlines = container.get(TOKENS.DeadlineScheduler);
  const runner = new OrderFulfilmentRunner(
    {
      store: container.get(TOKENS.EventStore),
      archive: container.get(TOKENS.EventArchive),
      repository: container.get(TOKENS.Repository),
      checkpoints: container.get(TOKENS.CheckpointStore),
      upcasters: container.get(TOKENS.Upcasters),
      commands,
      gateway: container.get(TOKENS.PaymentGateway),
      deadlines,
      metrics: container.get(TOKENS.Metrics),
      clock,
      logger: container.get(TOKENS.Logger),
    },
    { ...DEFAULT_FULFILMENT_TIMEOUTS, owner: 'test', deadlineHoldMs: 60_000, concurrency: 4 },
  );
  (await app.customers.handle({ type: 'RegisterCustomer', customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, ctx()))._unsafeUnwrap();
  (await app.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-1', quantity: 5 }, ctx()))._unsafeUnwrap();
  const shippingAddress = { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' };
  const place = async (paymentMethodToken: string) =>
    (await app.orders.handle({ type: 'PlaceOrder', orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 500 }], shippingAddress, paymentMethodToken }, ctx()))._unsafeUnwrap();
  const feed = container.get(TOKENS.CommittedEventFeed);
  /** Hands the workflow every committed event from the start (again, when called again). */
  const deliverAll = async (): Promise<void> => {
    for (let position: string | null = null; ; ) {
      const batch = await feed.read(position, 100);
      if (batch.events.length === 0) return;
      await runner.handle(batch.events, null);
      position = batch.position;
    }
  };
  return { app, clock, runner, deadlines, sent, place, deliverAll };
};

describe('a deadline whose firing stops half-way', () => {
  it('fires again once its hold runs out and carries out the rest, even though its outputs cancel it', async () => {
    const { app, clock, runner, deadlines, place, deliverAll } = await fixture({ failCancelOnce: true });
    await place('tok_silent');
    await deliverAll();
    expect((await runner.load('o-1')).workflow.state.step).toBe('AWAITING_PAYMENT');

    clock.advance(15 * 60_000);
    await expect(runner.fireDueDeadlines()).rejects.toThrow('the store went away');
    expect((await runner.load('o-1')).workflow.state.step).toBe('CANCELLED');
    expect(await deadlines.pendingFor('order-fulfilment', 'o-1')).toHaveLength(1);
    expect(await runner.fireDueDeadlines()).toBe(0);

    clock.advance(60_000);
    expect(await runner.fireDueDeadlines()).toBe(1);
    expect((await app.repository.load(Order, 'o-1'))._unsafeUnwrap().state.status).toBe('CANCELLED');
    expect(await deadlines.pendingFor('order-fulfilment', 'o-1')).toEqual([]);
    await app.close();
  });
});

describe('an input delivered again', () => {
  it('sends its recorded commands again under the keys they had, even when an output is skipped the second time', async () => {
    const { app, runner, sent, place, deliverAll } = await fixture({ failCancelOnce: false });
    await place('tok_silent');
    await deliverAll();
    (await app.orders.handle({ type: 'CancelOrder', orderId: 'o-1', reason: 'changed my mind' }, ctx()))._unsafeUnwrap();
    await deliverAll();
    expect((await runner.load('o-1')).workflow.state.step).toBe('CANCELLED');
    const first = sent.splice(0);
    expect(new Set(first.map((s) => s.type))).toEqual(new Set(['ReserveStock', 'RequestPayment', 'CancelPayment', 'ReleaseReservation']));
    // OrderPlaced's payment deadline was cancelled since: delivered again, OrderPlaced does not schedule it anew,
    // and the reservation after it keeps its key.
    await deliverAll();
    expect(sent).toEqual(expect.arrayContaining(first));
    expect(sent.filter((s) => !first.some((f) => f.key === s.key))).toEqual([]);
    await app.close();
  });
});
