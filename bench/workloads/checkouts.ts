import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { mapBounded } from '../../src/application/bounded-map.js';
import type { FulfilmentEvent } from '../../src/domain/index.js';
import { createContainer } from '../../src/main/container.js';
import { startHttpService, type RunningService } from '../../src/main/http-service.js';
import { BENCH_AUTH } from '../bench-auth.js';
import { latencyFigures } from '../stats.js';
import { CLIENTS, post, registerCustomers } from './http-commands.js';
import { BenchFailure, freshStoresOf, type Workload } from './workload.js';

const SKUS = 16;
const WAIT_LIMIT_MS = 300_000;

/** Every order reaches its end through the workflow, or the run fails: a figure over unfinished checkouts would be a lie. */
const awaitCompletion = async (service: RunningService, orderIds: readonly string[]): Promise<number[]> => {
  const latencies = new Map<string, number>();
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (latencies.size < orderIds.length) {
    if (Date.now() > deadline) throw new BenchFailure(`${orderIds.length - latencies.size} checkouts were not completed within ${WAIT_LIMIT_MS / 1000} s`);
    const pending = orderIds.filter((id) => !latencies.has(id));
    await mapBounded(pending, 16, async (orderId) => {
      const events = await service.app.eventStore.readStream(`OrderFulfilment-${orderId}`);
      const last = events.at(-1);
      const step = (last?.data as FulfilmentEvent['data'] | undefined)?.step;
      if (step === 'CANCELLED') throw new BenchFailure(`checkout ${orderId} was cancelled: ${JSON.stringify(last?.data)}`);
      // From the order placed (the workflow's first input happened then) to the workflow's last step recorded.
      if (step === 'COMPLETED' && last !== undefined) latencies.set(orderId, Date.parse(last.recordedAt) - Date.parse(events[0]?.occurredAt ?? last.recordedAt));
    });
    if (latencies.size < orderIds.length) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [...latencies.values()];
};

/**
 * F1: whole checkouts through the real HTTP service on a fresh store: `count` orders placed with a payment token
 * by 16 concurrent clients; the order-fulfilment workflow reserves, requests and charges the payment (the
 * simulated gateway answers with a signed webhook over HTTP), confirms and allocates each one. Checkouts completed
 * per second (from the first order placed to the last workflow completed), and each checkout's latency from
 * placing the order to its workflow completing.
 */
export const checkouts = (count: number): Workload => ({
  name: 'F1',
  run: async (target) => {
    const fresh = await freshStoresOf(target, 'F1').service();
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    let service: RunningService | null = null;
    try {
      service = await startHttpService(await createContainer({ ...fresh.config, auth: BENCH_AUTH, fulfilment: 'workflow', pollIntervalMs: 20 }), { host: '127.0.0.1', port: 0 });
      const customers = await registerCustomers(agent, service);
      const skus = Array.from({ length: SKUS }, (_, n) => `SKU-F1-${n}`);
      for (const sku of skus) {
        const { status, answer } = await post(agent, new URL(`/inventory/${sku}/receive`, service.url), JSON.stringify({ quantity: 1_000_000 }));
        if (status !== 200) throw new BenchFailure(`receiving stock answered ${status}: ${answer.slice(0, 300)}`);
      }
      const orderIds = Array.from({ length: count }, () => `o-${randomUUID()}`);
      const url = new URL('/orders', service.url);
      const started = performance.now();
      let next = 0;
      const client = async (): Promise<void> => {
        while (next < count) {
          const index = next;
          next += 1;
          const body = JSON.stringify({
            orderId: orderIds[index],
            customerId: customers[index % customers.length],
            currency: 'EUR',
            taxRate: 2300,
            lines: [{ sku: skus[index % SKUS], quantity: 1, unitPrice: 1999 }],
            shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' },
            paymentMethodToken: 'tok_approve_bench',
          });
          const { status, answer } = await post(agent, url, body);
          if (status !== 201) throw new BenchFailure(`POST /orders answered ${status}, expected 201: ${answer.slice(0, 300)}`);
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, client));
      const latencies = await awaitCompletion(service, orderIds);
      const seconds = (performance.now() - started) / 1_000;
      return { eventsPerSecond: count / seconds, ...latencyFigures(latencies) };
    } finally {
      agent.destroy();
      await service?.stop();
      await fresh.release();
    }
  },
});
