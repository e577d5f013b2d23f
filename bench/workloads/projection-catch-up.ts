import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';
import { orderSummaryEngine } from './read-side-engine.js';
import { appendAll, orderLog } from './order-log.js';
import { BenchFailure, freshStoresOf, type Workload } from './workload.js';

const IN_FLIGHT = 16;

/**
 * P1: a fresh store holding a log of `logEvents` order and customer events; the order summary and
 * customer orders projection catches up from zero into the store's own read-model tables. Events of
 * the log per second (customer events are read and passed over, order events applied).
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
      const handled = await engine.catchUp();
      const seconds = (performance.now() - started) / 1_000;
      const [status] = await engine.status();
      if (status?.failure) throw new BenchFailure(`the projection stopped at event ${status.failure.eventId}: ${status.failure.message}`);
      if (handled !== log.orderEvents) throw new BenchFailure(`the projection applied ${handled} events, expected the log's ${log.orderEvents} order events`);
      const checkpoint = Number(status?.checkpoint ?? 0);
      // Asked of the log itself, not of headPosition(): the figure needs only that nothing is left after the checkpoint.
      const left = await readSide.log.readAll(checkpoint, 1);
      if (left.length > 0) throw new BenchFailure(`the projection's checkpoint ${checkpoint} left event ${left[0]?.eventId} at position ${left[0]?.globalPosition} unread`);
      const orders = await (await engine.readModel(orderSummaryProjection)).listByCustomer(log.sampleCustomer.customerId);
      if (orders.length !== log.sampleCustomer.orders) throw new BenchFailure(`customer ${log.sampleCustomer.customerId} shows ${orders.length} orders, expected ${log.sampleCustomer.orders}`);
      return { eventsPerSecond: logEvents / seconds };
    } finally {
      await readSide.close();
    }
  },
});
