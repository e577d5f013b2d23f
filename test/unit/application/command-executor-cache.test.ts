import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { Inventory, Order } from '../../../src/domain/index.js';
import { anEvent } from '../../support/event-mother.js';
import { adasDetails } from '../mothers/customer-mother.js';
import { placeOrderCommand } from '../mothers/order-mother.js';
import { aContext, memoryCore, type MemoryCoreOptions } from './memory-core.js';

/** The core with a cache, and a count of what its commands ask of the store. */
const cachedCore = (options: MemoryCoreOptions = {}) => {
  const io = { appends: 0, streamReads: 0 };
  const core = memoryCore({
    cacheSize: 100,
    ...options,
    wrapStore: (store): EventStore => ({
      append: (...args) => {
        io.appends += 1;
        return store.append(...args);
      },
      readStream: (...args) => {
        io.streamReads += 1;
        return store.readStream(...args);
      },
      readByType: (...args) => store.readByType(...args),
      close: () => store.close(),
    }),
  });
  const snapshotLookups = vi.spyOn(core.snapshots, 'latest');
  const reset = () => {
    io.appends = 0;
    io.streamReads = 0;
    snapshotLookups.mockClear();
  };
  return { core, io, snapshotLookups, reset };
};

type Core = ReturnType<typeof cachedCore>['core'];

const registerCustomer = async (core: Core, customerId = 'customer-1') => {
  const registered = await core.customers.handle({ type: 'RegisterCustomer', customerId, personal: adasDetails() }, aContext());
  if (registered.isErr() && registered.error.code !== 'CUSTOMER.ALREADY_REGISTERED') throw new Error(registered.error.message);
};

/** Places the order for a customer registered first. */
const placeOrder = async (core: Core, orderId: string, customerId = 'customer-1', quantity = 2) => {
  await registerCustomer(core, customerId);
  return core.orders.handle(placeOrderCommand(orderId, customerId, { lines: [{ sku: 'SKU-1', quantity, unitPrice: 1999 }] }), aContext());
};

/** A command on an existing order that needs no facts from other aggregates. */
const providePaymentMethod = (core: Core, orderId: string) => core.orders.handle({ type: 'ProvidePaymentMethod', orderId, paymentMethodToken: 'tok_visa_4242' }, aContext());

/** Another process's commit, straight into the store. */
const elsewhere = async (core: Core, streamId: string, type: string, data: unknown) =>
  (await core.store.append(streamId, [anEvent({ type, schemaVersion: 1, data })], 'any'))._unsafeUnwrap();

