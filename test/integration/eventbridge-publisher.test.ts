import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher, type PublisherDeps } from '../../src/adapters/eventbridge/eventbridge-publisher.js';
import type { EventBridgePublisherOptions } from '../../src/adapters/eventbridge/eventbridge-options.js';
import { InMemoryDeadLetterStore } from '../../src/adapters/memory/in-memory-dead-letter-store.js';
import { InMemoryEventStore } from '../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import type { EventEnvelope, NewEvent } from '../../src/application/events/envelope.js';
import { PublishFailedError } from '../../src/application/ports/event-publisher.js';
import { EventBridgeFake } from '../support/eventbridge-fake/eventbridge-fake.js';
import { aStreamId, anEvent, events } from '../support/event-mother.js';

const BUS = 'orders-bus';
const LIMIT = 256 * 1024;

let fake: EventBridgeFake;
let clock: FixedClock;
let deadLetters: InMemoryDeadLetterStore;
let metrics: InMemoryMetrics;
let sleeps: number[];
const open: EventBridgePublisher[] = [];

beforeAll(async () => {
  fake = await EventBridgeFake.start({ buses: [BUS] });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  clock = new FixedClock('2026-03-01T09:00:00.000Z');
  deadLetters = new InMemoryDeadLetterStore();
  metrics = new InMemoryMetrics();
  sleeps = [];
  fake.reset();
});
afterEach(() => {
  for (const publisher of open.splice(0)) publisher.close();
});

const options = (overrides: Partial<EventBridgePublisherOptions> = {}): EventBridgePublisherOptions => ({
  busName: BUS,
  source: 'es-core.orders',
  region: 'eu-west-1',
  endpoint: fake.endpoint,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 },
  ...overrides,
});

const deps = (): PublisherDeps => ({ deadLetters, metrics, clock, pacing: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 } });

const connect = async (overrides: Partial<EventBridgePublisherOptions> = {}): Promise<EventBridgePublisher> => {
  const publisher = (await EventBridgePublisher.connect(options(overrides), deps()))._unsafeUnwrap();
  open.push(publisher);
  return publisher;
};

/** Events as the store commits them: the publisher is fed only committed envelopes. */
const committed = async (newEvents: readonly NewEvent[]): Promise<EventEnvelope[]> => {
  const store = new InMemoryEventStore(clock);
  for (const event of newEvents) (await store.append(aStreamId(), [event], 'no-stream'))._unsafeUnwrap();
  return store.readAll(0, newEvents.length);
};

const putCalls = () => fake.calls.filter((call) => call.operation === 'PutEvents');
const deliveredIds = (): unknown[] => fake.delivered(BUS).map((event) => event.detail.eventId);
const withId = (eventId: string) => (detail: Record<string, unknown>) => detail.eventId === eventId;

