import { describe, expect, it, vi } from 'vitest';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { Customer } from '../../../src/domain/index.js';
import { anEvent } from '../../support/event-mother.js';
import { ContendedEventStore } from '../../support/contended-event-store.js';
import { aContext, aPlacedOrder, aRegisteredCustomer, memoryCore } from './memory-core.js';

describe('the generic command handler', () => {
  it("refuses with the other aggregate's load failure, storing nothing", async () => {
    const core = memoryCore();
    await core.store.append('Order-order-1', [anEvent({ type: 'SpaceshipLaunched', schemaVersion: 1, data: {} })], 'no-stream');
    const refused = await core.inventory.handle({ type: 'ReserveStock', sku: 'SKU-1', orderId: 'order-1', quantity: 1 }, aContext());
    expect(refused._unsafeUnwrapErr().code).toBe('AGGREGATE.UNKNOWN_EVENT_TYPE');
    expect(await core.store.readStream('Inventory-SKU-1')).toEqual([]);
  });

  it('mints an id once per command, however often a conflict makes the executor decide again', async () => {
    const rivals: string[] = [];
    // A rival records its own contact just before each of the first two appends to the customer's stream.
    const contactsFirst = async (store: EventStore, streamId: string) => {
      if (!streamId.startsWith('Customer-') || (await store.readStream(streamId)).length === 0) return;
      const interactionId = `rival-${rivals.push('x')}`;
      const data = { interactionId, channel: 'PHONE', summary: 'rival', agent: 'bob', orderId: null };
      (await store.append(streamId, [anEvent({ type: 'SupportInteractionRecorded', schemaVersion: 1, data })], 'any'))._unsafeUnwrap();
    };
    const core = memoryCore({ wrapStore: (store) => new ContendedEventStore(store, contactsFirst, 3) });
    await aRegisteredCustomer(core, 'customer-1');
    const minted = vi.spyOn(core.ids, 'next');
    const outcome = await core.customers.handle({ type: 'RecordSupportInteraction', customerId: 'customer-1', channel: 'EMAIL', summary: 'where is it', agent: 'ann' }, aContext());
    expect(outcome._unsafeUnwrap().version).toBe(4);
    const interactions = (await core.repository.load(Customer, 'customer-1'))._unsafeUnwrap().state.interactions;
    expect(interactions.map((interaction) => interaction.summary)).toEqual(['rival', 'rival', 'where is it']);
    expect(minted).toHaveBeenCalledTimes(1);
    expect(interactions.at(-1)?.interactionId).toBe(minted.mock.results[0]?.value);
    expect(core.metrics.samples('CommandConflictRetries')).toHaveLength(2);
  });

  it('decides a cross-aggregate rule on the facts it read, and the domain refuses what they do not allow', async () => {
    const core = memoryCore();
    await aPlacedOrder(core, 'order-1', { 'SKU-1': 2 });
    (await core.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-1', quantity: 10 }, aContext()))._unsafeUnwrap();
    (await core.orders.handle({ type: 'CancelOrder', orderId: 'order-1', reason: 'changed my mind' }, aContext()))._unsafeUnwrap();
    const refused = await core.inventory.handle({ type: 'ReserveStock', sku: 'SKU-1', orderId: 'order-1', quantity: 2 }, aContext());
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'INVENTORY.ORDER_NOT_OPEN', details: { orderStatus: 'CANCELLED' } });
    expect(await core.store.readStream('Inventory-SKU-1')).toHaveLength(1);
  });
});
