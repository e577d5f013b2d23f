import type { Api } from './api-client.js';
import { NEVER_CONFIRMED, type Checkout } from './checkouts.js';
import { eventsOf, FINISHED_STEPS, paymentIdOf, type OrderState, type PaymentRecord, type StoreReading } from './fulfilment-store.js';

/**
 * The promises order fulfilment makes once every workflow has finished, each broken one said in words that name
 * the order, SKU or payment it is about.
 */

export interface BrokenInvariant {
  /** The order the broken promise is about, when there is one: its story is told with the failure. */
  readonly orderId: string | null;
  readonly message: string;
}

const broken = (orderId: string | null, message: string): BrokenInvariant => ({ orderId, message });

const sumOf = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);

const count = (record: PaymentRecord | undefined, type: string): number => record?.events.filter((event) => event.type === type).length ?? 0;

const refundedBy = (record: PaymentRecord): number => sumOf(record.events.filter((event) => event.type === 'PaymentRefunded').map((event) => Number(event.data.amount.amount)));

const capturedAmount = (record: PaymentRecord): number => (count(record, 'PaymentProcessed') > 0 ? (record.state.amount?.amount ?? 0) : 0);

/** A confirmed order: every line allocated to it in full, nothing left reserved, paid by a processed payment of its own, for its total. */
const confirmedOrder = (reading: StoreReading, orderId: string, order: OrderState, checkout: Checkout | undefined): BrokenInvariant[] => {
  const found: BrokenInvariant[] = [];
  if (checkout !== undefined && NEVER_CONFIRMED.has(checkout.kind)) found.push(broken(orderId, `order ${orderId} (a ${checkout.kind} checkout) was confirmed`));
  for (const line of order.lines) {
    const stock = reading.inventory.get(line.sku);
    const allocated = stock?.allocations[orderId] ?? 0;
    if (allocated !== line.quantity) found.push(broken(orderId, `order ${orderId} is confirmed for ${line.quantity} of ${line.sku} but ${allocated} are allocated to it`));
    const reserved = stock?.reservations[orderId];
    if (reserved !== undefined) found.push(broken(orderId, `order ${orderId} is confirmed yet still holds ${reserved} of ${line.sku} reserved`));
  }
  const paymentId = order.paymentId;
  if (paymentId === null) return [...found, broken(orderId, `order ${orderId} is confirmed without a payment`)];
  const payment = reading.payments.get(paymentId);
  if (payment === undefined) return [...found, broken(orderId, `order ${orderId} is confirmed with payment ${paymentId}, which does not exist`)];
  const { status, orderId: paidFor, amount } = payment.state;
  if (status !== 'PROCESSED') found.push(broken(orderId, `order ${orderId} is confirmed with payment ${paymentId}, which is ${status}, not PROCESSED`));
  if (paidFor !== orderId) found.push(broken(orderId, `order ${orderId} is confirmed with payment ${paymentId}, which is for order ${paidFor}`));
  if (amount?.amount !== order.totalAmount || amount.currency !== order.currency) {
    found.push(broken(orderId, `order ${orderId} totals ${order.totalAmount} ${order.currency} but is confirmed with payment ${paymentId} of ${amount?.amount} ${amount?.currency}`));
  }
  return found;
};

/** A cancelled order: nothing reserved or allocated for it anywhere, its payment not pending, anything captured refunded in full. */
const cancelledOrder = (reading: StoreReading, orderId: string): BrokenInvariant[] => {
  const found: BrokenInvariant[] = [];
  for (const [sku, stock] of reading.inventory) {
    const reserved = stock.reservations[orderId];
    if (reserved !== undefined) found.push(broken(orderId, `order ${orderId} is cancelled yet ${sku} still holds ${reserved} reserved for it`));
    const allocated = stock.allocations[orderId];
    if (allocated !== undefined) found.push(broken(orderId, `order ${orderId} is cancelled yet ${sku} has ${allocated} allocated to it`));
  }
  const payment = reading.payments.get(paymentIdOf(orderId));
  if (payment === undefined) return found;
  const { paymentId } = payment;
  if (payment.state.status === 'REQUESTED') found.push(broken(orderId, `order ${orderId} is cancelled yet its payment ${paymentId} is still pending (REQUESTED)`));
  const captured = capturedAmount(payment);
  const refunded = refundedBy(payment);
  if (captured > 0 && refunded !== captured) found.push(broken(orderId, `order ${orderId} is cancelled; its payment ${paymentId} captured ${captured} and refunded ${refunded}`));
  return found;
};

