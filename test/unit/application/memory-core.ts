import { InMemoryEventStore } from '../../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryIdempotencyStore, InMemorySnapshotStore } from '../../../src/adapters/memory/in-memory-stores.js';
import { FixedClock, RandomUuids } from '../../../src/adapters/runtime/system-runtime.js';
import type { CommandContext } from '../../../src/application/commands/command-executor.js';
import { CommandExecutor } from '../../../src/application/commands/command-executor.js';
import { CustomerCommandHandlers } from '../../../src/application/commands/customer-command-handlers.js';
import { InventoryCommandHandlers } from '../../../src/application/commands/inventory-command-handlers.js';
import { OrderCommandHandlers } from '../../../src/application/commands/order-command-handlers.js';
import { PaymentCommandHandlers } from '../../../src/application/commands/payment-command-handlers.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { AggregateCache } from '../../../src/application/repository/aggregate-cache.js';
import { AggregateRepository } from '../../../src/application/repository/aggregate-repository.js';
import { SnapshotPolicy } from '../../../src/application/repository/snapshot-policy.js';
import { domainUpcasters } from '../../../src/application/upcasting/domain-upcasters.js';
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
  const store = new InMemoryEventStore(clock);
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
  const idempotency = new InMemoryIdempotencyStore();
  const executor = new CommandExecutor(repository, idempotency, metrics, clock, options.maxAttempts);
  return {
    clock,
    store,
    snapshots,
    metrics,
    upcasters,
    repository,
    cache,
    executor,
    idempotency,
    orders: new OrderCommandHandlers(executor, clock),
    payments: new PaymentCommandHandlers(executor, clock),
    inventory: new InventoryCommandHandlers(executor, clock),
    customers: new CustomerCommandHandlers(executor, clock, ids),
  };
};

export type MemoryCore = ReturnType<typeof memoryCore>;

export const aContext = (idempotencyKey?: string): CommandContext =>
  idempotencyKey === undefined ? { metadata: metadata() } : { metadata: metadata(), idempotencyKey };
