import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoDbSettings } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import { openEvents } from '../../src/application/privacy/personal-fields.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { handleStreamBatch, streamConsumers, type DynamoDbStreamEvent } from '../../src/main/lambda-stream-handler.js';
import { TOKENS } from '../../src/main/tokens.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
import { poisonOrderSummary } from '../support/poisoned-projection.js';
import { streamRecords } from '../support/dynamodb-stream-records.js';
import { confirmPaid, context, placeOrder } from '../support/memory-app.js';
import { capturedLog, LEVEL, type CapturedLog } from '../support/captured-log.js';
import { captureTraces, linkedSpanIds } from '../support/trace-capture.js';

const { server } = useDynamoDbLocal();

const ids = (n: number) => ({ customerId: `c-${n}`, orderId: `o-${n}`, sku: `SKU-${n}` });

let settings: DynamoDbSettings;
let container: Awaited<ReturnType<typeof createContainer>>;
let app: App;
let metrics: InMemoryMetrics;
let log: CapturedLog;

beforeEach(async () => {
  // Tables of its own for each test: a projection stopped in one test stays stopped in its store.
  settings = localSettings(server());
  container = await createContainer(loadConfig({}, { store: 'dynamodb', dynamodb: settings }));
  app = appFrom(container, {});
  const recorded = container.get(TOKENS.Metrics);
  if (!(recorded instanceof InMemoryMetrics)) throw new Error('the container should record metrics in memory');
  metrics = recorded;
  log = capturedLog('info');
});
afterEach(async () => {
  await app?.close();
});

const streamRecordsOfTest = async (): Promise<StreamRecord[]> => (await streamRecords(settings)).records;

const deliver = async (records: readonly StreamRecord[]) => {
  const event: DynamoDbStreamEvent = { Records: records };
  return handleStreamBatch(await streamConsumers(container, {}), event, log.logger);
};

const attribute = (record: StreamRecord | undefined, name: string): string | undefined => record?.dynamodb?.NewImage?.[name]?.S;

/** Everything the three read models show for the orders placed. */
const readModels = async (...n: number[]) =>
  Promise.all(
    n.map(async (i) => ({
      order: (await app.orderQueries.orderDetails(ids(i).orderId)).unwrapOr(null),
      inventory: (await app.orderQueries.inventoryLevel(ids(i).sku)).unwrapOr(null),
      history: await app.orderQueries.supportHistory(ids(i).customerId),
    })),
  );

