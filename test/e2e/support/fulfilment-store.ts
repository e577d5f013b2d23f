import type { Api } from './api-client.js';

/**
 * What a fulfilment test reads back over HTTP: orders, payments and stock as their aggregates stand now, with
 * their events where counting matters, and each order's workflow as `GET /orders/{id}/fulfilment` shows it.
 */

export const FINISHED_STEPS: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELLED']);

export interface FulfilmentView {
  readonly orderId: string;
  readonly step: string;
  readonly outcome: string | null;
  readonly paymentId: string | null;
  readonly cancelReason: string | null;
  readonly pendingDeadline: { readonly id: string; readonly dueAt: string } | null;
  readonly history: readonly { readonly at: string; readonly input: string; readonly step: string; readonly sent: readonly string[] }[];
}

export interface OrderState {
  readonly status: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
  readonly currency: string;
  readonly totalAmount: number;
  readonly paymentId: string | null;
}

export interface PaymentState {
  readonly status: string;
  readonly orderId: string | null;
  readonly amount: { readonly amount: number; readonly currency: string } | null;
  readonly refunded: number;
}

export interface InventoryState {
  readonly onHand: number;
  readonly reservations: Readonly<Record<string, number>>;
  readonly allocations: Readonly<Record<string, number>>;
}

export interface StoredEvent {
  readonly type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each event type has its own data
  readonly data: any;
}

export interface PaymentRecord {
  readonly paymentId: string;
  readonly state: PaymentState;
  readonly events: readonly StoredEvent[];
}

/** Everything the invariants are checked on, read after the workflows finished. */
export interface StoreReading {
  readonly orders: ReadonlyMap<string, OrderState>;
  readonly fulfilments: ReadonlyMap<string, FulfilmentView | null>;
  readonly payments: ReadonlyMap<string, PaymentRecord>;
  readonly inventory: ReadonlyMap<string, InventoryState>;
}

/** The workflow's payment id for an order. */
export const paymentIdOf = (orderId: string): string => `${orderId}:payment`;

/** `fn` over `items`, at most `limit` at a time, results in the items' order. */
export const mapLimited = async <T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await fn(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

const READERS = 8;

/** A resource that may not exist: its body, or null on 404; anything else is a failure of the read itself. */
const readOptional = async <T>(api: Api, path: string): Promise<T | null> => {
  const response = await api.get(path);
  if (response.status === 404) return null;
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as T;
};

const read = async <T>(api: Api, path: string): Promise<T> => {
  const found = await readOptional<T>(api, path);
  if (found === null) throw new Error(`GET ${path} answered 404`);
  return found;
};

const stateOf = async <T>(api: Api, type: string, id: string): Promise<T | null> =>
  (await readOptional<{ state: T }>(api, `/aggregates/${type}/${encodeURIComponent(id)}`))?.state ?? null;

/** A stream's events, every page. */
export const eventsOf = async (api: Api, type: string, id: string): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  for (let after: number | null = 0; after !== null; ) {
    const page: { events: StoredEvent[]; nextAfterVersion: number | null } = await read(api, `/aggregates/${type}/${encodeURIComponent(id)}/events?afterVersion=${after}&limit=1000`);
    events.push(...page.events);
    after = page.nextAfterVersion;
  }
  return events;
};

/** Which of `orderIds` the store holds an order for. */
export const storedOrders = async (api: Api, orderIds: readonly string[]): Promise<string[]> => {
  const found = await mapLimited(orderIds, READERS, async (orderId) => ((await stateOf(api, 'order', orderId)) === null ? null : orderId));
  return found.filter((orderId): orderId is string => orderId !== null);
};

export const fulfilmentsOf = async (api: Api, orderIds: readonly string[]): Promise<Map<string, FulfilmentView | null>> => {
  const views = await mapLimited(orderIds, READERS, (orderId) => readOptional<FulfilmentView>(api, `/orders/${encodeURIComponent(orderId)}/fulfilment`));
  return new Map(orderIds.map((orderId, index) => [orderId, views[index] ?? null]));
};

const describeUnfinished = (orderId: string, view: FulfilmentView | null): string => {
  if (view === null) return `${orderId}: no workflow yet`;
  const last = view.history.slice(-3).map((entry) => `${entry.input}->${entry.step}[${entry.sent.join(',')}]`);
  return `${orderId}: at ${view.step}, deadline ${view.pendingDeadline?.dueAt ?? 'none'}, last inputs ${last.join(' ')}`;
};

/**
 * Polls until every order's workflow is COMPLETED or CANCELLED; fails after `limitMs` naming the orders still in
 * flight and where each stands.
 */
export const untilEveryFulfilmentFinishes = async (api: Api, orderIds: readonly string[], limitMs: number, pollMs = 1_000): Promise<Map<string, FulfilmentView | null>> => {
  const until = Date.now() + limitMs;
  for (;;) {
    const views = await fulfilmentsOf(api, orderIds);
    const unfinished = [...views].filter(([, view]) => view === null || !FINISHED_STEPS.has(view.step));
    if (unfinished.length === 0) return views;
    if (Date.now() > until) {
      const listed = unfinished.slice(0, 10).map(([orderId, view]) => `  ${describeUnfinished(orderId, view)}`);
      throw new Error(`${unfinished.length} of ${orderIds.length} workflows were still in flight after ${limitMs} ms:\n${listed.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
};

/** Orders, their workflows, their payments (with events) and the SKUs' stock, as the store holds them now. */
export const readStore = async (api: Api, orderIds: readonly string[], skus: readonly string[]): Promise<StoreReading> => {
  const orderStates = await mapLimited(orderIds, READERS, (orderId) => read<{ state: OrderState }>(api, `/aggregates/order/${encodeURIComponent(orderId)}`));
  const orders = new Map(orderIds.map((orderId, index) => [orderId, (orderStates[index] as { state: OrderState }).state]));
  const fulfilments = await fulfilmentsOf(api, orderIds);
  const paymentIds = [...new Set(orderIds.flatMap((orderId) => [paymentIdOf(orderId), orders.get(orderId)?.paymentId ?? null]).filter((id): id is string => id !== null))];
  const payments = await mapLimited(paymentIds, READERS, async (paymentId): Promise<PaymentRecord | null> => {
    const state = await stateOf<PaymentState>(api, 'payment', paymentId);
    return state === null ? null : { paymentId, state, events: await eventsOf(api, 'payment', paymentId) };
  });
  const stock = await mapLimited(skus, READERS, async (sku) => (await stateOf<InventoryState>(api, 'inventory', sku)) ?? { onHand: 0, reservations: {}, allocations: {} });
  return {
    orders,
    fulfilments,
    payments: new Map(payments.filter((record): record is PaymentRecord => record !== null).map((record) => [record.paymentId, record])),
    inventory: new Map(skus.map((sku, index) => [sku, stock[index] as InventoryState])),
  };
};
