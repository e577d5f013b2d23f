import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';
import type { ProjectionEngine } from '../../src/application/projections/projection-engine.js';
import { orderSummaryEngine } from './read-side-engine.js';
import { appendAll, orderLog, type OrderLog } from './order-log.js';
import { BenchFailure, freshStoresOf, type ReadSideTarget, type Workload } from './workload.js';

const IN_FLIGHT = 16;

/** With a global log, the live projection caught up from position zero: every order event handled, nothing left after the checkpoint. */
const checkCaughtUp = async (readSide: ReadSideTarget, engine: ProjectionEngine, log: OrderLog, handled: number): Promise<void> => {
  const [status] = await engine.status();
  if (status?.failure) throw new BenchFailure(`the projection stopped at event ${status.failure.eventId}: ${status.failure.message}`);
  if (handled !== log.orderEvents) throw new BenchFailure(`the projection applied ${handled} events, expected the log's ${log.orderEvents} order events`);
  const checkpoint = Number(status?.checkpoint ?? 0);
  // Asked of the log itself, not of headPosition(): the figure needs only that nothing is left after the checkpoint.
  const left = await readSide.log?.readAll(checkpoint, 1);
  if (left !== undefined && left.length > 0) throw new BenchFailure(`the projection's checkpoint ${checkpoint} left event ${left[0]?.eventId} at position ${left[0]?.globalPosition} unread`);
};

/** Without one (DynamoDB), a projection catches up from zero by a rebuild, a scan of the event table: every order then has its row. */
const checkRebuilt = async (engine: ProjectionEngine, log: OrderLog): Promise<void> => {
  const orders = await engine.readModel(orderSummaryProjection);
  const orderIds = log.commits.filter((commit) => commit.streamId.startsWith('Order-')).map((commit) => commit.streamId.slice('Order-'.length));
  const rows = await orders.getMany(orderIds);
  if (rows.size !== orderIds.length) throw new BenchFailure(`the rebuilt order summary holds ${rows.size} of the log's ${orderIds.length} orders`);
};

/**
 * P1: a fresh store holding a log of `logEvents` order and customer events; the order summary and customer
 * orders projection catches up from zero into the store's own read-model tables: from the global log where
 * the store keeps one, by a rebuild from the event table's scan where it does not. Events of the log per
 * second (customer events are read and passed over, order events applied).
 */
export const projectionCatchUp = (logEvents: number): Workload => ({
  name: 'P1',
  run: async (target) => {
    const readSide = await freshStoresOf(target, 'P1').readSide();
    try {
      const log = orderLog(logEvents);
      await appendAll(readSide.store, log.commits, IN_FLIGHT);
      const engine = orderSummaryEngine(readSide);
      const started = performance.now();
      const handled = readSide.log === undefined ? await engine.rebuild(orderSummaryProjection.name).then(() => null) : await engine.catchUp();
      const seconds = (performance.now() - started) / 1_000;
      await (handled === null ? checkRebuilt(engine, log) : checkCaughtUp(readSide, engine, log, handled));
      const orders = await (await engine.readModel(orderSummaryProjection)).listByCustomer(log.sampleCustomer.customerId);
      if (orders.length !== log.sampleCustomer.orders) throw new BenchFailure(`customer ${log.sampleCustomer.customerId} shows ${orders.length} orders, expected ${log.sampleCustomer.orders}`);
      return { eventsPerSecond: logEvents / seconds };
    } finally {
      await readSide.close();
    }
  },
});
