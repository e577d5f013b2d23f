import { randomUUID } from 'node:crypto';
import { streamIdOf, type NewEvent } from '../../src/application/events/envelope.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import { domainUpcasters } from '../../src/application/upcasting/domain-upcasters.js';
import { Customer, Order, type CustomerEvent, type OrderEvent } from '../../src/domain/index.js';
import { metadata } from '../../test/support/event-mother.js';
import { anOrderCreated } from '../../test/unit/mothers/order-mother.js';
import { BenchFailure } from './workload.js';

/** One commit to a new stream. */
export interface NewStreamCommit {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

const ORDERS_PER_CUSTOMER = 10;
const upcasters = domainUpcasters();

const toNew = (event: OrderEvent | CustomerEvent): NewEvent => ({
  type: event.type,
  schemaVersion: upcasters.currentVersion(event.type),
  data: event.data,
  metadata: metadata({ actor: 'bench' }),
  occurredAt: event.occurredAt,
});

export const orderCreated = (customerId: string, now: string): NewEvent => {
  const created = anOrderCreated();
  return toNew({ ...created, occurredAt: now, data: { ...created.data, customerId } });
};

/** An order's life after creation, in the order the domain allows it. */
const lifecycle = (orderId: string, now: string): NewEvent[] =>
  [
    { type: 'OrderConfirmed', occurredAt: now, data: { paymentId: `payment-${orderId}` } } as const,
    { type: 'OrderShipped', occurredAt: now, data: { carrier: 'DHL', trackingNumber: `TRACK-${orderId}` } } as const,
    { type: 'OrderDelivered', occurredAt: now, data: { deliveredAt: now } } as const,
  ].map(toNew);

export interface OrderLog {
  readonly commits: readonly NewStreamCommit[];
  /** Events the order summary projection handles (every Order event). */
  readonly orderEvents: number;
  /** The first customer and how many orders the log places for it. */
  readonly sampleCustomer: { readonly customerId: string; readonly orders: number };
}

/**
 * A log of exactly `total` events: customers registered, each followed by ten orders committed whole
 * (created, confirmed, shipped, delivered). The last commit is cut short to make the count exact.
 */
export const orderLog = (total: number): OrderLog => {
  const now = new Date().toISOString();
  const commits: NewStreamCommit[] = [];
  let remaining = total;
  let orderEvents = 0;
  const take = (streamId: string, events: NewEvent[], countsAsOrder: boolean): void => {
    const kept = events.slice(0, remaining);
    if (kept.length === 0) return;
    commits.push({ streamId, events: kept });
    remaining -= kept.length;
    if (countsAsOrder) orderEvents += kept.length;
  };
  const sampleCustomer = { customerId: randomUUID(), orders: 0 };
  while (remaining > 0) {
    const customerId = commits.length === 0 ? sampleCustomer.customerId : randomUUID();
    take(
      streamIdOf(Customer.type, customerId),
      [toNew({ type: 'CustomerRegistered', occurredAt: now, data: { personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' } } })],
      false,
    );
    for (let order = 0; order < ORDERS_PER_CUSTOMER && remaining > 0; order += 1) {
      const orderId = randomUUID();
      take(streamIdOf(Order.type, orderId), [orderCreated(customerId, now), ...lifecycle(orderId, now)], true);
      if (customerId === sampleCustomer.customerId) sampleCustomer.orders += 1;
    }
  }
  return { commits, orderEvents, sampleCustomer };
};

/** Appends every commit to its new stream, `inFlight` at a time; any refusal aborts. */
export const appendAll = async (store: EventStore, commits: readonly NewStreamCommit[], inFlight: number): Promise<void> => {
  let next = 0;
  let failure: Error | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < commits.length) {
      const commit = commits[next] as NewStreamCommit;
      next += 1;
      const appended = await store.append(commit.streamId, [...commit.events], 0);
      if (appended.isErr()) failure ??= new BenchFailure(`appending to new stream ${commit.streamId} was refused: ${appended.error.code}: ${appended.error.message}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  if (failure !== null) throw failure;
};
