/**
 * Per-request latency of the read models as of a time (`?asOf=`), over HTTP (in process, fastify inject), on
 * the in-memory store with a log of about 100,000 events. Run: `npx tsx bench/as-of-latency.ts [--events 100000]`.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildHttpServer } from '../src/adapters/http/http-server.js';
import { FixedClock, RandomUuids } from '../src/adapters/runtime/system-runtime.js';
import { appFrom } from '../src/main/app.js';
import { loadConfig } from '../src/main/config.js';
import { createContainer } from '../src/main/container.js';
import { httpAuthFrom } from '../src/main/http-auth.js';
import { BENCH_AUTH, benchAuthorization } from './bench-auth.js';
import { describeMachine } from './machine.js';

const eventsWanted = Number(process.argv[process.argv.indexOf('--events') + 1] || 100_000);
const CUSTOMERS = 2_000;
const SKUS = 500;
const EVENTS_PER_ORDER = 5; // created, stock reserved, payment requested and completed, confirmed
const orders = Math.max(1, Math.floor((eventsWanted - CUSTOMERS - SKUS) / EVENTS_PER_ORDER));

const clock = new FixedClock('2026-01-01T00:00:00.000Z');
const app = appFrom(await createContainer(loadConfig({}, { store: 'memory' }), { clock, ids: new RandomUuids() }));
const context = () => ({ metadata: { correlationId: randomUUID(), causationId: null, actor: 'bench' } });
const must = <T>(result: { isErr(): boolean; _unsafeUnwrap(): T }): T => result._unsafeUnwrap();

for (let c = 0; c < CUSTOMERS; c += 1) {
  must(await app.customers.handle({ type: 'RegisterCustomer', customerId: `c-${c}`, personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, context()));
}
for (let s = 0; s < SKUS; s += 1) must(await app.inventory.handle({ type: 'ReceiveStock', sku: `SKU-${s}`, quantity: Math.ceil(orders / SKUS) + 1 }, context()));
let middle = '';
for (let n = 0; n < orders; n += 1) {
  clock.advance(1_000);
  if (n === Math.floor(orders / 2)) middle = clock.now();
  const [orderId, paymentId, customerId, sku] = [`o-${n}`, `p-${n}`, `c-${n % CUSTOMERS}`, `SKU-${n % SKUS}`];
  const shippingAddress = { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' };
  must(await app.orders.handle({ type: 'PlaceOrder', orderId, customerId, currency: 'EUR', lines: [{ sku, quantity: 1, unitPrice: 1000 }], shippingAddress }, context()));
  must(await app.inventory.handle({ type: 'ReserveStock', sku, orderId, quantity: 1 }, context()));
  must(await app.payments.handle({ type: 'RequestPayment', paymentId, orderId, amount: 1000, currency: 'EUR', paymentMethodToken: 'tok_visa' }, context()));
  must(await app.payments.handle({ type: 'CompletePayment', paymentId, transactionId: `t-${n}`, gateway: { status: 'SUCCESS', reference: `gw-${n}` } }, context()));
  must(await app.orders.handle({ type: 'ConfirmOrder', orderId, paymentId }, context()));
}
await app.catchUp();
const logged = CUSTOMERS + SKUS + orders * EVENTS_PER_ORDER;

const server = await buildHttpServer({ services: app, metrics: { exposition: async () => ({ contentType: 'text/plain', text: '' }) }, auth: await httpAuthFrom(BENCH_AUTH) });
const headers = { authorization: await benchAuthorization() };
const asOf = `asOf=${encodeURIComponent(middle)}`;
const requests: readonly (readonly [string, (i: number) => string])[] = [
  ['order summary', (i) => `/orders/o-${i}`],
  ['customer orders', (i) => `/customers/c-${i}/orders`],
  ['support history', (i) => `/customers/c-${i}/support-history`],
  ['inventory level', (i) => `/inventory/SKU-${i}`],
  ['inventory levels (all SKUs)', () => `/inventory`],
];
const REPEATS = 15;
const timed = async (url: (i: number) => string): Promise<(q: number) => string> => {
  const times: number[] = [];
  for (let i = 0; i < REPEATS + 2; i += 1) {
    const started = performance.now();
    const response = await server.inject({ method: 'GET', url: url(i), headers });
    if (response.statusCode !== 200) throw new Error(`${url(i)}: ${response.statusCode} ${response.body}`);
    if (i >= 2) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return (q) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2).padStart(8);
};
console.log(`machine: ${describeMachine()}`);
console.log(`log: ${logged} events (${CUSTOMERS} customers, ${SKUS} SKUs, ${orders} orders), ${asOf}; ${REPEATS} requests each, after 2 warm-up`);
console.log(`${'GET, in ms'.padEnd(28)} ${'?asOf p50'.padStart(10)} ${'?asOf p95'.padStart(10)} ${'live p50'.padStart(10)} ${'live p95'.padStart(10)}`);
for (const [name, url] of requests) {
  const then = await timed((i) => `${url(i)}?${asOf}`);
  const now = await timed(url);
  console.log(`${name.padEnd(28)} ${then(0.5)}   ${then(0.95)}   ${now(0.5)}   ${now(0.95)}`);
}
await server.close();
await app.close();
