import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../src/adapters/eventbridge/eventbridge-publisher.js';
import { InMemoryDeadLetterSink } from '../../src/adapters/memory/in-memory-dead-letter-sink.js';
import { InMemoryEventStore } from '../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryPublisher } from '../../src/adapters/memory/in-memory-publisher.js';
import { InMemoryCheckpointStore } from '../../src/adapters/memory/in-memory-stores.js';
import { FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import type { CheckpointStore } from '../../src/application/ports/checkpoint-store.js';
import type { CommittedEventFeed, FeedBatch } from '../../src/application/ports/committed-event-feed.js';
import { PublishFailedError, type EventPublisher } from '../../src/application/ports/event-publisher.js';
import { EventRelay, type RelayDeps } from '../../src/application/relay/event-relay.js';
import { GlobalLogFeed } from '../../src/application/relay/global-log-feed.js';
import { EventBridgeFake } from '../support/eventbridge-fake/eventbridge-fake.js';
import { anEvent, events } from '../support/event-mother.js';

const RELAY = 'relay:test-bus';

/** A checkpoint store whose `failOn`-th save throws: the process dies after the bus accepted a batch, before the checkpoint. */
class CrashingCheckpoints implements CheckpointStore {
  #saves = 0;
  constructor(
    readonly inner: InMemoryCheckpointStore,
    private readonly failOn: number,
  ) {}
  load(subscriber: string): Promise<string | null> {
    return this.inner.load(subscriber);
  }
  async save(subscriber: string, position: string): Promise<void> {
    this.#saves += 1;
    if (this.#saves === this.failOn) throw new Error('process killed between publish and checkpoint');
    await this.inner.save(subscriber, position);
  }
}

/** A bus that is down for its first call. */
class DownOncePublisher implements EventPublisher {
  #calls = 0;
  constructor(readonly inner: InMemoryPublisher) {}
  async publish(batch: readonly EventEnvelope[]): Promise<void> {
    this.#calls += 1;
    if (this.#calls === 1) throw new PublishFailedError('EVENT_BUS.UNAVAILABLE', 'bus throttled past the retry budget');
    await this.inner.publish(batch);
  }
}

/** Feed batches as a stream source may deliver them: out of order, interleaved, repeated or with holes. */
class ScriptedFeed implements CommittedEventFeed {
  constructor(private readonly batches: readonly (readonly EventEnvelope[])[]) {}
  async read(position: string | null): Promise<FeedBatch> {
    const index = position === null ? 0 : Number(position);
    const batch = this.batches[index] ?? [];
    return { events: batch, position: String(batch.length > 0 ? index + 1 : index) };
  }
}

const record = (streamId: string, version: number): EventEnvelope => ({ ...anEvent(), streamId, version, recordedAt: '2026-01-01T10:00:00.000Z', globalPosition: null });
const versionsOf = (published: readonly EventEnvelope[]): string[] => published.map((event) => `${event.streamId}@${event.version}`);

let clock: FixedClock;
let store: InMemoryEventStore;
let committed: EventEnvelope[];
let metrics: InMemoryMetrics;

beforeEach(async () => {
  clock = new FixedClock('2026-03-01T09:00:00.000Z');
  store = new InMemoryEventStore(clock);
  metrics = new InMemoryMetrics();
  // Two orders whose commits interleave, one of them a two-event commit.
  (await store.append('Order-a', events(2), 'no-stream'))._unsafeUnwrap();
  (await store.append('Order-b', events(1), 'no-stream'))._unsafeUnwrap();
  (await store.append('Order-a', events(1), 2))._unsafeUnwrap();
  (await store.append('Order-b', events(3), 1))._unsafeUnwrap();
  committed = await store.readAll(0, 100);
});

const relayOver = (feed: CommittedEventFeed, deps: Omit<RelayDeps, 'feed' | 'metrics'>, batchSize = 3): EventRelay =>
  new EventRelay({ feed, metrics, ...deps }, { name: RELAY, batchSize, rememberedStreams: 1_000 });

describe('relay from the committed log to the bus', () => {
  it('publishes every committed event in commit order and checkpoints after each accepted batch', async () => {
    const publisher = new InMemoryPublisher();
    const checkpoints = new InMemoryCheckpointStore();
    const relay = relayOver(new GlobalLogFeed(store), { checkpoints, publisher });
    expect((await relay.catchUp())._unsafeUnwrap()).toEqual({ published: 7, position: '7' });
    expect(publisher.published.map((event) => event.eventId)).toEqual(committed.map((event) => event.eventId));
    (await store.append('Order-c', events(2), 'no-stream'))._unsafeUnwrap();
    expect((await relay.catchUp())._unsafeUnwrap()).toEqual({ published: 2, position: '9' });
    expect(await checkpoints.load(RELAY)).toBe('9');
  });

  it('re-publishes after a crash between publish and checkpoint: at least once, nothing lost', async () => {
    const publisher = new InMemoryPublisher();
    const checkpoints = new CrashingCheckpoints(new InMemoryCheckpointStore(), 2);
    await expect(relayOver(new GlobalLogFeed(store), { checkpoints, publisher }).catchUp()).rejects.toThrow('process killed');
    expect(await checkpoints.load(RELAY)).toBe('3');
    const restarted = relayOver(new GlobalLogFeed(store), { checkpoints, publisher });
    expect((await restarted.catchUp())._unsafeUnwrap()).toEqual({ published: 4, position: '7' });
    const ids = committed.map((event) => event.eventId);
    expect(publisher.published.map((event) => event.eventId)).toEqual([...ids.slice(0, 6), ...ids.slice(3)]);
  });

  it('keeps the checkpoint where it was while the bus does not accept a batch', async () => {
    const bus = new InMemoryPublisher();
    const checkpoints = new InMemoryCheckpointStore();
    const relay = relayOver(new GlobalLogFeed(store), { checkpoints, publisher: new DownOncePublisher(bus) });
    await expect(relay.catchUp()).rejects.toBeInstanceOf(PublishFailedError);
    expect(await checkpoints.load(RELAY)).toBeNull();
    expect((await relay.catchUp())._unsafeUnwrap().position).toBe('7');
    expect(bus.published.map((event) => event.eventId)).toEqual(committed.map((event) => event.eventId));
  });

  it('delivers every committed event to EventBridge across a crash, through the real SDK client', async () => {
    const fake = await EventBridgeFake.start({ buses: ['orders-bus'] });
    try {
      const connected = await EventBridgePublisher.connect(
        { busName: 'orders-bus', source: 'es-core.orders', region: 'eu-west-1', endpoint: fake.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
        { deadLetters: new InMemoryDeadLetterSink(), metrics, clock },
      );
      const publisher = connected._unsafeUnwrap();
      const checkpoints = new CrashingCheckpoints(new InMemoryCheckpointStore(), 1);
      await expect(relayOver(new GlobalLogFeed(store), { checkpoints, publisher }).catchUp()).rejects.toThrow('process killed');
      expect((await relayOver(new GlobalLogFeed(store), { checkpoints, publisher }).catchUp()).isOk()).toBe(true);
      publisher.close();
      const delivered = fake.delivered('orders-bus').map((event) => event.detail.eventId);
      expect(delivered).toHaveLength(10);
      expect(new Set(delivered)).toEqual(new Set(committed.map((event) => event.eventId)));
    } finally {
      await fake.close();
    }
  });

  it('orders out-of-order and interleaved records of a stream by version and drops re-deliveries', async () => {
    const publisher = new InMemoryPublisher();
    const feed = new ScriptedFeed([[record('X', 2), record('Y', 1), record('X', 1), record('Y', 2), record('X', 3)], [record('X', 3), record('Y', 3)]]);
    const outcome = await relayOver(feed, { checkpoints: new InMemoryCheckpointStore(), publisher }).catchUp();
    expect(outcome._unsafeUnwrap()).toEqual({ published: 6, position: '2' });
    expect(versionsOf(publisher.published)).toEqual(['X@1', 'Y@1', 'X@2', 'Y@2', 'X@3', 'Y@3']);
  });

  it('notices a version missing within a batch, publishes nothing past it and keeps the checkpoint', async () => {
    const publisher = new InMemoryPublisher();
    const checkpoints = new InMemoryCheckpointStore();
    const feed = new ScriptedFeed([[record('X', 1), record('X', 2), record('X', 4), record('Y', 1)]]);
    const stalled = (await relayOver(feed, { checkpoints, publisher }).catchUp())._unsafeUnwrapErr();
    expect(stalled).toMatchObject({ code: 'RELAY.STREAM_GAP', gaps: [{ streamId: 'X', expectedVersion: 3, foundVersion: 4 }], position: null });
    expect(stalled.message).toContain('X expected version 3, found 4');
    expect(versionsOf(publisher.published)).toEqual(['X@1', 'X@2', 'Y@1']);
    expect(await checkpoints.load(RELAY)).toBeNull();
    expect(metrics.samples('RelayStreamGaps')).toEqual([{ name: 'RelayStreamGaps', value: 1, unit: 'Count', dimensions: { Relay: RELAY } }]);
  });

  it('notices a version missing relative to what it last published for the stream', async () => {
    const publisher = new InMemoryPublisher();
    const checkpoints = new InMemoryCheckpointStore();
    const feed = new ScriptedFeed([[record('X', 1), record('X', 2)], [record('X', 4)]]);
    const stalled = (await relayOver(feed, { checkpoints, publisher }).catchUp())._unsafeUnwrapErr();
    expect(stalled.gaps).toEqual([{ streamId: 'X', expectedVersion: 3, foundVersion: 4 }]);
    expect(versionsOf(publisher.published)).toEqual(['X@1', 'X@2']);
    expect(await checkpoints.load(RELAY)).toBe('1');
  });
});

describe('global log feed', () => {
  it('reads after a position and answers the position of the last event read', async () => {
    const feed = new GlobalLogFeed(store);
    const first = await feed.read(null, 4);
    expect(first.events.map((event) => event.globalPosition)).toEqual([1, 2, 3, 4]);
    expect(first.position).toBe('4');
    const rest = await feed.read(first.position, 10);
    expect(rest.events.map((event) => event.globalPosition)).toEqual([5, 6, 7]);
    expect(await feed.read('7', 10)).toEqual({ events: [], position: '7' });
  });

  it('refuses a checkpoint it did not write rather than guess where to carry on', async () => {
    await expect(new GlobalLogFeed(store).read('shard-1:49590338271', 10)).rejects.toThrow('a global log position is a non-negative integer; got "shard-1:49590338271"');
  });
});
