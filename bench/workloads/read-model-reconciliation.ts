import { randomUUID } from 'node:crypto';
import type { EventArchive } from '../../src/application/ports/event-archive.js';
import type { OrderReadModel } from '../../src/application/ports/order-read-model.js';
import type { InventoryLevelReadModel, SupportHistoryReadModel } from '../../src/application/ports/read-models.js';
import { inventoryLevelsProjection } from '../../src/application/projections/inventory-levels-projection.js';
import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';
import { ProjectionConsumer, type ProjectionDeps } from '../../src/application/projections/projection-consumer.js';
import { aggregateIdOf, type AnyProjection, type ProjectionDefinition } from '../../src/application/projections/projection.js';
import { supportHistoryProjection } from '../../src/application/projections/support-history-projection.js';
import { Customer, Inventory, Order } from '../../src/domain/index.js';
import { BenchFailure } from './workload.js';
import { Violations } from './violations.js';

const CHUNK = 1_000;
/** Customers whose orders list and support history are compared (the in-memory read models scan every row per customer). */
const CUSTOMER_SAMPLE = 300;

/** The same JSON for the same row, whatever order its keys were written in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  );

const idsOf = (streams: Iterable<string>, type: string): string[] => [...streams].filter((streamId) => streamId.startsWith(`${type}-`)).map(aggregateIdOf);

const sample = <T>(items: readonly T[], count: number): T[] => {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, index) => items[Math.floor(index * step)] as T);
};

export interface ReadModelFacts {
  readonly orders: number;
  readonly skus: number;
  readonly customersCompared: number;
}

/**
 * Replays the whole store into a fresh generation of each projection, in the store's own read-model tables
 * (as a rebuild does, a batch at a time, in the store's transactions), compares it row by row with the live
 * generation the service kept under load, then drops it. Compared: every order summary, every inventory level,
 * and a sample of customers' order lists and support histories. Throws a BenchFailure naming the differences.
 */
export const reconcileReadModels = async (
  deps: ProjectionDeps,
  archive: EventArchive,
  live: <RM>(projection: ProjectionDefinition<RM>) => Promise<RM>,
  streams: Iterable<string>,
): Promise<ReadModelFacts> => {
  const generation = `adr-check-${randomUUID()}`;
  const projections: AnyProjection[] = [orderSummaryProjection, inventoryLevelsProjection, supportHistoryProjection];
  const consumers = projections.map((projection) => new ProjectionConsumer(deps, projection, generation));
  try {
    await archive.scan(async (events) => {
      for (const consumer of consumers) {
        const outcome = await consumer.handle(events, null);
        if (outcome.status === 'stopped') throw new BenchFailure(`the rebuild of ${consumer.name} stopped at ${outcome.failure.streamId} v${outcome.failure.version}: ${outcome.failure.message}`);
      }
    });
    const streamIds = [...streams];
    const orderIds = idsOf(streamIds, Order.type);
    const customers = sample(idsOf(streamIds, Customer.type), CUSTOMER_SAMPLE);
    const violations = new Violations();
    await compareOrders(violations, await live(orderSummaryProjection), orderSummaryProjection.readModel(deps.catalog, generation), orderIds, customers);
    const skus = await compareInventory(violations, await live(inventoryLevelsProjection), inventoryLevelsProjection.readModel(deps.catalog, generation), idsOf(streamIds, Inventory.type));
    await compareSupport(violations, await live(supportHistoryProjection), supportHistoryProjection.readModel(deps.catalog, generation), customers);
    violations.throwIfAny('the live read models differ from a fresh rebuild');
    return { orders: orderIds.length, skus, customersCompared: customers.length };
  } finally {
    for (const projection of projections) await deps.catalog.drop(projection.readModelKind, generation).catch(() => undefined);
  }
};

const compareOrders = async (violations: Violations, live: OrderReadModel, rebuilt: OrderReadModel, orderIds: readonly string[], customers: readonly string[]): Promise<void> => {
  for (let start = 0; start < orderIds.length; start += CHUNK) {
    const ids = orderIds.slice(start, start + CHUNK);
    const [liveRows, rebuiltRows] = await Promise.all([live.getMany(ids), rebuilt.getMany(ids)]);
    for (const orderId of ids) {
      const a = liveRows.get(orderId);
      const b = rebuiltRows.get(orderId);
      if (b === undefined) violations.add('orders the rebuild has no summary of', orderId);
      else if (a === undefined) violations.add('order summaries missing from the live read model', orderId);
      else if (canonical(a) !== canonical(b)) violations.add('order summaries that differ', `${orderId}: live ${canonical(a)}, rebuilt ${canonical(b)}`);
    }
  }
  for (const customerId of customers) {
    const [a, b] = await Promise.all([live.listByCustomer(customerId), rebuilt.listByCustomer(customerId)]);
    if (canonical(a) !== canonical(b)) violations.add('customer order lists that differ', `${customerId}: live ${a.length} orders, rebuilt ${b.length}`);
  }
};

const compareInventory = async (violations: Violations, live: InventoryLevelReadModel, rebuilt: InventoryLevelReadModel, skus: readonly string[]): Promise<number> => {
  const [liveRows, rebuiltRows] = await Promise.all([live.list(), rebuilt.list()]);
  const byId = new Map(liveRows.map((row) => [row.sku, row]));
  for (const row of rebuiltRows) {
    const found = byId.get(row.sku);
    if (found === undefined) violations.add('inventory levels missing from the live read model', row.sku);
    else if (canonical(found) !== canonical(row)) violations.add('inventory levels that differ', `${row.sku}: live ${canonical(found)}, rebuilt ${canonical(row)}`);
    byId.delete(row.sku);
  }
  for (const sku of byId.keys()) violations.add('inventory levels only the live read model has', sku);
  if (rebuiltRows.length !== skus.length) violations.add('SKUs with a stream but no rebuilt level', `${skus.length} inventory streams, ${rebuiltRows.length} levels`);
  return rebuiltRows.length;
};

const compareSupport = async (violations: Violations, live: SupportHistoryReadModel, rebuilt: SupportHistoryReadModel, customers: readonly string[]): Promise<void> => {
  // Entries of the same instant may come in either order: compared as sets of entries.
  const sorted = <E extends { eventId: string }>(entries: E[]): E[] => entries.sort((x, y) => x.eventId.localeCompare(y.eventId));
  for (const customerId of customers) {
    const [a, b] = await Promise.all([live.history(customerId), rebuilt.history(customerId)]);
    if (canonical(sorted(a)) !== canonical(sorted(b))) violations.add('support histories that differ', `${customerId}: live ${a.length} entries, rebuilt ${b.length}`);
  }
};
