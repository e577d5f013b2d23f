import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createContainer } from '../../src/main/container.js';
import { startHttpService, type RunningService } from '../../src/main/http-service.js';
import { BENCH_AUTH, benchAuthorization } from '../bench-auth.js';
import { latencyFigures } from '../stats.js';
import { BenchFailure, freshStoresOf, type Workload } from './workload.js';

export const CLIENTS = 16;
/** Customers registered before the timed requests (an order is placed by a registered customer); few enough to stay cached. */
const CUSTOMERS = 64;
/** Untimed requests first, so that the figure is not the JIT's and the pool's start-up. */
const WARM_UP = 200;

/** The README walkthrough's order (test/e2e/support/walkthrough.ts), under a fresh id, for one of `customers`. */
const placeOrderBody = (customers: readonly string[], index: number): string =>
  JSON.stringify({
    orderId: `o-${randomUUID()}`,
    customerId: customers[index % customers.length],
    currency: 'EUR',
    taxRate: 2300,
    lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }],
    shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' },
  });

/**
 * node:http rather than fetch: the clients share the service's process and cores, and fetch's web
 * streams cost about as much CPU per request as the service's own HTTP layer.
 */
export const post = async (agent: Agent, url: URL, body: string): Promise<{ status: number; answer: string }> => {
  const authorization = await benchAuthorization();
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, answer: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(body);
  });
};

/** Registers the customers the orders are placed for, untimed. */
export const registerCustomers = async (agent: Agent, service: RunningService): Promise<string[]> => {
  const customers = Array.from({ length: CUSTOMERS }, () => `c-${randomUUID()}`);
  const url = new URL('/customers', service.url);
  for (const customerId of customers) {
    const body = JSON.stringify({ customerId, personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' } });
    const { status, answer } = await post(agent, url, body);
    if (status !== 201) throw new BenchFailure(`POST /customers answered ${status}, expected 201: ${answer.slice(0, 300)}`);
  }
  return customers;
};

/** `count` POST /orders from CLIENTS concurrent keep-alive clients; each request's latency in ms. Anything but 201 aborts. */
const postOrders = async (agent: Agent, url: URL, count: number, customers: readonly string[]): Promise<number[]> => {
  const bodies = Array.from({ length: count }, (_, index) => placeOrderBody(customers, index));
  const latencies: number[] = [];
  let next = 0;
  let failed = false;
  const client = async (): Promise<void> => {
    while (!failed && next < count) {
      const body = bodies[next] as string;
      next += 1;
      const started = performance.now();
      const { status, answer } = await post(agent, url, body);
      latencies.push(performance.now() - started);
      if (status !== 201) {
        failed = true;
        throw new BenchFailure(`POST /orders answered ${status}, expected 201: ${answer.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return latencies;
};

/**
 * H1: the real HTTP service in this process on a fresh store, its projections running; `requests`
 * POST /orders from 16 concurrent clients. Requests per second (one event each), and latency percentiles.
 */
export const httpCommands = (requests: number): Workload => ({
  name: 'H1',
  run: async (target) => {
    const fresh = await freshStoresOf(target, 'H1').service();
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    let service: RunningService | null = null;
    try {
      // Placing orders is what is measured: the order-fulfilment workflow would add its own work to each one.
      service = await startHttpService(await createContainer({ ...fresh.config, auth: BENCH_AUTH, fulfilment: 'manual' }), { host: '127.0.0.1', port: 0 });
      const customers = await registerCustomers(agent, service);
      const orders = new URL('/orders', service.url);
      await postOrders(agent, orders, WARM_UP, customers);
      const started = performance.now();
      const latencies = await postOrders(agent, orders, requests, customers);
      const seconds = (performance.now() - started) / 1_000;
      return { eventsPerSecond: requests / seconds, ...latencyFigures(latencies) };
    } finally {
      agent.destroy();
      await service?.stop();
      await fresh.release();
    }
  },
});
