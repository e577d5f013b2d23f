import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliFailure, cliProgram } from '../../src/adapters/cli/cli-program.js';
import { EventBridgePublisher } from '../../src/adapters/eventbridge/eventbridge-publisher.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { openPglite, type PostgresAdapters } from '../../src/adapters/postgres/open-postgres.js';
import { FixedClock, RandomUuids } from '../../src/adapters/runtime/system-runtime.js';
import type { EventEnvelope, NewEvent } from '../../src/application/events/envelope.js';
import type { CheckpointStore } from '../../src/application/ports/checkpoint-store.js';
import type { DeadLetterStore } from '../../src/application/ports/dead-letter-sink.js';
import type { EventStore, GlobalEventLog } from '../../src/application/ports/event-store.js';
import { PublishFailedError } from '../../src/application/ports/event-publisher.js';
import type { LeaseStore } from '../../src/application/ports/lease-store.js';
import { DeadLetters } from '../../src/application/relay/dead-letter-replay.js';
import { EventRelay, relayName } from '../../src/application/relay/event-relay.js';
import { GlobalLogArchive, GlobalLogFeed } from '../../src/application/subscriptions/global-log-feed.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, Subscription } from '../../src/application/subscriptions/subscription.js';
import { domainUpcasters } from '../../src/application/upcasting/domain-upcasters.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { EventBridgeFake } from '../support/eventbridge-fake/eventbridge-fake.js';
import { anEvent } from '../support/event-mother.js';
import { SILENT_LOGGER } from '../../src/adapters/logs/silent-logger.js';

const BUS = 'orders-bus';
const SOURCE = 'es-core.orders';
const RELAY = relayName(BUS);
const shippingAddress = { line1: '1 Main St', city: 'Lisbon', postalCode: '1000-001', country: 'PT' };

let fake: EventBridgeFake;
let dataDir: string;
let clock: FixedClock;
let metrics: InMemoryMetrics;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  fake = await EventBridgeFake.start({ buses: [BUS] });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'es-dead-letters-'));
  clock = new FixedClock('2026-03-01T09:00:00.000Z');
  metrics = new InMemoryMetrics();
  fake.reset();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const resource of open.splice(0).reverse()) await resource.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const openStore = async (): Promise<PostgresAdapters> => {
  const adapters = await openPglite({ dataDir, clock });
  open.push(adapters);
  return adapters;
};

/** Closes adapters opened by `openStore` now (a restart), rather than after the test. */
const closeStore = async (adapters: PostgresAdapters): Promise<void> => {
  open.splice(open.indexOf(adapters), 1);
  await adapters.close();
};

const connect = async (deadLetters: DeadLetterStore): Promise<EventBridgePublisher> => {
  const connected = await EventBridgePublisher.connect(
    { busName: BUS, source: SOURCE, region: 'eu-west-1', endpoint: fake.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
    { deadLetters, metrics, clock },
  );
  const publisher = connected._unsafeUnwrap();
  open.push(publisher);
  return publisher;
};

/** The ports the relay needs, from PGlite adapters or the service's container. */
interface RelayPorts {
  readonly eventStore: EventStore & GlobalEventLog;
  readonly checkpoints: CheckpointStore;
  readonly leases: LeaseStore;
  readonly deadLetters: DeadLetterStore;
}

const relayOver = (adapters: RelayPorts, publisher: EventBridgePublisher): Subscription =>
  new Subscription(
    { feed: new GlobalLogFeed(adapters.eventStore), checkpoints: adapters.checkpoints, leases: adapters.leases, metrics, clock, logger: SILENT_LOGGER },
    new EventRelay(
      {
        store: adapters.eventStore,
        archive: new GlobalLogArchive(adapters.eventStore),
        checkpoints: adapters.checkpoints,
        publisher,
        deadLetters: adapters.deadLetters,
        upcasters: domainUpcasters(),
        metrics,
        clock,
        logger: SILENT_LOGGER,
      },
      { name: RELAY, rememberedStreams: 1_000 },
    ),
    { ...DEFAULT_SUBSCRIPTION_OPTIONS, owner: 'dead-letters-test' },
  );

/** An order stored under OrderCreated v1: the bus gets it upcast, so what a replay sends is not what the store holds. */
const aV1Order = (): NewEvent =>
  anEvent({ type: 'OrderCreated', schemaVersion: 1, data: { customerId: 'c-1', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 700 }], totalAmount: 700, shippingAddress } });

interface Seeded {
  /** The events the bus refused for good (MalformedDetail). */
  readonly refused: readonly EventEnvelope[];
  readonly accepted: readonly EventEnvelope[];
  /** The details the bus received for the refused events, as first sent. */
  readonly sent: ReadonlyMap<string, Record<string, unknown>>;
}

