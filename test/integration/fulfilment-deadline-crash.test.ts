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
import { ctx } from '../support/fulfilment-app.js';
import { ManualTimers } from '../support/manual-timers.js';

describe('a deadline whose firing stops half-way', () => {
  it('fires again once its hold runs out and carries out the rest, even though its outputs cancel it', async () => {
    const clock = new FixedClock('2026-03-02T09:00:00.000Z');
    const container = await createContainer(loadConfig({}, { store: 'memory' }), { clock, ids: new RandomUuids(), timers: new ManualTimers(clock) });
    const app = appFrom(container);
    let failCancel = true;
    const orders = container.get(TOKENS.OrderCommands);
    // The order's cancellation fails once, as when the process dies right after the payment was cancelled.
    const commands: FulfilmentCommandHandlers = {
      orders: {
        handle: (command, context: CommandContext) => {
          if (command.type === 'CancelOrder' && failCancel) {
            failCancel = false;
            throw new WorkflowStepUnavailableError('the store went away');
          }
          return orders.handle(command, context);
        },
      },
      payments: container.get(TOKENS.PaymentCommands),
      inventory: container.get(TOKENS.InventoryCommands),
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
      },
      { ...DEFAULT_FULFILMENT_TIMEOUTS, owner: 'test', deadlineHoldMs: 60_000, concurrency: 4 },
    );
    (await app.customers.handle({ type: 'RegisterCustomer', customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, ctx()))._unsafeUnwrap();
    (await app.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-1', quantity: 5 }, ctx()))._unsafeUnwrap();
    const shippingAddress = { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' };
    const place = { type: 'PlaceOrder', orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 500 }], shippingAddress } as const;
    (await app.orders.handle({ ...place, paymentMethodToken: 'tok_silent' }, ctx()))._unsafeUnwrap();
    const feed = container.get(TOKENS.CommittedEventFeed);
    for (let position: string | null = null; ; ) {
      const batch = await feed.read(position, 100);
      if (batch.events.length === 0) break;
      await runner.handle(batch.events, null);
      position = batch.position;
    }
    expect((await runner.load('o-1')).workflow.state.step).toBe('AWAITING_PAYMENT');

    clock.advance(15 * 60_000);
    await expect(runner.fireDueDeadlines()).rejects.toThrow('the store went away');
    expect((await runner.load('o-1')).workflow.state.step).toBe('CANCELLED');
    expect(await deadlines.pendingFor('order-fulfilment', 'o-1')).toHaveLength(1);
    expect(await runner.fireDueDeadlines()).toBe(0);

    clock.advance(60_000);
    expect(await runner.fireDueDeadlines()).toBe(1);
    const order = (await app.repository.load((await import('../../src/domain/index.js')).Order, 'o-1'))._unsafeUnwrap().state;
    expect(order.status).toBe('CANCELLED');
    expect(await deadlines.pendingFor('order-fulfilment', 'o-1')).toEqual([]);
    await app.close();
  });
});
