import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { err } from 'neverthrow';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_RETENTION_MS } from '../../../src/application/commands/command-executor.js';
import { Inventory } from '../../../src/domain/index.js';
import { anEvent } from '../../support/event-mother.js';
import { ContendedEventStore } from '../../support/contended-event-store.js';
import { aContext, aPlacedOrder, memoryCore, type MemoryCore } from './memory-core.js';

const aSku = () => `SKU-${randomUUID()}`;

/** Another writer receives one unit of the same SKU. */
const receivesOneUnit = async (store: EventStore, streamId: string): Promise<void> => {
  const competing = anEvent({ type: 'StockReceived', schemaVersion: 1, data: { sku: streamId, quantity: 1 }, occurredAt: '2026-03-01T08:00:00.000Z' });
  (await store.append(streamId, [competing], 'any'))._unsafeUnwrap();
};

describe('CommandExecutor', () => {
  it('retries a conflicting command on fresh state and succeeds', async () => {
    let contended: ContendedEventStore | undefined;
    const core = memoryCore({ wrapStore: (store) => (contended = new ContendedEventStore(store, receivesOneUnit, 2)) });
    const sku = aSku();
    const outcome = (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, aContext()))._unsafeUnwrap();
    expect(outcome).toMatchObject({ version: 3, eventTypes: ['StockReceived'] });
    expect(contended?.appends).toBe(3);
    const stored = await core.store.readStream(`Inventory-${sku}`);
    expect(stored.map((e) => (e.data as { quantity: number }).quantity)).toEqual([1, 1, 10]);
    expect(core.metrics.samples('CommandConflictRetries')).toHaveLength(2);
  });

  it('decides again on the fresh state, so a rule sees what the competitor did', async () => {
    const sku = aSku();
    const reservesAll = async (store: EventStore, streamId: string) => {
      const competing = anEvent({ type: 'InventoryReserved', schemaVersion: 1, data: { sku, orderId: 'order-rival', quantity: 5 } });
      (await store.append(streamId, [competing], 'any'))._unsafeUnwrap();
    };
    const core = memoryCore({ wrapStore: (store) => new ContendedEventStore(store, reservesAll, 1) });
    await core.store.append(`Inventory-${sku}`, [anEvent({ type: 'StockReceived', schemaVersion: 1, data: { sku, quantity: 5 } })], 'no-stream');
    // The order, placed beside the contention: only the reservation meets the competitor.
    const order = anEvent();
    await core.store.append('Order-order-1', [{ ...order, data: { ...(order.data as object), lines: [{ sku, quantity: 3, unitPrice: 1250 }] } }], 'no-stream');
    const refused = await core.inventory.handle({ type: 'ReserveStock', sku, orderId: 'order-1', quantity: 3 }, aContext());
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'INVENTORY.INSUFFICIENT_STOCK', details: { available: 0 } });
  });

  it('gives up with a typed conflict after the bounded attempts, having stored nothing of its own', async () => {
    let contended: ContendedEventStore | undefined;
    const core = memoryCore({ maxAttempts: 3, wrapStore: (store) => (contended = new ContendedEventStore(store, receivesOneUnit)) });
    const sku = aSku();
    const result = await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, aContext());
    expect(result._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', streamId: `Inventory-${sku}`, expected: 2, actual: 3 });
    expect(contended?.appends).toBe(3);
    expect((await core.store.readStream(`Inventory-${sku}`)).map((e) => (e.data as { quantity: number }).quantity)).toEqual([1, 1, 1]);
    // A command the store failed is counted for operators; a rule's refusal is not.
    expect(core.metrics.samples('CommandsFailed')).toEqual([expect.objectContaining({ value: 1, dimensions: { AggregateType: 'Inventory', Code: 'EVENT_STORE.CONCURRENCY_CONFLICT' } })]);
    expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 0 }, aContext())).isErr()).toBe(true);
    expect(core.metrics.samples('CommandsFailed')).toHaveLength(1);
  });

  it('lets a command whose key met a conflict run again under the same key', async () => {
    const core = memoryCore({ maxAttempts: 2, wrapStore: (store) => new ContendedEventStore(store, receivesOneUnit, 2) });
    const sku = aSku();
    const context = aContext(randomUUID());
    expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, context))._unsafeUnwrapErr().code).toBe('EVENT_STORE.CONCURRENCY_CONFLICT');
    expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, context))._unsafeUnwrap().version).toBe(3);
  });

  describe('idempotency keys', () => {
    it('returns the first outcome for a repeat and appends nothing', async () => {
      const core = memoryCore();
      const sku = aSku();
      const context = aContext(randomUUID());
      const first = (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, context))._unsafeUnwrap();
      const repeat = (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, { ...context, metadata: { ...context.metadata, correlationId: 'retry' } }))._unsafeUnwrap();
      expect(repeat).toEqual(first);
      expect(await core.store.readStream(`Inventory-${sku}`)).toHaveLength(1);
    });

    it('returns the first refusal for a repeat, even when the world has changed since', async () => {
      const core = memoryCore();
      const sku = aSku();
      const context = aContext(randomUUID());
      await aPlacedOrder(core, 'order-1', { [sku]: 2 });
      const first = await core.inventory.handle({ type: 'ReserveStock', sku, orderId: 'order-1', quantity: 2 }, context);
      expect(first._unsafeUnwrapErr().code).toBe('INVENTORY.INSUFFICIENT_STOCK');
      await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, aContext());
      expect((await core.inventory.handle({ type: 'ReserveStock', sku, orderId: 'order-1', quantity: 2 }, context))._unsafeUnwrapErr()).toEqual(first._unsafeUnwrapErr());
      expect(await core.store.readStream(`Inventory-${sku}`)).toHaveLength(1);
    });

    it('refuses a key reused for a different command and appends nothing', async () => {
      const core = memoryCore();
      const sku = aSku();
      const key = randomUUID();
      await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, aContext(key));
      const other = await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 11 }, aContext(key));
      expect(other._unsafeUnwrapErr().code).toBe('IDEMPOTENCY.KEY_REUSED');
      const elsewhere = await core.inventory.handle({ type: 'ReceiveStock', sku: aSku(), quantity: 10 }, aContext(key));
      expect(elsewhere._unsafeUnwrapErr().code).toBe('IDEMPOTENCY.KEY_REUSED');
      expect(await core.store.readStream(`Inventory-${sku}`)).toHaveLength(1);
    });

    it('takes the same command with its arguments in another key order for the same command', async () => {
      const core = memoryCore();
      const key = randomUUID();
      await aPlacedOrder(core, 'order-1');
      const paymentId = randomUUID();
      const first = (await core.payments.handle({ type: 'RequestPayment', paymentId, orderId: 'order-1', amount: 500, currency: 'EUR', paymentMethodToken: 'tok_1' }, aContext(key)))._unsafeUnwrap();
      const reordered = await core.payments.handle({ paymentMethodToken: 'tok_1', currency: 'EUR', amount: 500, orderId: 'order-1', paymentId, type: 'RequestPayment' }, aContext(key));
      expect(reordered._unsafeUnwrap()).toEqual(first);
    });

    it('forgets a key once its retention has passed: the command then runs as new', async () => {
      const core = memoryCore();
      const sku = aSku();
      const key = randomUUID();
      await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, aContext(key));
      core.clock.advance(IDEMPOTENCY_RETENTION_MS - 1);
      expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, aContext(key)))._unsafeUnwrap().version).toBe(1);
      core.clock.advance(2);
      expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, aContext(key)))._unsafeUnwrap().version).toBe(2);
    });

    it('remembers a digest of the command under the key, never its payment token, and tells a different token apart', async () => {
      const core = memoryCore();
      const request = { paymentId: randomUUID(), orderId: 'order-1', amount: 500, currency: 'EUR', paymentMethodToken: 'tok_secret_123' };
      const key = randomUUID();
      await aPlacedOrder(core, 'order-1');
      (await core.payments.handle({ type: 'RequestPayment', ...request }, aContext(key)))._unsafeUnwrap();
      const claim = await core.idempotency.claim(key, { owner: 'probe', now: core.clock.now(), until: core.clock.now(), expiresAt: core.clock.now() });
      expect(claim.status).toBe('completed');
      const stored = JSON.stringify(claim);
      expect(stored).not.toContain('tok_secret_123');
      expect(claim.status === 'completed' && claim.stored.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      const sameButToken = await core.payments.handle({ type: 'RequestPayment', ...request, paymentMethodToken: 'tok_other' }, aContext(key));
      expect(sameButToken._unsafeUnwrapErr().code).toBe('IDEMPOTENCY.KEY_REUSED');
    });
  });

  describe('an append whose outcome is unknown', () => {
    /** The store appends (or not), then the answer is lost on the way back, once. */
    const losingOneAnswer = (lands: boolean) => {
      let lost = false;
      return (store: EventStore): EventStore => ({
        readStream: (...args) => store.readStream(...args),
        readByType: (...args) => store.readByType(...args),
        close: () => store.close(),
        append: async (...args) => {
          if (lost) return store.append(...args);
          lost = true;
          if (lands) await store.append(...args);
          return err({ code: 'EVENT_STORE.UNAVAILABLE', message: 'connection reset after commit' });
        },
      });
    };

    it('returns the outcome the landed commit recorded with its events to a retry, at once, and appends nothing more', async () => {
      const core = memoryCore({ wrapStore: losingOneAnswer(true) });
      const key = randomUUID();
      const sku = randomUUID();
      expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, aContext(key)))._unsafeUnwrapErr().code).toBe('EVENT_STORE.UNAVAILABLE');
      const retried = (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, aContext(key)))._unsafeUnwrap();
      expect(retried).toEqual({ aggregateId: sku, streamId: `Inventory-${sku}`, version: 1, eventTypes: ['StockReceived'] });
      expect(await core.store.readStream(`Inventory-${sku}`)).toHaveLength(1);
    });

    it('gives the key back when the commit did not land, so that a retry runs the command at once', async () => {
      const core = memoryCore({ wrapStore: losingOneAnswer(false) });
      const key = randomUUID();
      const sku = randomUUID();
      expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, aContext(key)))._unsafeUnwrapErr().code).toBe('EVENT_STORE.UNAVAILABLE');
      expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, aContext(key)))._unsafeUnwrap().version).toBe(1);
      expect(await core.store.readStream(`Inventory-${sku}`)).toHaveLength(1);
    });
  });

  describe('a claim that outlived its lease', () => {
    it('appends nothing once another run took the key over, answers IN_PROGRESS, and the key keeps the other run\'s outcome', async () => {
      const key = randomUUID();
      const sku = randomUUID();
      let overtaken = false;
      const core: MemoryCore = memoryCore({
        wrapStore: (store): EventStore => ({
          readStream: (...args) => store.readStream(...args),
          readByType: (...args) => store.readByType(...args),
          close: () => store.close(),
          append: async (...args) => {
            if (!overtaken) {
              // The first run stalls past its lease; a retry takes the key and commits first.
              overtaken = true;
              core.clock.advance(IDEMPOTENCY_LEASE_MS + 1);
              expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, aContext(key)))._unsafeUnwrap().version).toBe(1);
            }
            return store.append(...args);
          },
        }),
      });
      const stalled = await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, aContext(key));
      expect(stalled._unsafeUnwrapErr().code).toBe('IDEMPOTENCY.IN_PROGRESS');
      expect(await core.store.readStream(`Inventory-${sku}`)).toHaveLength(1);
      expect((await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, aContext(key)))._unsafeUnwrap().version).toBe(1);
    });

    it('answers IN_PROGRESS to a second request while the first still holds its lease', async () => {
      const core = memoryCore();
      const key = randomUUID();
      await core.idempotency.claim(key, { owner: 'first-run', now: core.clock.now(), until: new Date(Date.parse(core.clock.now()) + IDEMPOTENCY_LEASE_MS).toISOString(), expiresAt: '2099-01-01T00:00:00.000Z' });
      expect((await core.inventory.handle({ type: 'ReceiveStock', sku: aSku(), quantity: 5 }, aContext(key)))._unsafeUnwrapErr().code).toBe('IDEMPOTENCY.IN_PROGRESS');
    });
  });

  describe('commands on an aggregate that does not exist', () => {
    it.each([
      ['ORDER.NOT_FOUND', (core: MemoryCore) => core.orders.handle({ type: 'ConfirmOrder', orderId: randomUUID() }, aContext())],
      ['ORDER.NOT_FOUND', (core: MemoryCore) => core.orders.handle({ type: 'ShipOrder', orderId: randomUUID(), carrier: 'DHL', trackingNumber: 'x' }, aContext())],
      ['PAYMENT.NOT_FOUND', (core: MemoryCore) => core.payments.handle({ type: 'RefundPayment', paymentId: randomUUID(), amount: 1, reason: 'x' }, aContext())],
      ['CUSTOMER.NOT_FOUND', (core: MemoryCore) => core.customers.handle({ type: 'ChangeCustomerDetails', customerId: randomUUID(), personal: { name: 'Ada' } }, aContext())],
    ])('refuses with %s and appends nothing', async (code, command) => {
      const core = memoryCore();
      expect((await command(core))._unsafeUnwrapErr().code).toBe(code);
      expect(await core.store.headPosition()).toBe(0);
    });
  });

  it('ends 20 concurrent commands on one aggregate in successes or typed conflicts, with contiguous versions', async () => {
    const core = memoryCore();
    const sku = aSku();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => core.inventory.handle({ type: 'ReceiveStock', sku, quantity: i + 1 }, aContext())));
    const succeeded = results.filter((r) => r.isOk()).map((r) => r._unsafeUnwrap());
    for (const failed of results.filter((r) => r.isErr())) expect(failed._unsafeUnwrapErr().code).toBe('EVENT_STORE.CONCURRENCY_CONFLICT');
    expect(succeeded.length).toBeGreaterThan(0);
    const stored = await core.store.readStream(`Inventory-${sku}`);
    expect(stored.map((e) => e.version)).toEqual(Array.from({ length: succeeded.length }, (_, i) => i + 1));
    expect(succeeded.map((o) => o.version).sort((a, b) => a - b)).toEqual(stored.map((e) => e.version));
    const onHand = (await core.repository.load(Inventory, sku))._unsafeUnwrap().state.onHand;
    const quantities = results.flatMap((r, i) => (r.isOk() ? [i + 1] : []));
    expect(onHand).toBe(quantities.reduce((a, b) => a + b, 0));
    expect(core.metrics.samples('CommandConflictRetries').length).toBeGreaterThan(0);
  });
});
