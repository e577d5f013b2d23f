import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SILENT_LOGGER } from '../../../src/adapters/logs/silent-logger.js';
import { InMemoryDeadLetterStore } from '../../../src/adapters/memory/in-memory-dead-letter-store.js';
import { InMemoryEventStore } from '../../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryPublisher } from '../../../src/adapters/memory/in-memory-publisher.js';
import { InMemoryCheckpointStore } from '../../../src/adapters/memory/in-memory-stores.js';
import { FixedClock } from '../../../src/adapters/runtime/system-runtime.js';
import { withTraceContext } from '../../../src/application/events/trace-context.js';
import { NO_TRACE_CONTEXT, NO_TRACING } from '../../../src/application/ports/tracing.js';
import { EventRelay } from '../../../src/application/relay/event-relay.js';
import { GlobalLogArchive } from '../../../src/application/subscriptions/global-log-feed.js';
import { domainUpcasters } from '../../../src/application/upcasting/domain-upcasters.js';
import { startTraceExport, type TraceExport } from '../../../src/main/trace-export.js';
import { anEvent, metadata } from '../../support/event-mother.js';
import { traceparentOf } from '../../support/trace-capture.js';

let exporter: InMemorySpanExporter;
let traces: TraceExport;

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  traces = startTraceExport({ serviceName: 'es-core-test', store: 'memory', processor: new SimpleSpanProcessor(exporter) });
});
afterEach(async () => {
  await traces.shutdown();
});

const command = { aggregateType: 'Order', aggregateId: 'o-1', command: 'ShipOrder' };

describe('the OpenTelemetry tracing adapter', () => {
  it('shows a refusal as an outcome, a store failure and a thrown error as errors, and counts conflicts retried', async () => {
    await traces.tracing.command(command, async (span) => span.settled({ kind: 'refused', code: 'ORDER.CANNOT_SHIP' }));
    await traces.tracing.command(command, async (span) => {
      span.conflictRetried();
      span.conflictRetried();
      span.settled({ kind: 'refused', code: 'EVENT_STORE.CONCURRENCY_CONFLICT' });
    });
    await expect(traces.tracing.command(command, async (span) => span.step('load', () => Promise.reject(new Error('store down'))))).rejects.toThrow('store down');
    const spans = exporter.getFinishedSpans();
    const [refused, conflicted, failed] = spans.filter((span) => span.name === 'Order.ShipOrder');
    const failedStep = spans.find((span) => span.name === 'load');
    expect(refused?.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused?.attributes).toMatchObject({ 'es_core.command.outcome': 'refused', 'es_core.command.refusal_code': 'ORDER.CANNOT_SHIP', 'es_core.command.conflicts_retried': 0 });
    expect(conflicted?.status.code).toBe(SpanStatusCode.ERROR);
    expect(conflicted?.attributes).toMatchObject({ 'error.type': 'EVENT_STORE.CONCURRENCY_CONFLICT', 'es_core.command.conflicts_retried': 2 });
    expect(conflicted?.events.map((event) => event.name)).toEqual(['conflict', 'conflict']);
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'store down' });
    expect(failedStep?.parentSpanContext?.spanId).toBe(failed?.spanContext().spanId);
    expect(failedStep?.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('starts no span for a batch with nothing for the consumer, and links only messages that carry a creation context', async () => {
    let asked = 0;
    const none = () => {
      asked += 1;
      return [];
    };
    await traces.tracing.processBatch({ consumer: 'order-summary', messages: none }, async () => undefined);
    expect(asked).toBe(1);
    expect(exporter.getFinishedSpans()).toEqual([]);
    const created = await traces.tracing.command(command, async (span) => span.context);
    await traces.tracing.processBatch(
      { consumer: 'order-summary', messages: () => [{ id: 'e-1', type: 'OrderShipped', context: created }, { id: 'e-2', type: 'OrderShipped', context: null }, { id: 'e-3', type: 'OrderShipped', context: { traceparent: 'garbage' } }] },
      async () => undefined,
    );
    const process = exporter.getFinishedSpans().find((span) => span.name === 'process order-summary');
    expect(process?.kind).toBe(SpanKind.CONSUMER);
    expect(process?.attributes['messaging.batch.message_count']).toBe(3);
    expect(process?.links.map((link) => link.attributes?.['messaging.message.id'])).toEqual(['e-1']);
  });

  it('hands an event stored without a creation context to the bus with the publish span as its context; one with its own keeps it', async () => {
    const clock = new FixedClock('2026-03-01T09:00:00.000Z');
    const store = new InMemoryEventStore(clock);
    const created = await traces.tracing.command(command, async (span) => span.context);
    (await store.append('Order-a', [anEvent({ metadata: metadata() }), anEvent({ metadata: withTraceContext(metadata(), created) })], 'no-stream'))._unsafeUnwrap();
    const publisher = new InMemoryPublisher();
    const deps = {
      store,
      archive: new GlobalLogArchive(store),
      checkpoints: new InMemoryCheckpointStore(),
      publisher,
      deadLetters: new InMemoryDeadLetterStore(),
      upcasters: domainUpcasters(),
      metrics: new InMemoryMetrics(),
      clock,
      logger: SILENT_LOGGER,
      tracing: traces.tracing,
    };
    await new EventRelay(deps, { name: 'relay:orders', rememberedStreams: 10, destination: 'orders' }).handle(await store.readStream('Order-a'), null);
    const publish = exporter.getFinishedSpans().find((span) => span.name === 'publish orders');
    expect(publish?.kind).toBe(SpanKind.PRODUCER);
    expect(publisher.published.map((event) => event.metadata.traceparent)).toEqual([publish && traceparentOf(publish), created.traceparent]);
  });
});

describe('tracing off', () => {
  it('never builds a message list, adds nothing to metadata and copies nothing', async () => {
    const never = (): never => {
      throw new Error('asked for messages with tracing off');
    };
    await NO_TRACING.processBatch({ consumer: 'c', messages: never }, async () => undefined);
    await NO_TRACING.publish({ destination: 'bus', messages: never }, async () => undefined);
    const untouched = metadata();
    const seen = await NO_TRACING.command(command, async (span) => withTraceContext(untouched, span.context));
    expect(seen).toBe(untouched);
    expect(withTraceContext(untouched, NO_TRACE_CONTEXT)).toBe(untouched);
  });
});