/** Every payment: captured at most once, one answer from the gateway at most, never refunded beyond what was captured. */
const paymentPromises = (record: PaymentRecord): BrokenInvariant[] => {
  const found: BrokenInvariant[] = [];
  const orderId = record.state.orderId;
  const captures = count(record, 'PaymentProcessed');
  if (captures > 1) found.push(broken(orderId, `payment ${record.paymentId} was captured ${captures} times`));
  const answers = record.events.filter((event) => event.type === 'PaymentProcessed' || event.type === 'PaymentFailed').map((event) => event.type);
  if (answers.length > 1) found.push(broken(orderId, `payment ${record.paymentId} recorded ${answers.length} gateway outcomes: ${answers.join(', ')}`));
  const refunded = refundedBy(record);
  if (refunded > capturedAmount(record)) found.push(broken(orderId, `payment ${record.paymentId} refunded ${refunded}, more than the ${capturedAmount(record)} it captured`));
  return found;
};

/** Every SKU: nothing reserved by a finished workflow, allocations only to confirmed orders, stock never over-promised. */
const stockPromises = (reading: StoreReading, sku: string, received: number): BrokenInvariant[] => {
  const stock = reading.inventory.get(sku);
  if (stock === undefined) return [broken(null, `${sku} has no inventory`)];
  const found: BrokenInvariant[] = [];
  for (const [orderId, quantity] of Object.entries(stock.reservations)) {
    const step = reading.fulfilments.get(orderId)?.step ?? 'no workflow';
    if (FINISHED_STEPS.has(step) || !reading.orders.has(orderId)) found.push(broken(orderId, `${sku} holds ${quantity} reserved for order ${orderId}, whose workflow is ${step}`));
  }
  for (const [orderId, quantity] of Object.entries(stock.allocations)) {
    const status = reading.orders.get(orderId)?.status ?? 'unknown';
    if (status !== 'CONFIRMED') found.push(broken(orderId, `${sku} has ${quantity} allocated to order ${orderId}, which is ${status}`));
  }
  const reserved = sumOf(Object.values(stock.reservations));
  const allocated = sumOf(Object.values(stock.allocations));
  if (stock.onHand !== received) found.push(broken(null, `${sku} has ${stock.onHand} on hand; the warehouse received ${received}`));
  if (stock.onHand < reserved + allocated) found.push(broken(null, `${sku} promises more than it holds: ${stock.onHand} on hand, ${reserved} reserved, ${allocated} allocated`));
  return found;
};

/** Every promise broken in `reading`, once every workflow has finished; an empty list when all hold. */
export const brokenInvariants = (reading: StoreReading, checkouts: ReadonlyMap<string, Checkout>, stockReceived: Readonly<Record<string, number>>): BrokenInvariant[] => {
  const found: BrokenInvariant[] = [];
  for (const [orderId, order] of reading.orders) {
    const view = reading.fulfilments.get(orderId) ?? null;
    if (view === null || !FINISHED_STEPS.has(view.step)) {
      found.push(broken(orderId, `order ${orderId}'s workflow is ${view?.step ?? 'missing'}, not finished`));
      continue;
    }
    const expected = view.step === 'COMPLETED' ? 'CONFIRMED' : 'CANCELLED';
    if (order.status !== expected) found.push(broken(orderId, `order ${orderId} is ${order.status} but its workflow ended ${view.step} (${view.outcome})`));
    if (order.status === 'CONFIRMED') found.push(...confirmedOrder(reading, orderId, order, checkouts.get(orderId)));
    else if (order.status === 'CANCELLED') found.push(...cancelledOrder(reading, orderId));
  }
  for (const record of reading.payments.values()) found.push(...paymentPromises(record));
  for (const [sku, received] of Object.entries(stockReceived)) found.push(...stockPromises(reading, sku, received));
  return found;
};

/**
 * The story of the orders a failure is about (at most `limit`): the checkout, the workflow's history and the
 * events of the order and its payment, so that a failure can be read without a debugger.
 */
export const storiesOf = async (api: Api, reading: StoreReading, checkouts: ReadonlyMap<string, Checkout>, orderIds: readonly string[], limit = 3): Promise<string> => {
  const stories: string[] = [];
  for (const orderId of [...new Set(orderIds)].slice(0, limit)) {
    const checkout = checkouts.get(orderId);
    const view = reading.fulfilments.get(orderId) ?? null;
    const orderEvents = reading.orders.has(orderId) ? await eventsOf(api, 'order', orderId) : [];
    const payment = reading.payments.get(paymentIdOf(orderId));
    const history = (view?.history ?? []).map((entry) => `    ${entry.at} ${entry.input} -> ${entry.step} [${entry.sent.join(', ')}]`);
    stories.push(
      [
        `order ${orderId}: ${checkout?.kind ?? '?'} checkout, token ${checkout?.paymentMethodToken ?? 'none'}, lines ${JSON.stringify(checkout?.lines.map(({ sku, quantity }) => [sku, quantity]))}`,
        `  workflow: ${view?.step ?? 'none'} (${view?.outcome ?? '-'}) ${view?.cancelReason ?? ''}`,
        ...history,
        `  order events: ${orderEvents.map((event) => event.type).join(', ')}`,
        `  payment ${paymentIdOf(orderId)}: ${payment === undefined ? 'none' : `${payment.state.status}; ${payment.events.map((event) => event.type).join(', ')}`}`,
      ].join('\n'),
    );
  }
  return stories.join('\n');
};