/** Five committed events; the relay publishes them and the bus refuses `refusals` of them for good. */
const seed = async (adapters: RelayPorts, refusals = 1): Promise<Seeded> => {
  const all: EventEnvelope[] = [];
  for (const [index, event] of [anEvent(), aV1Order(), anEvent(), aV1Order(), anEvent()].entries()) {
    (await adapters.eventStore.append(`Order-${index}`, [event], 'no-stream'))._unsafeUnwrap();
    all.push(...(await adapters.eventStore.readStream(`Order-${index}`)));
  }
  const refused = [all[1], all[3]].slice(0, refusals) as EventEnvelope[];
  const accepted = all.filter((event) => !refused.includes(event));
  const sent = new Map<string, Record<string, unknown>>();
  const ids = new Set(refused.map((event) => event.eventId));
  fake.failEntries({
    code: 'MalformedDetail',
    times: refused.length,
    when: (detail) => {
      if (!ids.has(String(detail.eventId))) return false;
      sent.set(String(detail.eventId), detail);
      return true;
    },
  });
  const publisher = await connect(adapters.deadLetters);
  expect(await relayOver(adapters, publisher).catchUp()).toBe(5);
  expect(fake.delivered(BUS).map((event) => event.detail.eventId)).toEqual(accepted.map((event) => event.eventId));
  return { refused, accepted, sent };
};

describe('dead letters are kept in the store', () => {
  it('keeps an event the bus refused for good across a restart, while the relay went on past it', async () => {
    const first = await openStore();
    const { refused } = await seed(first);
    const [event] = refused as [EventEnvelope];
    const head = String(await first.eventStore.headPosition());
    expect(await first.checkpoints.load(RELAY)).toBe(head);
    expect(metrics.samples('EventsDeadLettered')).toEqual([expect.objectContaining({ dimensions: { EventBus: BUS, EventType: 'OrderCreated', Code: 'PUBLISH.REJECTED_BY_BUS' } })]);
    await closeStore(first);

    const reopened = await openStore();
    const letters = await reopened.deadLetters.list(10);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ code: 'PUBLISH.REJECTED_BY_BUS', busErrorCode: 'MalformedDetail', deadLetteredAt: '2026-03-01T09:00:00.000Z' });
    expect(letters[0]?.message).toContain('MalformedDetail');
    // The letter holds the event as it was handed to the bus: current schema, stored schema noted.
    expect(letters[0]?.event).toMatchObject({ eventId: event.eventId, streamId: 'Order-1', version: 1, schemaVersion: 3, storedSchemaVersion: 1, data: { currency: 'USD' } });
    expect(await reopened.checkpoints.load(RELAY)).toBe(head);
    // The relay carries on from its checkpoint: nothing is sent again.
    const puts = (): number => fake.calls.filter((call) => call.operation === 'PutEvents').length;
    const sentBefore = puts();
    expect(await relayOver(reopened, await connect(reopened.deadLetters)).catchUp()).toBe(0);
    expect(puts()).toBe(sentBefore);
    expect(fake.delivered(BUS)).toHaveLength(4);
  });

  it('replays a letter exactly as first sent and removes it; one refused again is put back with the new reason', async () => {
    const adapters = await openStore();
    const { refused, sent } = await seed(adapters, 2);
    const [once, twice] = refused as [EventEnvelope, EventEnvelope];
    const publisher = await connect(adapters.deadLetters);
    const deadLetters = new DeadLetters(adapters.deadLetters, async () => publisher);
    const original = fake.delivered(BUS)[0];

    const replayed = await deadLetters.replay(once.eventId);
    expect(replayed?.event.eventId).toBe(once.eventId);
    const delivered = fake.delivered(BUS).at(-1);
    expect(delivered?.detail.eventId).toBe(once.eventId);
    // Same fields, same order, same values: the Detail text the bus received the first time.
    expect(JSON.stringify(delivered?.detail)).toBe(JSON.stringify(sent.get(once.eventId)));
    expect(delivered?.detail).toMatchObject({ schemaVersion: 3, storedSchemaVersion: 1, data: { currency: 'USD', taxAmount: 0 } });
    expect(delivered).toMatchObject({ detailType: 'OrderCreated', source: original?.source, time: new Date(once.occurredAt).toISOString() });
    expect(original?.source).toBe(SOURCE);
    expect(await adapters.deadLetters.get(once.eventId)).toBeNull();
    expect(await deadLetters.replay(once.eventId)).toBeNull();

    const before = await adapters.deadLetters.get(twice.eventId);
    clock.set('2026-03-02T09:00:00.000Z');
    fake.failEntries({ code: 'InvalidArgument', times: 1 });
    expect((await deadLetters.replay(twice.eventId))?.event.eventId).toBe(twice.eventId);
    const again = await adapters.deadLetters.get(twice.eventId);
    expect(again).toMatchObject({ code: 'PUBLISH.REJECTED_BY_BUS', busErrorCode: 'InvalidArgument', deadLetteredAt: '2026-03-02T09:00:00.000Z' });
    expect(again?.message).toContain('InvalidArgument');
    expect(again?.event).toEqual(before?.event);

    // A bus that is down keeps the letter as it was, to replay later.
    fake.failCalls({ operation: 'PutEvents', status: 500, type: 'InternalException', times: 3 });
    await expect(deadLetters.replay(twice.eventId)).rejects.toBeInstanceOf(PublishFailedError);
    expect(await adapters.deadLetters.get(twice.eventId)).toEqual(again);
    expect(fake.delivered(BUS).filter((event) => event.detail.eventId === twice.eventId)).toEqual([]);
  });
});

