import { randomUUID } from 'node:crypto';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import type { Result } from 'neverthrow';
import type { CommandError, CommandOutcome } from '../../src/application/commands/command-error.js';
import type { CommandContext } from '../../src/application/commands/command-executor.js';
import type { App } from '../../src/main/app.js';
import { BenchFailure } from './workload.js';

/** Share of orders placed by a customer registered for them; the others reuse one of their lane's customers. */
const NEW_CUSTOMER = 0.25;
const PAYMENT_FAILURE = 0.05;
const SUPPORT_CONTACT = 0.03;
const SKUS = 500;
/** Stock received when a reservation finds too little: most reservations find stock; a few receive first. */
const RESTOCK = 200;
/** A client's own retries of a command the executor gave up on after its retries (a hot SKU). */
const CLIENT_RETRIES = 5;

export interface LoadOptions {
  /** Offered events per second: every command appends one event, so commands are paced at this rate. */
  readonly rate: number;
  readonly seconds: number;
  readonly inFlight: number;
}

/** The events one acknowledged command committed: `types[i]` is at version `version - types.length + 1 + i`. */
export interface Acknowledged {
  readonly streamId: string;
  readonly version: number;
  readonly types: readonly string[];
}

export interface LoadOutcome {
  readonly commands: number;
  readonly events: number;
  /** From the first command to the last acknowledgement. */
  readonly seconds: number;
  /** Per command kind, each command's latency in ms (its client retries included). */
  readonly latencies: ReadonlyMap<string, readonly number[]>;
  readonly clientRetries: number;
  readonly customers: readonly string[];
}

/** The load is over: a lane abandons its journey where it is. */
class LoadOver extends Error {}

