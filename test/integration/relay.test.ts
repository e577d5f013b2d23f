import { beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemoryDeadLetterStore } from '../../src/adapters/memory/in-memory-dead-letter-store.js';
import { InMemoryEventStore } from '../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryPublisher } from '../../src/adapters/memory/in-memory-publisher.js';
import { InMemoryCheckpointStore } from '../../src/adapters/memory/in-memory-stores.js';
import { FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import type { CheckpointStore } from '../../src/application/ports/checkpoint-store.js';
import { FeedPositionExpiredError, type CommittedEventFeed, type FeedBatch } from '../../src/application/ports/committed-event-feed.js';
import type { EventArchive } from '../../src/application/ports/event-archive.js';
import { PublishFailedError, type EventPublisher } from '../../src/application/ports/event-publisher.js';
import type { EventStore, StreamReadOptions } from '../../src/application/ports/event-store.js';
import { EventRelay, relayName, type RelayDeps } from '../../src/application/relay/event-relay.js';
import { GlobalLogArchive, GlobalLogFeed } from '../../src/application/subscriptions/global-log-feed.js';
import { Subscription, type SubscriptionOptions } from '../../src/application/subscriptions/subscription.js';
import { domainUpcasters } from '../../src/application/upcasting/domain-upcasters.js';
import { anEvent, events } from '../support/event-mother.js';
import { SILENT_LOGGER } from '../../src/adapters/logs/silent-logger.js';

const RELAY = relayName('test-bus');
const A = 'Order-a';
const B = 'Order-b';

/** A checkpoint store whose `failOn`-th save of the relay's position throws: the process dies after the bus took a batch, before its checkpoint. */
class CrashingCheckpoints implements CheckpointStore {
  #saves = 0;
  constructor(
    readonly inner: InMemoryCheckpointStore,
    private readonly failOn: number,
  ) {}
  load(subscriber: string): Promise<string | null> {
    return this.inner.load(subscriber);
  }
  async save(subscriber: string, position: string, fence?: number): Promise<void> {
    if (subscriber === RELAY) {
      this.#saves += 1;
      if (this.#saves === this.failOn) throw new Error('process killed between publish and checkpoint');
    }
    await this.inner.save(subscriber, position, fence);
  }
  remove(subscriber: string): Promise<void> {
    return this.inner.remove(subscriber);
  }
}

/** A bus that is down (throttling past its retry budget) while `down` is set; remembers when it was called. */
class OutagePublisher implements EventPublisher {
  down = true;
  readonly calls: number[] = [];
  constructor(readonly inner: InMemoryPublisher) {}
  async publish(batch: readonly EventEnvelope[]): Promise<void> {
    this.calls.push(performance.now());
    if (this.down) throw new PublishFailedError('EVENT_BUS.UNAVAILABLE', 'bus throttled past the retry budget');
    await this.inner.publish(batch);
  }
}

/** The global log with some records left out, as a stream source that lost them would deliver it. */
class OmittingFeed implements CommittedEventFeed {
  constructor(
    private readonly inner: CommittedEventFeed,
    private readonly omit: (event: EventEnvelope) => boolean,
  ) {}
  async read(position: string | null, limit: number): Promise<FeedBatch> {
    const batch = await this.inner.read(position, limit);
    return { events: batch.events.filter((event) => !this.omit(event)), position: batch.position };
  }
  behind(position: string | null): Promise<number | null> {
    return this.inner.behind(position);
  }
}

/** The global log, refusing saved positions (trimmed past retention) while `expired` is set. */
class ExpiringFeed implements CommittedEventFeed {
  expired = false;
  constructor(private readonly inner: CommittedEventFeed) {}
  async read(position: string | null, limit: number): Promise<FeedBatch> {
    if (this.expired && position !== null) throw new FeedPositionExpiredError(`position ${position} was trimmed`);
    return this.inner.read(position, limit);
  }
  behind(position: string | null): Promise<number | null> {
    return this.inner.behind(position);
  }
}

/** A store that lacks some versions of a stream: what a consistent read finds when the store itself has a hole. */
class HoleyStore implements EventStore {
  constructor(
    private readonly inner: InMemoryEventStore,
    private readonly lacks: (event: EventEnvelope) => boolean,
  ) {}
  append: EventStore['append'] = (...args) => this.inner.append(...args);
  readByType: EventStore['readByType'] = (...args) => this.inner.readByType(...args);
  async readStream(streamId: string, options?: StreamReadOptions): Promise<EventEnvelope[]> {
    return (await this.inner.readStream(streamId, options)).filter((event) => !this.lacks(event));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const versionsOf = (published: readonly EventEnvelope[]): string[] => published.map((event) => `${event.streamId}@${event.version}`);
const idsOf = (published: readonly EventEnvelope[]): string[] => published.map((event) => event.eventId);

let clock: FixedClock;
let store: InMemoryEventStore;
let metrics: InMemoryMetrics;
let publisher: InMemoryPublisher;
let deadLetters: InMemoryDeadLetterStore;

beforeEach(() => {
  clock = new FixedClock('2026-03-01T09:00:00.000Z');
  store = new InMemoryEventStore(clock);
  metrics = new InMemoryMetrics();
  publisher = new InMemoryPublisher();
  deadLetters = new InMemoryDeadLetterStore();
});

const append = async (streamId: string, count: number, expected: number | 'no-stream'): Promise<void> => {
  (await store.append(streamId, events(count), expected))._unsafeUnwrap();
};

/** Two orders whose commits interleave, some of them several events at once: 7 events. */
const interleavedOrders = async (): Promise<EventEnvelope[]> => {
  await append(A, 2, 'no-stream');
  await append(B, 1, 'no-stream');
  await append(A, 1, 2);
  await append(B, 3, 1);
  return store.readAll(0, 100);
};

interface Rig {
  readonly feed?: CommittedEventFeed;
  readonly checkpoints: CheckpointStore;
  readonly publisher?: EventPublisher;
  readonly store?: EventStore;
  readonly archive?: EventArchive;
  readonly options?: Partial<SubscriptionOptions>;
}

/** A fresh relay (as after a restart: it remembers nothing) under a subscription without a lease. */
const relaySubscription = (rig: Rig): Subscription => {
  const deps: RelayDeps = {
    store: rig.store ?? store,
    archive: rig.archive ?? new GlobalLogArchive(store),
    checkpoints: rig.checkpoints,
    publisher: rig.publisher ?? publisher,
    deadLetters,
    upcasters: domainUpcasters(),
    metrics,
    clock,
    logger: SILENT_LOGGER,
  };
  return new Subscription(
    { feed: rig.feed ?? new GlobalLogFeed(store), checkpoints: rig.checkpoints, leases: null, metrics, clock, logger: SILENT_LOGGER },
    new EventRelay(deps, { name: RELAY, rememberedStreams: 1_000 }),
    { owner: 'relay-test', batchSize: 3, leaseTtlMs: 15_000, retryBaseMs: 10, retryMaxMs: 40, ...rig.options },
  );
};

describe('relay: committed events to the bus, at least once', () => {
  it('publishes every committed event in commit order and checkpoints after each accepted batch', async () => {
    const committed = await interleavedOrders();
    const checkpoints = new InMemoryCheckpointStore();
    const relay = relaySubscription({ checkpoints });
    expect(await relay.catchUp()).toBe(7);
    expect(idsOf(publisher.published)).toEqual(idsOf(committed));
    expect(versionsOf(publisher.published)).toEqual([`${A}@1`, `${A}@2`, `${B}@1`, `${A}@3`, `${B}@2`, `${B}@3`, `${B}@4`]);
    expect(await checkpoints.load(RELAY)).toBe('7');
    await append('Order-c', 2, 'no-stream');
    expect(await relay.catchUp()).toBe(2);
    expect(publisher.published).toHaveLength(9);
    expect(await checkpoints.load(RELAY)).toBe('9');
    expect(await relay.catchUp()).toBe(0);
  });

  it('re-publishes the batch whose checkpoint a crash lost, and loses nothing', async () => {
    const ids = idsOf(await interleavedOrders());
    const checkpoints = new CrashingCheckpoints(new InMemoryCheckpointStore(), 2);
    await expect(relaySubscription({ checkpoints }).catchUp()).rejects.toThrow('process killed between publish and checkpoint');
    // The bus took events 4 to 6, but the checkpoint still says 3.
    expect(idsOf(publisher.published)).toEqual(ids.slice(0, 6));
    expect(await checkpoints.load(RELAY)).toBe('3');

    const restarted = relaySubscription({ checkpoints });
    expect(await restarted.catchUp()).toBe(4);
    expect(idsOf(publisher.published)).toEqual([...ids.slice(0, 6), ...ids.slice(3)]);
    expect(new Set(idsOf(publisher.published))).toEqual(new Set(ids));
    expect(await checkpoints.load(RELAY)).toBe('7');
  });

  it('rides out a bus outage under start(): retrying with growing back-off, then publishing everything', async () => {
    const committed = await interleavedOrders();
    const bus = new InMemoryPublisher();
    const outage = new OutagePublisher(bus);
    const checkpoints = new InMemoryCheckpointStore();
    const relay = relaySubscription({ checkpoints, publisher: outage });
    relay.start(5);
    try {
      await vi.waitFor(
        () => {
          expect(outage.calls.length).toBeGreaterThanOrEqual(5);
          expect(relay.status().state).toBe('retrying');
        },
        { timeout: 10_000, interval: 2 },
      );
      // Read in one go: a failed run counts its retry and records the metric together.
      const status = relay.status();
      const retries = metrics.samples('SubscriptionRetries');
      expect(status).toMatchObject({ state: 'retrying', lastError: 'bus throttled past the retry budget' });
      expect(status.retries).toBeGreaterThanOrEqual(4);
      expect(retries).toHaveLength(status.retries);
      expect(retries[0]).toEqual({ name: 'SubscriptionRetries', value: 1, unit: 'Count', dimensions: { Consumer: RELAY } });
      expect(bus.published).toEqual([]);
      expect(await checkpoints.load(RELAY)).toBeNull();
      // Back-off doubles from 10 ms (with jitter: at least half of it): the 4th attempt waits at least 20 ms, where polling would wait 5.
      const gaps = outage.calls.slice(1).map((at, i) => at - (outage.calls[i] as number));
      expect(gaps[2]).toBeGreaterThanOrEqual(19);
      expect(gaps[3]).toBeGreaterThanOrEqual(19);

      outage.down = false;
      await vi.waitFor(() => expect(bus.published).toHaveLength(7), { timeout: 10_000, interval: 5 });
    } finally {
      await relay.stop();
    }
    expect(idsOf(bus.published)).toEqual(idsOf(committed));
    expect(await checkpoints.load(RELAY)).toBe('7');
    expect(relay.status()).toMatchObject({ state: 'idle', retries: 0, lastError: null });
  });

  it('publishes a stored event upcast to the current schema, saying which schema it is stored in', async () => {
    const shippingAddress = { line1: '1 Main St', city: 'Lisbon', postalCode: '1000-001', country: 'PT' };
    const v1 = anEvent({ type: 'OrderCreated', schemaVersion: 1, data: { customerId: 'c-1', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 700 }], totalAmount: 700, shippingAddress } });
    const current = anEvent();
    (await store.append('Order-v1', [v1], 'no-stream'))._unsafeUnwrap();
    (await store.append('Order-v3', [current], 'no-stream'))._unsafeUnwrap();
    const [v1Id, currentId] = [(await store.readStream('Order-v1'))[0]?.eventId, (await store.readStream('Order-v3'))[0]?.eventId];
    expect(await relaySubscription({ checkpoints: new InMemoryCheckpointStore() }).catchUp()).toBe(2);
    const [old, recent] = publisher.published;
    expect(old).toMatchObject({
      eventId: v1Id,
      type: 'OrderCreated',
      schemaVersion: 3,
      storedSchemaVersion: 1,
      data: { customerId: 'c-1', currency: 'USD', totalAmount: 700, taxAmount: 0, taxRate: 0, shippingAddress },
    });
    expect(recent).toMatchObject({ eventId: currentId, schemaVersion: 3, storedSchemaVersion: 3, data: current.data });
    // The store keeps the event as it was written.
    const [stored] = await store.readStream('Order-v1');
    expect(stored?.schemaVersion).toBe(1);
    expect(stored?.data).not.toHaveProperty('currency');
  });
});

describe('relay: per-stream order without one stream holding back the others', () => {
  it('reads a version missing from the feed from the store and publishes the stream in order', async () => {
    await append(A, 1, 'no-stream');
    await append(B, 1, 'no-stream');
    await append(A, 1, 1);
    await append(B, 1, 1);
    await append(A, 1, 2);
    await append(B, 1, 2);
    const feed = new OmittingFeed(new GlobalLogFeed(store), (event) => event.streamId === A && event.version === 2);
    const checkpoints = new InMemoryCheckpointStore();
    expect(await relaySubscription({ checkpoints, feed, options: { batchSize: 2 } }).catchUp()).toBe(6);
    expect(versionsOf(publisher.published)).toEqual([`${A}@1`, `${B}@1`, `${B}@2`, `${A}@2`, `${A}@3`, `${B}@3`]);
    expect(versionsOf(publisher.published.filter((event) => event.streamId === A))).toEqual([`${A}@1`, `${A}@2`, `${A}@3`]);
    expect(publisher.published.find((event) => event.streamId === A && event.version === 2)?.storedSchemaVersion).toBe(3);
    expect(metrics.samples('SubscriptionHoles')).toEqual([expect.objectContaining({ dimensions: { Consumer: RELAY, Result: 'Filled' } })]);
    expect(await deadLetters.list(10)).toEqual([]);
    expect(await checkpoints.load(RELAY)).toBe('6');
  });

  it('dead-letters a version that follows one the store lacks too, and goes on with every stream', async () => {
    await append(A, 1, 'no-stream');
    await append(B, 1, 'no-stream');
    await append(A, 2, 1);
    await append(B, 1, 1);
    await append(A, 1, 3);
    await append(B, 1, 2);
    const [lost, holed] = (await store.readStream(A)).slice(1, 3) as [EventEnvelope, EventEnvelope];
    const missing = (event: EventEnvelope): boolean => event.eventId === lost.eventId;
    const feed = new OmittingFeed(new GlobalLogFeed(store), missing);
    const checkpoints = new InMemoryCheckpointStore();
    const relay = relaySubscription({ checkpoints, feed, store: new HoleyStore(store, missing) });
    // Batches: [A1 B1 (A2)], [A3 B2 A4], [B3]: A3 comes after A1 in a later batch, beside events that must not wait.
    expect(await relay.catchUp()).toBe(5);
    expect(versionsOf(publisher.published)).toEqual([`${A}@1`, `${B}@1`, `${B}@2`, `${A}@4`, `${B}@3`]);
    expect(relay.status().state).not.toBe('stopped');
    expect(await checkpoints.load(RELAY)).toBe('7');

    const letters = await deadLetters.list(10);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ code: 'RELAY.STREAM_HOLE', busErrorCode: null, deadLetteredAt: clock.now() });
    expect(letters[0]?.event).toMatchObject({ eventId: holed.eventId, streamId: A, version: 3, storedSchemaVersion: 3 });
    expect(letters[0]?.message).toContain(`${A} version 3`);
    expect(metrics.samples('SubscriptionHoles')).toEqual([expect.objectContaining({ dimensions: { Consumer: RELAY, Result: 'Missing' } })]);
    expect(metrics.samples('EventsDeadLettered')).toEqual([
      expect.objectContaining({ value: 1, dimensions: { Relay: RELAY, EventType: 'OrderCreated', Code: 'RELAY.STREAM_HOLE' } }),
    ]);
  });

  it('re-publishes from the archive what the feed trimmed before the relay read it', async () => {
    const feed = new ExpiringFeed(new GlobalLogFeed(store));
    const checkpoints = new InMemoryCheckpointStore();
    const relay = relaySubscription({ checkpoints, feed });
    await append(A, 2, 'no-stream');
    clock.set('2026-03-02T10:00:00.000Z');
    await append(B, 1, 'no-stream');
    expect(await relay.catchUp()).toBe(3);
    clock.set('2026-03-02T11:00:00.000Z');
    await append(A, 1, 2);
    await append(B, 1, 1);
    feed.expired = true;
    await relay.catchUp();
    // Everything recorded since a day (the stream's retention) before the last batch the bus took goes out again
    // (at least once: a feed ordered per shard may have left older records unread); events older than that do not.
    expect(versionsOf(publisher.published)).toEqual([`${A}@1`, `${A}@2`, `${B}@1`, `${B}@1`, `${A}@3`, `${B}@2`]);
    expect(relay.status().expiredPositions).toBe(1);
    expect(metrics.samples('SubscriptionPositionExpired')).toHaveLength(1);
    // It resumes from the oldest record the feed keeps, recognising what it already published.
    feed.expired = false;
    expect(await relay.catchUp()).toBe(0);
    expect(publisher.published).toHaveLength(6);
    expect(await checkpoints.load(RELAY)).toBe('5');
  });
});