describe('EventBridge publisher against a local PutEvents endpoint', () => {
  it('checks at start-up that the bus exists', async () => {
    const missing = await EventBridgePublisher.connect(options({ busName: 'no-such-bus' }), deps());
    expect(missing._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_BUS.NOT_FOUND', busName: 'no-such-bus' });
    expect(missing._unsafeUnwrapErr().message).toContain('Event bus no-such-bus does not exist.');
    await connect();
    expect(fake.calls.map((call) => [call.operation, call.status])).toEqual([
      ['DescribeEventBus', 400],
      ['DescribeEventBus', 200],
    ]);
  });

  it('retries the start-up check while the service is throttling, then reports the bus unavailable', async () => {
    fake.failCalls({ operation: 'DescribeEventBus', status: 400, type: 'ThrottlingException', times: 5 });
    const outcome = await EventBridgePublisher.connect(options(), deps());
    expect(outcome._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_BUS.UNAVAILABLE' });
    expect(outcome._unsafeUnwrapErr().message).toContain('after 5 attempts');
  });

  it('refuses a configuration the bus would not take, saying what is accepted', async () => {
    const reserved = await EventBridgePublisher.connect(options({ source: 'aws.orders' }), deps());
    expect(reserved._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_BUS.INVALID_CONFIG' });
    expect(reserved._unsafeUnwrapErr().message).toContain('must not start with "aws."');
    const badBus = await EventBridgePublisher.connect(options({ busName: 'orders bus!' }), deps());
    expect(badBus._unsafeUnwrapErr().message).toContain('event bus name must be');
    expect(fake.calls).toEqual([]);
  });

  it('publishes in batches of at most 10 entries, each the envelope under its event type', async () => {
    const publisher = await connect();
    const envelopes = await committed(events(25));
    await publisher.publish(envelopes);
    expect(putCalls().map((call) => call.entries)).toEqual([10, 10, 5]);
    expect(deliveredIds()).toEqual(envelopes.map((event) => event.eventId));
    const first = fake.delivered(BUS)[0];
    expect(first).toMatchObject({ source: 'es-core.orders', detailType: 'OrderCreated', time: '2026-01-01T10:00:00.000Z' });
    expect(first?.detail).toEqual(JSON.parse(JSON.stringify(envelopes[0])));
  });

  it('splits batches so that no request goes over 256 KB as EventBridge counts entry sizes', async () => {
    const publisher = await connect();
    const envelopes = await committed(Array.from({ length: 5 }, () => anEvent({ data: { note: 'é'.repeat(50_000) } })));
    await publisher.publish(envelopes);
    expect(putCalls().map((call) => call.entries)).toEqual([2, 2, 1]);
    for (const call of putCalls()) expect(call.requestBytes).toBeLessThanOrEqual(LIMIT);
    expect(putCalls()[0]?.requestBytes).toBeGreaterThan(200_000);
    expect(deliveredIds()).toEqual(envelopes.map((event) => event.eventId));
  });

  it('refuses an entry over the limit before sending it and dead-letters it with its size', async () => {
    const publisher = await connect();
    const [big, small] = await committed([anEvent({ data: { blob: 'x'.repeat(LIMIT) } }), anEvent()]);
    await publisher.publish([big as EventEnvelope, small as EventEnvelope]);
    expect(putCalls().map((call) => call.entries)).toEqual([1]);
    expect(deliveredIds()).toEqual([small?.eventId]);
    const [letter] = (await deadLetters.list(100));
    expect(letter).toMatchObject({ code: 'PUBLISH.ENTRY_TOO_LARGE', busErrorCode: null, deadLetteredAt: '2026-03-01T09:00:00.000Z' });
    expect(letter?.event.eventId).toBe(big?.eventId);
    expect(letter?.message).toMatch(new RegExp(`is \\d{6} bytes .* at most ${LIMIT}`));
    expect(metrics.samples('EventsDeadLettered')).toEqual([
      { name: 'EventsDeadLettered', value: 1, unit: 'Count', dimensions: { EventBus: BUS, EventType: 'OrderCreated', Code: 'PUBLISH.ENTRY_TOO_LARGE' } },
    ]);
  });

  it('refuses an event type longer than the 128 characters a detail type takes', async () => {
    const publisher = await connect();
    const [long] = await committed([anEvent({ type: 'T'.repeat(129) })]);
    await publisher.publish([long as EventEnvelope]);
    expect(putCalls()).toEqual([]);
    expect((await deadLetters.list(100))[0]).toMatchObject({ code: 'PUBLISH.INVALID_EVENT_TYPE' });
    expect((await deadLetters.list(100))[0]?.message).toContain('this one has 129');
  });

  it('retries only the entries that failed with a retryable code, backing off between tries', async () => {
    const publisher = await connect();
    const envelopes = await committed(events(5));
    const [, second, , fourth] = envelopes;
    fake.failEntries({ code: 'ThrottlingException', times: 2, when: withId(second?.eventId as string) });
    fake.failEntries({ code: 'InternalFailure', times: 1, when: withId(fourth?.eventId as string) });
    await publisher.publish(envelopes);
    expect(putCalls().map((call) => [call.entries, call.failedEntries])).toEqual([
      [5, 2],
      [2, 1],
      [1, 0],
    ]);
    expect([...deliveredIds()].sort()).toEqual(envelopes.map((event) => event.eventId).sort());
    expect(sleeps).toEqual([50, 100]);
    expect(metrics.samples('PublishRetries').map((sample) => sample.value)).toEqual([2, 1]);
    expect((await deadLetters.list(100))).toEqual([]);
  });

  it('sends entries the bus refuses for good to the dead-letter sink with an alert metric, without retrying them', async () => {
    const publisher = await connect();
    const envelopes = await committed(events(3));
    const [first, , third] = envelopes;
    fake.failEntries({ code: 'MalformedDetail', times: 1, when: withId(first?.eventId as string) });
    fake.failEntries({ code: 'AccessDeniedException', times: 1, when: withId(third?.eventId as string) });
    await publisher.publish(envelopes);
    expect(putCalls()).toHaveLength(1);
    expect(deliveredIds()).toEqual([envelopes[1]?.eventId]);
    // Set aside at the same instant, so listed by event id: compared in any order.
    const letters = await deadLetters.list(100);
    expect(letters.map((letter) => [letter.event.eventId, letter.code, letter.busErrorCode])).toEqual(
      expect.arrayContaining([
        [first?.eventId, 'PUBLISH.REJECTED_BY_BUS', 'MalformedDetail'],
        [third?.eventId, 'PUBLISH.REJECTED_BY_BUS', 'AccessDeniedException'],
      ]),
    );
    expect(letters).toHaveLength(2);
    expect(metrics.samples('EventsDeadLettered').map((sample) => sample.dimensions.Code)).toEqual(['PUBLISH.REJECTED_BY_BUS', 'PUBLISH.REJECTED_BY_BUS']);
    expect(metrics.samples('EventsPublished').map((sample) => sample.value)).toEqual([1]);
  });

  it('backs off when the whole call is throttled or fails with 500, then delivers everything once', async () => {
    const publisher = await connect();
    fake.failCalls({ operation: 'PutEvents', status: 400, type: 'ThrottlingException', times: 2 });
    fake.failCalls({ operation: 'PutEvents', status: 500, type: 'InternalException', times: 1 });
    const envelopes = await committed(events(3));
    await publisher.publish(envelopes);
    expect(putCalls().map((call) => call.status)).toEqual([400, 400, 500, 200]);
    expect(sleeps).toEqual([50, 100, 200]);
    expect(deliveredIds()).toEqual(envelopes.map((event) => event.eventId));
  });

  it('does not retry a request the bus refuses as a whole, and says so with a typed failure', async () => {
    const publisher = await connect();
    fake.failCalls({ operation: 'PutEvents', status: 400, type: 'AccessDeniedException', times: 1 });
    const failure = await publisher.publish(await committed(events(2))).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'PublishFailedError', code: 'EVENT_BUS.REFUSED' });
    expect((failure as Error).message).toContain('AccessDeniedException');
    expect(putCalls()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up after the retry budget with a typed failure, keeping the events out of the dead-letter sink', async () => {
    const publisher = await connect({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });
    const envelopes = await committed(events(2));
    fake.failEntries({ code: 'ThrottlingException', times: 3, when: withId(envelopes[0]?.eventId as string) });
    const failure = await publisher.publish(envelopes).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PublishFailedError);
    expect(failure).toMatchObject({ code: 'EVENT_BUS.UNAVAILABLE' });
    expect((failure as Error).message).toContain('did not accept 1 events after 3 attempts');
    expect(deliveredIds()).toEqual([envelopes[1]?.eventId]);
    expect((await deadLetters.list(100))).toEqual([]);
  });
});