const context = (): CommandContext => ({ metadata: { correlationId: randomUUID(), causationId: null, actor: 'bench-adr' } });
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const SHIPPING = { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' };
const TAX_RATE = 2300;

/**
 * A mixed order/payment/inventory load through the application's use cases: `inFlight` lanes each run order
 * journeys one after another (customer registered or reused, order placed with one to three lines, each line's
 * stock reserved (received first when short), payment requested and completed; then the order confirmed, its
 * stock allocated, shipped and delivered, or on a failed payment cancelled and its reservations released;
 * now and then a support contact). Commands start on a shared schedule at `rate` per second until `seconds`
 * have passed; a journey under way then stops where it is. Any refusal the journey does not expect fails the run.
 */
export const runAdrLoad = async (app: App, options: LoadOptions, onAcknowledged: (ack: Acknowledged, at: number) => void): Promise<LoadOutcome> => {
  const skus = Array.from({ length: SKUS }, (_, index) => `SKU-${String(index).padStart(4, '0')}`);
  const latencies = new Map<string, number[]>();
  const customers: string[] = [];
  let issued = 0;
  let events = 0;
  let clientRetries = 0;
  let lastAck = 0;
  // Free text the domain scans for card numbers (transaction ids, gateway references): no UUIDs, whose digits can pass Luhn.
  let references = 0;
  const reference = (prefix: string): string => `${prefix}-${(references++).toString(36)}`;
  let failure: Error | null = null;
  const started = performance.now();
  const deadline = started + options.seconds * 1_000;

  /** Waits for the command's slot on the schedule; LoadOver once the time is up or another lane failed. */
  const slot = async (): Promise<void> => {
    const due = started + (issued * 1_000) / options.rate;
    issued += 1;
    const wait = due - performance.now();
    // Behind schedule, still start in a macrotask of its own, as a command arriving over the network would: on the
    // in-memory store nothing else yields, and the projections' poll timers would never fire during the load.
    if (wait > 0) await sleep(wait);
    else await setImmediate();
    if (failure !== null || performance.now() >= deadline) throw new LoadOver();
  };

  /** Runs one command in its slot; conflicts the executor gave up on are retried; other refusals are returned. */
  const command = async (kind: string, run: () => Promise<Result<CommandOutcome, CommandError>>): Promise<Result<CommandOutcome, CommandError>> => {
    await slot();
    const begun = performance.now();
    let result = await run();
    for (let retry = 1; retry <= CLIENT_RETRIES && result.isErr() && result.error.code === 'EVENT_STORE.CONCURRENCY_CONFLICT'; retry += 1) {
      clientRetries += 1;
      result = await run();
    }
    const at = performance.now();
    const times = latencies.get(kind);
    if (times === undefined) latencies.set(kind, [at - begun]);
    else times.push(at - begun);
    if (result.isOk()) {
      events += result.value.eventTypes.length;
      lastAck = at;
      onAcknowledged({ streamId: result.value.streamId, version: result.value.version, types: result.value.eventTypes }, at);
    }
    return result;
  };

  /** A command the journey needs to succeed. */
  const must = async (kind: string, run: () => Promise<Result<CommandOutcome, CommandError>>): Promise<void> => {
    const result = await command(kind, run);
    if (result.isErr()) throw new BenchFailure(`${kind} was refused: ${result.error.code}: ${result.error.message}`);
  };

  const reserve = async (sku: string, orderId: string, quantity: number): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      const reserved = await command('reserve stock', () => app.inventory.handle({ type: 'ReserveStock', sku, orderId, quantity }, context()));
      if (reserved.isOk()) return;
      if (reserved.error.code !== 'INVENTORY.INSUFFICIENT_STOCK' || attempt > 3) throw new BenchFailure(`reserve stock was refused: ${reserved.error.code}: ${reserved.error.message}`);
      await must('receive stock', () => app.inventory.handle({ type: 'ReceiveStock', sku, quantity: RESTOCK }, context()));
    }
  };

  const journey = async (own: string[]): Promise<void> => {
    let customerId: string;
    if (own.length === 0 || Math.random() < NEW_CUSTOMER) {
      customerId = `c-${randomUUID()}`;
      await must('register customer', () => app.customers.handle({ type: 'RegisterCustomer', customerId, personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' } }, context()));
      own.push(customerId);
      customers.push(customerId);
    } else customerId = pick(own);
    const orderId = `o-${randomUUID()}`;
    const chosen = new Set<string>();
    const lineCount = 1 + Math.floor(Math.random() * 3);
    while (chosen.size < lineCount) chosen.add(pick(skus));
    const lines = [...chosen].map((sku) => ({ sku, quantity: 1 + Math.floor(Math.random() * 3), unitPrice: 500 + Math.floor(Math.random() * 5_000) }));
    await must('place order', () => app.orders.handle({ type: 'PlaceOrder', orderId, customerId, currency: 'EUR', taxRate: TAX_RATE, lines, shippingAddress: SHIPPING }, context()));
    for (const line of lines) await reserve(line.sku, orderId, line.quantity);
    const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    const amount = subtotal + Math.floor((subtotal * TAX_RATE + 5_000) / 10_000);
    const paymentId = `p-${randomUUID()}`;
    await must('request payment', () => app.payments.handle({ type: 'RequestPayment', paymentId, orderId, amount, currency: 'EUR', paymentMethodToken: 'tok_visa_4242' }, context()));
    const paid = Math.random() >= PAYMENT_FAILURE;
    const gateway = paid ? ({ status: 'SUCCESS', reference: reference('gw') } as const) : ({ status: 'FAILURE', error: 'card declined' } as const);
    const transactionId = reference('txn');
    await must('complete payment', () => app.payments.handle({ type: 'CompletePayment', paymentId, transactionId, gateway }, context()));
    if (paid) {
      await must('confirm order', () => app.orders.handle({ type: 'ConfirmOrder', orderId, paymentId }, context()));
      for (const line of lines) await must('allocate stock', () => app.inventory.handle({ type: 'AllocateReservation', sku: line.sku, orderId }, context()));
      await must('ship order', () => app.orders.handle({ type: 'ShipOrder', orderId, carrier: 'DHL', trackingNumber: reference('TRK') }, context()));
      await must('deliver order', () => app.orders.handle({ type: 'DeliverOrder', orderId }, context()));
    } else {
      await must('cancel order', () => app.orders.handle({ type: 'CancelOrder', orderId, reason: 'payment failed' }, context()));
      for (const line of lines) await must('release stock', () => app.inventory.handle({ type: 'ReleaseReservation', sku: line.sku, orderId }, context()));
    }
    if (Math.random() < SUPPORT_CONTACT) {
      await must('record support contact', () => app.customers.handle({ type: 'RecordSupportInteraction', customerId, channel: 'EMAIL', summary: 'asked where the parcel is', agent: 'agent-7', orderId }, context()));
    }
  };

  const lane = async (): Promise<void> => {
    const own: string[] = [];
    try {
      for (;;) await journey(own);
    } catch (error) {
      if (error instanceof LoadOver) return;
      failure ??= error instanceof Error ? error : new Error(String(error));
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, lane));
  if (failure !== null) throw failure;
  const commands = [...latencies.values()].reduce((sum, times) => sum + times.length, 0);
  return { commands, events, seconds: (Math.max(lastAck, started) - started) / 1_000, latencies, clientRetries, customers };
};
