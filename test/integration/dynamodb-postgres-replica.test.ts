import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoDbSettings } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import { openEvents } from '../../src/application/privacy/personal-fields.js';
import { Customer } from '../../src/domain/index.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { handleStreamBatch, streamConsumers } from '../../src/main/lambda-stream-handler.js';
import { startReplica } from '../../src/main/replica-service.js';
import { TOKENS } from '../../src/main/tokens.js';
import { statusReport } from '../../src/adapters/cli/status-command.js';
import { openPostgres } from '../../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { events } from '../support/event-mother.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { streamRecords } from '../support/dynamodb-stream-records.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
import { confirmPaid, context, placeOrder } from '../support/memory-app.js';
import { postgresForFile } from '../support/postgres-fixture.js';

const { server } = useDynamoDbLocal();
const postgres = postgresForFile();

// One deployment's master key: the replica holds the same wrapped data keys, and opens them only with it.
const env = { MASTER_KEY: randomBytes(32).toString('base64') };
const STREAMS = ['Customer-c-1', 'Inventory-SKU-1', 'Order-o-1', 'Payment-p-o-1'];

let settings: DynamoDbSettings;
let container: Awaited<ReturnType<typeof createContainer>>;
let app: App;
let opened: App[] = [];

beforeEach(async () => {
  settings = localSettings(server());
  container = await createContainer(loadConfig(env, { store: 'dynamodb', dynamodb: settings, fulfilment: 'manual' }));
  app = appFrom(container, {});
  opened = [app];
  await placeOrder(app, { customerId: 'c-1', orderId: 'o-1', sku: 'SKU-1' });
  (await confirmPaid(app, 'o-1', context()))._unsafeUnwrap();
});
afterEach(async () => {
  for (const each of opened.reverse()) await each.close();
});

/** The service on the replica: STORE=postgres pointed at it, as after a fail-over. */
const serviceOn = async (url: string): Promise<{ replica: App; sealed: EventStore }> => {
  const made = await createContainer(loadConfig(env, { store: 'postgres', databaseUrl: url, fulfilment: 'manual' }));
  const replica = appFrom(made, {});
  opened.push(replica);
  return { replica, sealed: made.get(TOKENS.SealedEventStore) };
};

const streamsOf = (store: EventStore): Promise<EventEnvelope[][]> => Promise.all(STREAMS.map((streamId) => store.readStream(streamId)));
const withoutPositions = (streams: EventEnvelope[][]) => streams.map((events) => events.map(({ globalPosition: _, ...kept }) => kept));

/** Waits until the replica holds every event the source holds. */
const caughtUp = async (source: EventStore, target: EventStore): Promise<void> => {
  const expected = (await streamsOf(source)).flat().length;
  for (let waited = 0; (await streamsOf(target)).flat().length < expected; waited += 50) {
    if (waited > 15_000) throw new Error('the replica did not catch up within 15 s');
    await sleep(50);
  }
};

/** What the replica must show: the same events as stored (sealed), chains that verify, and the read models and customer back. */
const expectFaithfulReplica = async (url: string): Promise<void> => {
  const source = container.get(TOKENS.SealedEventStore);
  const { replica, sealed: target } = await serviceOn(url);
  expect(withoutPositions(await streamsOf(target))).toEqual(withoutPositions(await streamsOf(source)));
  const [customer] = await streamsOf(target);
  expect(JSON.stringify(customer?.[0]?.data)).toContain('enc:pii1:');
  expect(JSON.stringify(customer?.[0]?.data)).not.toContain('Ada');
  expect(await replica.audit.verifyStore()).toMatchObject({ verified: true, mismatchCount: 0, streams: STREAMS.length });
  await replica.catchUp();
  expect((await replica.orderQueries.orderDetails('o-1'))._unsafeUnwrap()).toMatchObject({ orderId: 'o-1', customerId: 'c-1', status: 'CONFIRMED', totalAmount: 2000 });
  expect((await replica.orderQueries.inventoryLevel('SKU-1'))._unsafeUnwrap()).toMatchObject({ onHand: 10, reserved: 2 });
  expect((await replica.repository.load(Customer, 'c-1'))._unsafeUnwrap().state.personal).toEqual({ name: 'Ada', email: 'ada@example.com', address: '1 Road' });
};