describe('CommandExecutor with the aggregate cache', () => {
  it('places a new order for a customer it registered in one append, reading nothing', async () => {
    const { core, io, snapshotLookups, reset } = cachedCore();
    const orderId = randomUUID();
    await registerCustomer(core);
    reset();
    expect((await core.orders.handle(placeOrderCommand(orderId), aContext()))._unsafeUnwrap()).toMatchObject({ version: 1, eventTypes: ['OrderCreated'] });
    expect(io).toEqual({ appends: 1, streamReads: 0 });
    expect(snapshotLookups).not.toHaveBeenCalled();
    expect(await core.store.readStream(`Order-${orderId}`)).toHaveLength(1);
  });

  it('runs a command on a cached aggregate in one append, reading nothing', async () => {
    const { core, io, snapshotLookups, reset } = cachedCore();
    const orderId = randomUUID();
    await placeOrder(core, orderId);
    reset();
    expect((await providePaymentMethod(core, orderId))._unsafeUnwrap().version).toBe(2);
    expect((await core.orders.handle({ type: 'CancelOrder', orderId, reason: 'changed my mind' }, aContext()))._unsafeUnwrap().version).toBe(3);
    expect(io).toEqual({ appends: 2, streamReads: 0 });
    expect(snapshotLookups).not.toHaveBeenCalled();
    expect(core.metrics.samples('AggregateCacheHits').filter((sample) => sample.dimensions.AggregateType === 'Order')).toHaveLength(2);
    expect((await core.repository.load(Order, orderId))._unsafeUnwrap().state.status).toBe('CANCELLED');
  });

  it('refuses to place an order another process placed, as the domain does, and stores nothing of its own', async () => {
    const { core } = cachedCore();
    const orderId = randomUUID();
    await elsewhere(core, `Order-${orderId}`, 'OrderCreated', anEvent().data);
    expect((await placeOrder(core, orderId, 'customer-2'))._unsafeUnwrapErr().code).toBe('ORDER.ALREADY_EXISTS');
    // Now the cache knows it: refused again, on the stored state.
    expect((await placeOrder(core, orderId, 'customer-2'))._unsafeUnwrapErr().code).toBe('ORDER.ALREADY_EXISTS');
    const stored = await core.store.readStream(`Order-${orderId}`);
    expect(stored.map((e) => (e.data as { customerId: string }).customerId)).toEqual(['customer-1']);
    expect(core.metrics.samples('CommandConflictRetries')).toHaveLength(0);
  });

  it('reads a customer it has not seen for the facts of an order, and only then', async () => {
    const { core, io, reset } = cachedCore();
    await elsewhere(core, 'Customer-customer-9', 'CustomerRegistered', { personal: adasDetails() });
    reset();
    expect((await core.orders.handle(placeOrderCommand(randomUUID(), 'customer-9'), aContext()))._unsafeUnwrap().version).toBe(1);
    expect(io).toEqual({ appends: 1, streamReads: 1 });
    const refused = await core.orders.handle(placeOrderCommand(randomUUID(), 'customer-404'), aContext());
    expect(refused._unsafeUnwrapErr().code).toBe('ORDER.CUSTOMER_NOT_REGISTERED');
    expect(io.appends).toBe(1);
  });

  it('meets a conflict on a stale entry, lets it go and decides again on the stored state', async () => {
    const { core } = cachedCore();
    const sku = 'SKU-1';
    await placeOrder(core, 'order-1', 'customer-1', 3);
    (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, aContext()))._unsafeUnwrap();
    // Another process reserves all five: this process's entry still says five are available.
    await elsewhere(core, `Inventory-${sku}`, 'InventoryReserved', { sku, orderId: 'order-rival', quantity: 5 });
    const refused = await core.inventory.handle({ type: 'ReserveStock', sku, orderId: 'order-1', quantity: 3 }, aContext());
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'INVENTORY.INSUFFICIENT_STOCK', details: { available: 0 } });
    expect(await core.store.readStream(`Inventory-${sku}`)).toHaveLength(2);
    expect(core.metrics.samples('AggregateCacheEvictions').map((s) => s.dimensions)).toEqual([{ AggregateType: 'Inventory', Reason: 'Stale' }]);
    expect(core.metrics.samples('CommandConflictRetries')).toHaveLength(1);
    // The reload refreshed the entry: the next command starts from version 2.
    expect(core.repository.cached(Inventory, sku)?.version).toBe(2);
  });

  it('decides again on the stored state a refusal made on a stale entry, which no append checked', async () => {
    const { core } = cachedCore();
    const sku = 'SKU-1';
    await placeOrder(core, 'order-1', 'customer-1', 5);
    (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 1 }, aContext()))._unsafeUnwrap();
    await elsewhere(core, `Inventory-${sku}`, 'StockReceived', { sku, quantity: 10 });
    const reserved = await core.inventory.handle({ type: 'ReserveStock', sku, orderId: 'order-1', quantity: 5 }, aContext());
    expect(reserved._unsafeUnwrap()).toMatchObject({ version: 3, eventTypes: ['InventoryReserved'] });
    expect((await core.repository.load(Inventory, sku))._unsafeUnwrap().state).toMatchObject({ onHand: 11, reservations: { 'order-1': 5 } });
  });

  it('answers NOT_FOUND for a command on an aggregate that does not exist, having appended nothing', async () => {
    const { core, io } = cachedCore();
    expect((await core.orders.handle({ type: 'ConfirmOrder', orderId: randomUUID() }, aContext()))._unsafeUnwrapErr().code).toBe('ORDER.NOT_FOUND');
    expect(io.appends).toBe(0);
  });

  it('hands each command a copy of its own: what one command did to its aggregate never reaches the cache', async () => {
    const { core } = cachedCore();
    const orderId = randomUUID();
    await placeOrder(core, orderId);
    const first = core.repository.cached(Order, orderId);
    const second = core.repository.cached(Order, orderId);
    expect(first).not.toBe(second);
    // A careless command writing into its state, nested parts included.
    const state = first?.state as unknown as { status: string; lines: { quantity: number }[] };
    state.status = 'SHIPPED';
    (state.lines[0] as { quantity: number }).quantity = 1_000;
    for (const other of [second, core.repository.cached(Order, orderId)]) {
      expect(other?.state).toMatchObject({ status: 'CREATED', lines: [{ quantity: 2 }] });
    }
    expect((await providePaymentMethod(core, orderId))._unsafeUnwrap().version).toBe(2);
  });

  it('serves loads as of a version or a time from the store, leaving the cache at the present', async () => {
    const { core, io, reset } = cachedCore();
    const orderId = randomUUID();
    await placeOrder(core, orderId);
    core.clock.advance(60_000);
    await providePaymentMethod(core, orderId);
    reset();
    const asOfVersion = (await core.repository.load(Order, orderId, { asOfVersion: 1 }))._unsafeUnwrap();
    const asOfTime = (await core.repository.load(Order, orderId, { asOf: '2026-03-01T09:00:30.000Z' }))._unsafeUnwrap();
    expect([asOfVersion.version, asOfVersion.state.status, asOfTime.version, asOfTime.state.status]).toEqual([1, 'CREATED', 1, 'CREATED']);
    expect(io.streamReads).toBe(2);
    expect(core.repository.cached(Order, orderId)?.version).toBe(2);
  });

  it('still snapshots when a commit from a cached aggregate crosses a multiple of N', async () => {
    const { core, io, reset } = cachedCore({ snapshotEvery: 3 });
    const sku = `SKU-${randomUUID()}`;
    await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 1 }, aContext());
    reset();
    for (const quantity of [2, 3, 4]) (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity }, aContext()))._unsafeUnwrap();
    expect(io.streamReads).toBe(0);
    expect(await core.snapshots.latest(`Inventory-${sku}`)).toMatchObject({ version: 3, state: { onHand: 6 } });
  });

  it('caches the upcast state of old events and carries on from it', async () => {
    const { core, io, reset } = cachedCore();
    const orderId = randomUUID();
    const v1 = { customerId: 'customer-1', lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1250 }], totalAmount: 2500, shippingAddress: { line1: '1 Main St', city: 'Boston', postalCode: '02108', country: 'US' } };
    await elsewhere(core, `Order-${orderId}`, 'OrderCreated', v1);
    expect((await providePaymentMethod(core, orderId))._unsafeUnwrap().version).toBe(2);
    reset();
    expect((await core.orders.handle({ type: 'CancelOrder', orderId, reason: 'duplicate' }, aContext()))._unsafeUnwrap().version).toBe(3);
    expect(io.streamReads).toBe(0);
    expect(core.repository.cached(Order, orderId)?.state).toMatchObject({ status: 'CANCELLED', currency: 'USD', totalAmount: 2500 });
  });
});
