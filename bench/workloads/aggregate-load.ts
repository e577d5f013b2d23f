import { RandomUuids, SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { streamIdOf } from '../../src/application/events/envelope.js';
import { MAX_EVENTS_PER_COMMIT } from '../../src/application/ports/event-store.js';
import type { SnapshotStore } from '../../src/application/ports/snapshot-store.js';
import { AggregateRepository } from '../../src/application/repository/aggregate-repository.js';
import { SnapshotPolicy } from '../../src/application/repository/snapshot-policy.js';
import { domainUpcasters } from '../../src/application/upcasting/domain-upcasters.js';
import { Aggregate, decideOrder, Order, type OrderEvent, type OrderState } from '../../src/domain/index.js';
import { metadata } from '../../test/support/event-mother.js';
import { aPlaceOrder } from '../../test/unit/mothers/order-mother.js';
import { discardMetrics } from '../discard-metrics.js';
import { latencyFigures, timeEach } from '../stats.js';
import { BenchFailure, refuseBare, type BenchTarget, type Workload, type WorkloadName } from './workload.js';

const ORDER_EVENTS = 10_000;
const LOADS = 200;

/** A deployment that never snapshots: every load folds the whole history. */
const noSnapshots: SnapshotStore = { save: async () => undefined, latest: async () => null };

const repositoryOver = (target: BenchTarget, snapshots: SnapshotStore): AggregateRepository =>
  new AggregateRepository({
    eventStore: target.store,
    snapshots,
    upcasters: domainUpcasters(),
    policy: new SnapshotPolicy(100),
    metrics: discardMetrics,
    clock: new SystemClock(),
  });

/** Order's evolve does not police transitions, so confirm/ship can alternate for as long as a long history needs. */
const filler = (index: number, now: string): OrderEvent =>
  index % 2 === 0
    ? { type: 'OrderConfirmed', data: { paymentId: `payment-${index}` }, occurredAt: now }
    : { type: 'OrderShipped', data: { carrier: 'bench-carrier', trackingNumber: `TRACK-${index}` }, occurredAt: now };

/** An order of ORDER_EVENTS events saved through the repository in full commits, so the snapshot policy runs as in production. */
const buildOrder = async (repository: AggregateRepository, orderId: string): Promise<void> => {
  const clock = new SystemClock();
  const order = new Aggregate<OrderState, OrderEvent>(Order, orderId);
  const created = order.execute((state) => decideOrder(aPlaceOrder({ orderId, now: clock.now() }), state));
  if (created.isErr()) throw new BenchFailure(`creating the order: ${created.error.code}: ${created.error.message}`);
  while (order.version < ORDER_EVENTS) {
    while (order.uncommittedEvents.length < MAX_EVENTS_PER_COMMIT && order.version < ORDER_EVENTS) order.raise(filler(order.version, clock.now()));
    const saved = await repository.save(order, metadata({ actor: 'bench' }));
    if (saved.isErr()) throw new BenchFailure(`saving order ${orderId} up to version ${order.version}: ${saved.error.code}: ${saved.error.message}`);
  }
};

/** 200 loads, one at a time, of a fresh 10,000-event order; latency percentiles. */
const aggregateLoad = (name: WorkloadName, withSnapshots: boolean): Workload => ({
  name,
  run: async (target) => {
    refuseBare(target, name);
    const repository = repositoryOver(target, withSnapshots ? target.snapshots : noSnapshots);
    const orderId = new RandomUuids().next();
    await buildOrder(repository, orderId);
    if (withSnapshots) {
      // The repository swallows a failed snapshot save by design; without this check the figure could silently be a full load.
      const snapshot = await target.snapshots.latest(streamIdOf(Order.type, orderId));
      if (snapshot?.version !== ORDER_EVENTS) throw new BenchFailure(`order ${orderId} has its newest snapshot at ${snapshot?.version ?? 'none'}, expected ${ORDER_EVENTS}`);
    }
    const durations = await timeEach(LOADS, async () => {
      const loaded = await repository.load(Order, orderId);
      if (loaded.isErr()) throw new BenchFailure(`loading order ${orderId}: ${loaded.error.code}: ${loaded.error.message}`);
      if (loaded.value.version !== ORDER_EVENTS) throw new BenchFailure(`order ${orderId} loaded at version ${loaded.value.version}, expected ${ORDER_EVENTS}`);
    });
    return latencyFigures(durations);
  },
});

export const W4_SNAPSHOT = aggregateLoad('W4-snapshot', true);
export const W4_FULL = aggregateLoad('W4-full', false);