describe('the continuous replica from DynamoDB to PostgreSQL', () => {
  it('copies every event as stored, in process, idempotently, with its lag recorded and shown by status; the service on the replica serves the same order and customer', async () => {
    const { url } = postgres();
    const replica = await startReplica(container, { databaseUrl: url }, 50);
    const { sealed: target } = await serviceOn(url);
    try {
      await caughtUp(container.get(TOKENS.SealedEventStore), target);
    } finally {
      await replica.stop();
    }
    const metrics = container.get(TOKENS.Metrics) as InMemoryMetrics;
    const replicated = metrics.samples('EventsReplicated').reduce((sum, sample) => sum + sample.value, 0);
    expect(replicated).toBe((await streamsOf(target)).flat().length);
    expect(metrics.samples('ReplicaLag').at(-1)).toMatchObject({ unit: 'Milliseconds', dimensions: { Replica: 'replica' }, value: expect.any(Number) });

    // Re-delivered from the start of the feed: nothing is written twice, nothing stops.
    await container.get(TOKENS.CheckpointStore).remove('replica');
    const again = await startReplica(container, { databaseUrl: url }, 50);
    for (let waited = 0; (await container.get(TOKENS.CheckpointStore).load('replica')) === null && waited < 10_000; waited += 50) await sleep(50);
    await again.stop();
    expect(metrics.samples('EventsReplicated').reduce((sum, sample) => sum + sample.value, 0)).toBe(replicated);
    expect(metrics.samples('ReplicaStopped')).toEqual([]);

    // `cli status` shows the replica's row, its lag read from the store.
    const report = await statusReport(appFrom(container, { REPLICA_DATABASE_URL: url }));
    expect(report.consumers.find((line) => line.name === 'replica')).toMatchObject({ kind: 'replica', lagSeconds: expect.any(Number) });

    await expectFaithfulReplica(url);
  });

  it('runs in the stream Lambda when STREAM_CONSUMERS names it, taking the records sealed while the projections read them opened', async () => {
    const url = await postgres().server.createDatabase();
    const replicaEnv = { REPLICA_DATABASE_URL: url, STREAM_CONSUMERS: 'replica,order-summary' };
    const consumers = await streamConsumers(container, replicaEnv);
    expect(consumers.map((consumer) => consumer.name)).toEqual(['order-summary', 'replica']);
    // Not named, not run: it needs a mapping (and a network path to PostgreSQL) of its own.
    expect((await streamConsumers(container, { REPLICA_DATABASE_URL: url })).map((consumer) => consumer.name)).not.toContain('replica');

    const { records } = await streamRecords(settings);
    const codec = container.get(TOKENS.PersonalData);
    const deliver = () => handleStreamBatch(consumers, { Records: records }, container.get(TOKENS.Logger), (events) => openEvents(events, codec));
    expect(await deliver()).toEqual({ batchItemFailures: [] });
    // The mapping hands the same records over again: harmless.
    expect(await deliver()).toEqual({ batchItemFailures: [] });
    expect((await app.orderQueries.orderDetails('o-1'))._unsafeUnwrap()).toMatchObject({ status: 'CONFIRMED' });
    await expectFaithfulReplica(url);
  });


  it('stops at an event the replica cannot take as it is, holding that record and what follows it, until an operator retries', async () => {
    const url = await postgres().server.createDatabase();
    // The replica's database already holds another event at Order-o-1 version 1: a fork the replica must not paper over.
    const stray = await openPostgres({ url, clock: new SystemClock() });
    (await stray.eventStore.append('Order-o-1', events(1), 'no-stream'))._unsafeUnwrap();
    await stray.close();

    const consumers = await streamConsumers(container, { REPLICA_DATABASE_URL: url, STREAM_CONSUMERS: 'replica' });
    const { records } = await streamRecords(settings);
    const first = records.findIndex((record) => record.dynamodb?.NewImage?.AggregateId?.S === 'Order-o-1');
    const response = await handleStreamBatch(consumers, { Records: records }, container.get(TOKENS.Logger));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[first]?.dynamodb?.SequenceNumber }] });
    const metrics = container.get(TOKENS.Metrics) as InMemoryMetrics;
    expect(metrics.samples('ReplicaStopped').map((sample) => sample.dimensions)).toEqual([{ Replica: 'replica', Code: 'EVENT_STORE.IMPORT_CONFLICT' }]);

    const operator = appFrom(container, { REPLICA_DATABASE_URL: url });
    const report = await statusReport(operator);
    expect(report.consumers.find((line) => line.name === 'replica')).toMatchObject({ state: 'stopped', attention: expect.stringContaining('EVENT_STORE.IMPORT_CONFLICT') });
    expect(report.attention).toEqual(expect.arrayContaining([expect.stringMatching(/^replica: stopped at OrderCreated/)]));
    // Held while stopped, whatever the mapping sends again.
    expect((await handleStreamBatch(consumers, { Records: records.slice(first) }, container.get(TOKENS.Logger))).batchItemFailures).toHaveLength(1);
    expect(await operator.consumers.retry('replica')).toBe(true);
    expect(await operator.consumers.retry('replica')).toBe(false);
  });
});