describe('Lambda handler for the event table stream', () => {
  it('brings every read model up from a batch of stream records, and a batch delivered twice changes nothing', async () => {
    await placeOrder(app, ids(1));
    await placeOrder(app, ids(2), 3);
    await confirmPaid(app, 'o-2', context());
    const records = await streamRecordsOfTest();
    expect(records.length).toBeGreaterThanOrEqual(9);

    expect(await deliver(records)).toEqual({ batchItemFailures: [] });
    expect(log.lines()).toEqual([]);
    const [first, second] = await readModels(1, 2);
    expect(first?.order).toMatchObject({ orderId: 'o-1', customerId: 'c-1', status: 'CREATED', totalAmount: 2000, itemCount: 2, currency: 'EUR' });
    expect(second?.order).toMatchObject({ orderId: 'o-2', status: 'CONFIRMED', totalAmount: 3000, itemCount: 3 });
    expect(first?.inventory).toMatchObject({ sku: 'SKU-1', onHand: 10, reserved: 2, available: 8 });
    expect(second?.inventory).toMatchObject({ sku: 'SKU-2', onHand: 10, reserved: 3, available: 7 });
    expect(first?.history.map((entry) => entry.kind)).toEqual(['ACCOUNT', 'ORDER']);
    expect(await app.orderQueries.customerOrders('c-2')).toHaveLength(1);
    const applied = metrics.samples('EventProcessingResult').length;
    expect(applied).toBeGreaterThan(0);

    // At least once: the mapping may hand the same records over again.
    expect(await deliver(records)).toEqual({ batchItemFailures: [] });
    expect(await readModels(1, 2)).toEqual([first, second]);
    expect(metrics.samples('EventProcessingResult')).toHaveLength(applied);
    // So may a later batch overlapping this one.
    expect(await deliver(records.slice(records.length - 3))).toEqual({ batchItemFailures: [] });
    expect(await readModels(1, 2)).toEqual([first, second]);
  });

  it('answers the record of the event a projection stopped at as the only batch item failure, and resumes from it', async () => {
    await placeOrder(app, ids(3));
    await placeOrder(app, ids(4));
    const records = await streamRecordsOfTest();
    const failing = records.findIndex((record) => attribute(record, 'EventType') === 'OrderCreated' && attribute(record, 'AggregateId') === 'Order-o-3');
    expect(failing).toBeGreaterThan(0);
    const restore = poisonOrderSummary((event) => event.type === 'OrderCreated', 'cannot read this event');
    try {
      const response = await deliver(records);
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[failing]?.dynamodb?.SequenceNumber }] });
      // One structured line about the event: which consumer, where in which stream, why, and the command behind it.
      expect(log.lines()).toEqual([
        expect.objectContaining({
          level: LEVEL.error,
          consumer: 'order-summary',
          eventType: 'OrderCreated',
          streamId: 'Order-o-3',
          version: 1,
          eventId: attribute(records[failing], 'EventId'),
          correlationId: expect.any(String),
          stopReason: 'POISON',
          error: 'cannot read this event',
        }),
      ]);
      // The other projections handled the whole batch.
      expect((await app.orderQueries.inventoryLevel('SKU-4'))._unsafeUnwrap()).toMatchObject({ reserved: 2 });
      expect((await app.orderQueries.supportHistory('c-4')).map((entry) => entry.kind)).toEqual(['ACCOUNT', 'ORDER']);
      const status = (await app.projections.status()).find((s) => s.name === 'order-summary');
      expect(status).toMatchObject({ state: 'failed', failure: { reason: 'POISON', eventType: 'OrderCreated', streamId: 'Order-o-3', version: 1 } });
      // Stopped means stopped: the batch is held until an operator acts.
      expect((await deliver(records.slice(failing))).batchItemFailures).toEqual([{ itemIdentifier: records[failing]?.dynamodb?.SequenceNumber }]);
    } finally {
      restore();
    }
    await app.projections.retry('order-summary');
    // Lambda sends the failed record and everything after it again; what was handled is skipped.
    expect(await deliver(records.slice(failing))).toEqual({ batchItemFailures: [] });
    expect((await app.orderQueries.orderDetails('o-3'))._unsafeUnwrap()).toMatchObject({ status: 'CREATED', totalAmount: 2000 });
    expect((await app.orderQueries.orderDetails('o-4'))._unsafeUnwrap()).toMatchObject({ status: 'CREATED', totalAmount: 2000 });
    expect((await app.orderQueries.inventoryLevel('SKU-4'))._unsafeUnwrap()).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
  });

  it('runs only the consumers STREAM_CONSUMERS names, so that one stopped at an event holds no other mapping', async () => {
    await placeOrder(app, ids(5));
    const records = await streamRecordsOfTest();
    const restore = poisonOrderSummary(() => true, 'cannot read this event');
    try {
      const consumers = await streamConsumers(container, { STREAM_CONSUMERS: 'inventory-levels,support-history' });
      expect(consumers.map((consumer) => consumer.name)).toEqual(['inventory-levels', 'support-history']);
      expect(await handleStreamBatch(consumers, { Records: records }, log.logger)).toEqual({ batchItemFailures: [] });
      expect((await app.orderQueries.inventoryLevel('SKU-5'))._unsafeUnwrap()).toMatchObject({ reserved: 2 });
    } finally {
      restore();
    }
    await expect(streamConsumers(container, { STREAM_CONSUMERS: 'order-summary,relay' })).rejects.toThrow(
      'STREAM_CONSUMERS names relay; known here: order-summary, inventory-levels, support-history, workflow:order-fulfilment (relay needs EVENT_BUS_NAME)',
    );
  });
});

describe('traces on the DynamoDB Streams Lambda path', () => {
  it("links each consumer's process span to the command that created the records' events", async () => {
    // A container of its own, traced from the start, over the tables this test's set-up provisioned.
    const traced = await createContainer(loadConfig({}, { store: 'dynamodb', dynamodb: settings }));
    const traces = captureTraces(traced, 'dynamodb');
    const tracedApp = appFrom(traced, {});
    try {
      await placeOrder(tracedApp, ids(1));
      // What the event source mapping hands the function: the table's stream records, opened as the handler opens them.
      const codec = traced.get(TOKENS.PersonalData);
      const open = (events: EventEnvelope[]) => openEvents(events, codec);
      const batch = { Records: await streamRecordsOfTest() };
      expect(await handleStreamBatch(await streamConsumers(traced, {}), batch, traced.get(TOKENS.Logger), open)).toEqual({ batchItemFailures: [] });

      const place = traces.one('Order.PlaceOrder').spanContext();
      const reserve = traces.one('Inventory.ReserveStock', (span) => span.parentSpanContext === undefined).spanContext();
      const summary = traces.one('process order-summary');
      expect(summary.kind).toBe(SpanKind.CONSUMER);
      expect(summary.attributes).toMatchObject({ 'messaging.system': 'aws_dynamodb_streams', 'messaging.operation.type': 'process', 'messaging.consumer.group.name': 'order-summary' });
      expect(linkedSpanIds(summary)).toContain(place.spanId);
      expect(linkedSpanIds(traces.one('process inventory-levels'))).toContain(reserve.spanId);
      // The workflow, fed by the same records, continues the order's trace.
      const workflow = traces.one('process workflow:order-fulfilment', (span) => span.parentSpanContext?.spanId === place.spanId);
      expect(workflow.spanContext().traceId).toBe(place.traceId);
      expect(linkedSpanIds(workflow)).toEqual([place.spanId]);
    } finally {
      await tracedApp.close();
    }
  });
});
