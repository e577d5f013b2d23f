import { InMemoryEventStore } from '../../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryIdempotencyStore, InMemorySnapshotStore } from '../../../src/adapters/memory/in-memory-stores.js';
import { FixedClock, RandomUuids } from '../../../src/adapters/runtime/system-runtime.js';
import type { CommandContext } from '../../../src/application/commands/command-executor.js';
import { CommandExecutor } from '../../../src/application/commands/command-executor.js';
import { CommandHandler } from '../../../src/application/commands/command-handler.js';
import { customerBinding, inventoryBinding, orderBinding, paymentBinding } from '../../../src/application/commands/decider-bindings.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { AggregateCache } from '../../../src/application/repository/aggregate-cache.js';
import { AggregateRepository } from '../../../src/application/repository/aggregate-repository.js';
import { SnapshotPolicy } from '../../../src/application/repository/snapshot-policy.js';
import { domainUpcasters } from '../../../src/application/upcasting/domain-upcasters.js';
import { Order } from '../../../src/domain/index.js';
import { metadata } from '../../support/event-mother.js';

export const CORE_STARTS_AT = '2026-03-01T09:00:00.000Z';

export interface MemoryCoreOptions {
  readonly snapshotEvery?: number;
  readonly maxAttempts?: number;
  /** Aggregates the repository caches between commands; none by default, as each test states what it relies on. */
  readonly cacheSize?: number;
  /** Puts something between the application and the in-memory store, such as a competing writer. */
  readonly wrapStore?: (store: InMemoryEventStore) => EventStore;
}

/** The application's use cases over the in-memory adapters, with a clock the test sets. */
export const memoryCore = (options: MemoryCoreOptions = {}) => {
  const clock = new FixedClock(CORE_STARTS_AT);
  const ids = new RandomUuids();
  const idempotency = new InMemoryIdempotencyStore();
  const store = new InMemoryEventStore(clock, idempotency);
  const snapshots = new InMemorySnapshotStore();
  const metrics = new InMemoryMetrics();
  const upcasters = domainUpcasters();
  const cache = options.cacheSize ? new AggregateCache(options.cacheSize, metrics) : null;
  const repository = new AggregateRepository({
    eventStore: options.wrapStore?.(store) ?? store,
    snapshots,
    upcasters,
    policy: new SnapshotPolicy(options.snapshotEvery),
    metrics,
    clock,
    cache,
  });
  const executor = new CommandExecutor(repository, idempotency, metrics, clock, options.maxAttempts);
  const deps = { executor, repository, clock, ids, metrics };
  return {
    clock,
    ids,
    store,
    snapshots,
    metrics,
    upcasters,
    repository,
    cache,
    executor,
    idempotency,
    orders: CommandHandler.of(orderBinding(), deps),
    payments: CommandHandler.of(paymentBinding(), deps),
    inventory: CommandHandler.of(inventoryBinding(), deps),
    customers: CommandHandler.of(customerBinding(), deps),
  };
};

export type MemoryCore = ReturnType<typeof memoryCore>;

export const aContext = (idempotencyKey?: string): CommandContext =>
  idempotencyKey === undefined ? { metadata: metadata() } : { metadata: metadata(), idempotencyKey };

/**
 * An order placed by a registered customer (registered here unless already), for commands that need one to exist:
 * `lines` maps each SKU to its quantity, at 10.00 EUR a unit.
 */
export const aPlacedOrder = async (core: MemoryCore, orderId: string, lines: Readonly<Record<string, number>> = { 'SKU-1': 2 }, customerId = 'customer-1'): Promise<void> => {
  await aRegisteredCustomer(core, customerId);
  const placed = await core.orders.handle(
    {
      type: 'PlaceOrder',
      orderId,
      customerId,
      currency: 'EUR',
      lines: Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity, unitPrice: 1000 })),
      shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' },
    },
    aContext(),
  );
  if (placed.isErr()) throw new Error(`${placed.error.code}: ${placed.error.message}`);
};

/** Registers the customer unless already registered. */
export const aRegisteredCustomer = async (core: MemoryCore, customerId: string): Promise<void> => {
  const personal = { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' };
  const registered = await core.customers.handle({ type: 'RegisterCustomer', customerId, personal }, aContext());
  if (registered.isErr() && registered.error.code !== 'CUSTOMER.ALREADY_REGISTERED') throw new Error(registered.error.message);
};

/** A payment of the order's total, requested and accepted by the gateway: what confirming the order needs. Its id. */
export const aProcessedPaymentFor = async (core: MemoryCore, orderId: string): Promise<string> => {
  const order = (await core.repository.load(Order, orderId))._unsafeUnwrap().state;
  const paymentId = `payment-${orderId}`;
  const request = { type: 'RequestPayment', paymentId, orderId, amount: order.totalAmount, currency: order.currency ?? 'EUR', paymentMethodToken: 'tok_visa_4242' } as const;
  (await core.payments.handle(request, aContext()))._unsafeUnwrap();
  (await core.payments.handle({ type: 'CompletePayment', paymentId, transactionId: 'txn-1', gateway: { status: 'SUCCESS', reference: 'gw-1' } }, aContext()))._unsafeUnwrap();
  return paymentId;
};