describe('cli dead-letters', () => {
  const run = async (app: App, ...args: string[]): Promise<string[]> => {
    const lines: string[] = [];
    // The program closes the app after each command; keep it open across the test's commands.
    const program = cliProgram(async () => ({ ...app, close: async () => {} }), { out: (line) => lines.push(line), progress: new PassThrough() as unknown as NodeJS.WriteStream });
    program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    await program.parseAsync(['node', 'cli', ...args]);
    return lines;
  };

  it('lists, replays and discards the letters kept in the store, and says so when there is no such letter', async () => {
    // The service's own wiring on PGlite, publishing to the bus through the SDK's default credentials.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    const container = await createContainer(loadConfig({}, { store: 'pglite', dataDir }), { clock, ids: new RandomUuids() });
    const app = appFrom(container, { EVENT_BUS_NAME: BUS, EVENT_SOURCE: SOURCE, AWS_REGION: 'eu-west-1', EVENTBRIDGE_ENDPOINT: fake.endpoint });
    open.push({ close: () => app.close() });
    const { refused } = await seed(
      {
        // The store itself (what the sealing wrapper writes to): it has the global log the relay's feed reads.
        eventStore: container.get(TOKENS.SealedEventStore) as EventStore & GlobalEventLog,
        checkpoints: container.get(TOKENS.CheckpointStore),
        leases: container.get(TOKENS.LeaseStore),
        deadLetters: container.get(TOKENS.DeadLetterStore),
      },
      2,
    );
    // Set aside at the same instant, they are listed by event id.
    const [replayed, discarded] = [...refused].sort((a, b) => a.eventId.localeCompare(b.eventId)) as [EventEnvelope, EventEnvelope];

    const listed = await run(app, 'dead-letters', 'list');
    expect(listed).toHaveLength(2);
    expect(listed[0]).toContain(replayed.eventId);
    expect(listed[0]).toMatch(/^2026-03-01T09:00:00\.000Z \S+ OrderCreated Order-[13] v1 PUBLISH\.REJECTED_BY_BUS \(MalformedDetail\): /);
    expect(listed[1]).toContain(discarded.eventId);
    const paged = await run(app, 'dead-letters', 'list', '--limit', '1');
    expect(paged).toEqual([listed[0], `more: --after ${replayed.eventId}`]);
    const json = JSON.parse((await run(app, 'dead-letters', 'list', '--json')).join('\n')) as { event: { eventId: string } }[];
    expect(json.map((letter) => letter.event.eventId)).toEqual([replayed.eventId, discarded.eventId]);

    expect(await run(app, 'dead-letters', 'replay', replayed.eventId)).toEqual([`replayed OrderCreated ${replayed.eventId}`]);
    expect(fake.delivered(BUS).at(-1)?.detail).toMatchObject({ eventId: replayed.eventId, storedSchemaVersion: 1 });
    expect(await run(app, 'dead-letters', 'discard', discarded.eventId)).toEqual([`discarded ${discarded.eventId}`]);
    expect(await run(app, 'dead-letters', 'list')).toEqual([]);
    expect(await app.deadLetters.list(10)).toEqual([]);

    await expect(run(app, 'dead-letters', 'discard', discarded.eventId)).rejects.toThrow(new CliFailure(`no dead letter for event ${discarded.eventId}; dead-letters list shows them`));
    await expect(run(app, 'dead-letters', 'discard', 'no-such-event')).rejects.toBeInstanceOf(CliFailure);
    await expect(run(app, 'dead-letters', 'replay', 'no-such-event')).rejects.toThrow(new CliFailure('no dead letter for event no-such-event; dead-letters list shows them'));
  });
});
