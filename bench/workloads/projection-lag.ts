import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { streamIdOf } from '../../src/application/events/envelope.js';
import { Order } from '../../src/domain/index.js';
import { latencyFigures } from '../stats.js';
import { orderCreated } from './order-log.js';
import { orderSummaryEngine } from './read-side-engine.js';
import { BenchFailure, freshStoresOf, type Workload } from './workload.js';

const IN_FLIGHT = 16;
const POLL_MS = 20;
/** After the last append, how long the projection may take to show everything before the run fails. */
const DRAIN_LIMIT_MS = 60_000;

/**
 * P2: W1-style appends (one OrderCreated per append, 16 in flight) paced at 5,000 events/s (`--lag-rate`) while the
 * engine polls every 20 ms (DynamoDB: every second, as the service does). Lag per event: from the append's acknowledgement to the moment its order
 * summary row is written. Figures: the append rate achieved, and lag percentiles.
 */
export const projectionLag = (seconds: number, eventsPerSecond = 5_000): Workload => ({
  name: 'P2',
  run: async (target) => {
    const readSide = await freshStoresOf(target, 'P2').readSide();
    const total = eventsPerSecond * seconds;
    const orderIds = Array.from({ length: total }, () => randomUUID());
    const acknowledged = new Map<string, number>();
    const visible = new Map<string, number>();
    const engine = orderSummaryEngine(readSide, (rows) => {
      const now = performance.now();
      for (const row of rows) visible.set(row.streamId, now);
    });
    try {
      engine.start(readSide.pollIntervalMs ?? POLL_MS);
      const clock = new SystemClock();
      const started = performance.now();
      let next = 0;
      let failed = false;
      const worker = async (): Promise<void> => {
        while (!failed && next < total) {
          const index = next;
          next += 1;
          const due = started + (index * 1_000) / eventsPerSecond;
          if (due > performance.now()) await sleep(due - performance.now());
          const orderId = orderIds[index] as string;
          const appended = await readSide.store.append(streamIdOf(Order.type, orderId), [orderCreated('customer-1', clock.now())], 0);
          if (appended.isErr()) {
            failed = true;
            throw new BenchFailure(`append ${index} was refused: ${appended.error.code}: ${appended.error.message}`);
          }
          acknowledged.set(orderId, performance.now());
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const appendSeconds = (performance.now() - started) / 1_000;
      const drainBy = performance.now() + DRAIN_LIMIT_MS;
      while (visible.size < total && performance.now() < drainBy) await sleep(POLL_MS);
      const [status] = await engine.status();
      if (status?.failure) throw new BenchFailure(`the projection stopped at event ${status.failure.eventId}: ${status.failure.message}`);
      if (visible.size < total) throw new BenchFailure(`${total - visible.size} of ${total} orders were still not in the read model ${DRAIN_LIMIT_MS / 1_000} s after the last append`);
      // A row can be written before its append's acknowledgement comes back (batched commits): that is no lag.
      const lags = orderIds.map((orderId) => Math.max(0, (visible.get(streamIdOf(Order.type, orderId)) as number) - (acknowledged.get(orderId) as number)));
      return { eventsPerSecond: total / appendSeconds, ...latencyFigures(lags) };
    } finally {
      await engine.stop();
      await readSide.close();
    }
  },
});
