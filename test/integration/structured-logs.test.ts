import { context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import Fastify from 'fastify';
import type { Container } from 'inversify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withRedaction } from '../../src/adapters/http/log-redaction.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import type { ProjectionConsumer } from '../../src/application/projections/projection-consumer.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { bindLogger } from '../../src/main/log-output.js';
import { TOKENS } from '../../src/main/tokens.js';
import { LEVEL, type LogLine } from '../support/captured-log.js';
import { context as commandContext, placeOrder } from '../support/memory-app.js';
import { poisonOrderSummary } from '../support/poisoned-projection.js';

const contextManager = new AsyncLocalStorageContextManager();
const tracer = new BasicTracerProvider().getTracer('structured-logs-test');

/** Runs `work` inside a fresh active span, as a consumer's processing span would be; the span's trace and span ids. */
const inSpan = async (work: () => Promise<unknown>): Promise<{ traceId: string; spanId: string }> =>
  tracer.startActiveSpan('process', async (span: Span) => {
    try {
      await work();
    } finally {
      span.end();
    }
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  });

let container: Container;
let app: App;
let written: string[];
const lines = (): LogLine[] => written.map((line) => JSON.parse(line) as LogLine);

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

beforeEach(async () => {
  written = [];
  container = await createContainer(loadConfig({}, { store: 'memory', fulfilment: 'manual' }));
  // The service's own wiring (serve.ts and the Lambda bind it so), writing to memory instead of standard output.
  bindLogger(container, 'debug', { write: (line: string) => void written.push(line) });
  app = appFrom(container);
});
afterEach(async () => {
  await app?.close();
});

const committed = async (): Promise<readonly EventEnvelope[]> => (await container.get(TOKENS.CommittedEventFeed).read(null, 100)).events;
const orderSummary = (): ProjectionConsumer => {
  const consumer = container.get(TOKENS.Projections).consumers().find((candidate) => candidate.name === 'order-summary');
  if (consumer === undefined) throw new Error('no order-summary consumer');
  return consumer;
};

describe('structured log lines about events', () => {
  it("carry the event's ids, stream, version, correlation and causation, the consumer, and the active span's trace", async () => {
    await placeOrder(app, { customerId: 'c-1', orderId: 'o-1', sku: 'SKU-1' });
    const events = await committed();
    const created = events.find((event) => event.type === 'OrderCreated');
    expect(created).toBeDefined();
    const consumer = orderSummary();
    await consumer.begin();

    const span = await inSpan(() => consumer.handle(events, null));

    const line = lines().find((candidate) => candidate.eventId === created?.eventId);
    expect(line).toEqual(
      expect.objectContaining({
        level: LEVEL.debug,
        msg: 'projection applied an event',
        consumer: 'order-summary',
        eventId: created?.eventId,
        eventType: 'OrderCreated',
        streamId: 'Order-o-1',
        version: 1,
        correlationId: created?.metadata.correlationId,
        causationId: created?.metadata.causationId,
        traceId: span.traceId,
        spanId: span.spanId,
      }),
    );
    expect(line).not.toHaveProperty('traceparent');
  });

  it('outside every span, take the trace the event was recorded under from its traceparent; without one, name no trace', async () => {
    await placeOrder(app, { customerId: 'c-2', orderId: 'o-2', sku: 'SKU-2' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const recordedUnder = `00-${traceId}-00f067aa0ba902b7-01`;
    const events = (await committed()).map((event) => ({ ...event, metadata: { ...event.metadata, traceparent: recordedUnder } }));
    const consumer = orderSummary();
    await consumer.begin();
    await consumer.handle(events, null);
    const applied = lines().filter((line) => line.msg === 'projection applied an event');
    expect(applied.length).toBeGreaterThan(0);
    for (const line of applied) expect(line).toMatchObject({ traceId, spanId: '00f067aa0ba902b7' });
    expect(applied.some((line) => 'traceparent' in line)).toBe(false);

    written.length = 0;
    const untraced = (await committed()).map((event) => {
      const { traceparent: _recordedUnder, ...metadata } = event.metadata;
      return { ...event, metadata };
    });
    const fresh = container.get(TOKENS.Projections).consumers().find((candidate) => candidate.name === 'inventory-levels');
    await fresh?.begin();
    await fresh?.handle(untraced, null);
    expect(lines().length).toBeGreaterThan(0);
    expect(lines().some((line) => 'traceId' in line)).toBe(false);
  });

  it('say which consumer stopped at which event (stream, version, id, type, why) when a projection stops at a poison event', async () => {
    await placeOrder(app, { customerId: 'c-3', orderId: 'o-3', sku: 'SKU-3' });
    const created = (await committed()).find((event) => event.type === 'OrderCreated');
    const restore = poisonOrderSummary((event) => event.type === 'OrderCreated', 'cannot read this event');
    try {
      await app.projections.catchUp();
    } finally {
      restore();
    }
    const identity = { consumer: 'order-summary', eventId: created?.eventId, eventType: 'OrderCreated', streamId: 'Order-o-3', version: 1, correlationId: created?.metadata.correlationId };
    const stopped = lines().filter((line) => line.level === LEVEL.error);
    expect(stopped).toEqual([expect.objectContaining({ ...identity, msg: 'consumer stopped at an event until an operator retries or parks it', stopReason: 'POISON', attempts: 3, error: 'cannot read this event' })]);
    // Each failed attempt before it, as a warning about the same event.
    const attempts = lines().filter((line) => line.level === LEVEL.warn && line.msg === 'projection failed to apply an event');
    expect(attempts.map((line) => line.attempt)).toEqual([1, 2, 3]);
    for (const line of attempts) expect(line).toMatchObject(identity);
  });

  it("say what the fulfilment workflow recorded, in its own stream, under the checkout's correlation id and the active span", async () => {
    await placeOrder(app, { customerId: 'c-6', orderId: 'o-6', sku: 'SKU-6' });
    const created = (await committed()).find((event) => event.type === 'OrderCreated');
    const span = await inSpan(async () => container.get(TOKENS.Fulfilment).runner.handle(created === undefined ? [] : [created], null));
    const recorded = lines().filter((line) => line.msg === 'workflow recorded an input');
    expect(recorded[0]).toEqual(
      expect.objectContaining({
        level: LEVEL.info,
        consumer: 'workflow:order-fulfilment',
        orderId: 'o-6',
        streamId: expect.stringMatching(/-o-6$/),
        version: 1,
        correlationId: created?.metadata.correlationId,
        causationId: created?.eventId,
        traceId: span.traceId,
      }),
    );
  });

  it('write a warning about every event set aside as a dead letter', async () => {
    await placeOrder(app, { customerId: 'c-4', orderId: 'o-4', sku: 'SKU-4' });
    const [event] = await committed();
    if (event === undefined) throw new Error('nothing committed');
    await container.get(TOKENS.DeadLetterStore).put([{ event, code: 'PUBLISH.REJECTED_BY_BUS', message: 'malformed detail', busErrorCode: 'MalformedDetail', deadLetteredAt: '2026-03-01T09:00:00.000Z' }]);
    expect(lines().filter((line) => line.level === LEVEL.warn)).toEqual([
      expect.objectContaining({ eventId: event.eventId, streamId: event.streamId, version: event.version, eventType: event.type, correlationId: event.metadata.correlationId, deadLetterCode: 'PUBLISH.REJECTED_BY_BUS', busErrorCode: 'MalformedDetail' }),
    ]);
  });
});

describe('redaction, one list for every logger', () => {
  const PERSONAL = ['Ada Lovelace', 'ada@example.com', '12 St James Square', 'Bearer secret-token', 'c2VjcmV0', '4111 1111 1111 1111'];

  it('keeps personal fields, authorisation headers and card numbers out of the event lines', async () => {
    const registered = await app.customers.handle(
      { type: 'RegisterCustomer', customerId: 'c-5', personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square' } },
      commandContext(),
    );
    expect(registered.isOk()).toBe(true);
    await app.projections.catchUp();
    const logger = container.get(TOKENS.Logger);
    logger.info('a careless line', { authorization: 'Bearer secret-token', email: 'ada@example.com', address: '12 St James Square', error: 'value 4111 1111 1111 1111 refused' });
    logger.child({ consumer: 'x' }).warn('another', { personal: 'Ada Lovelace', reason: 'c2VjcmV0' });
    const text = written.join('');
    expect(lines().some((line) => line.eventType === 'CustomerRegistered')).toBe(true);
    for (const secret of PERSONAL) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain('value [card number ending 1111] refused');
  });

  it("gives fastify's request lines the same redaction and the active span's trace id", async () => {
    const captured: string[] = [];
    const server = Fastify({ logger: withRedaction({ level: 'info', stream: { write: (line: string) => void captured.push(line) } }) });
    // What HTTP instrumentation does: the rest of the request runs inside its span.
    const spans: { traceId: string; spanId: string }[] = [];
    server.addHook('onRequest', (_request, _reply, done) => {
      tracer.startActiveSpan('GET /orders/:id', (active) => {
        spans.push(active.spanContext());
        done();
        active.end();
      });
    });
    server.get('/orders/:id', async (request) => {
      request.log.info({ headers: { authorization: 'Bearer secret-token' }, personal: { name: 'Ada Lovelace' } }, 'handling');
      return { ok: true };
    });
    const response = await server.inject({ method: 'GET', url: '/orders/o-1', headers: { authorization: 'Bearer secret-token' } });
    await server.close();
    expect(response.statusCode).toBe(200);
    const logged = captured.map((line) => JSON.parse(line) as LogLine);
    const traced = logged.filter((line) => line.msg === 'handling' || line.msg === 'request completed');
    expect(traced).toHaveLength(2);
    expect(spans).toHaveLength(1);
    for (const line of traced) expect(line).toMatchObject({ traceId: spans[0]?.traceId, spanId: spans[0]?.spanId });
    for (const secret of ['secret-token', 'Ada Lovelace']) expect(captured.join('')).not.toContain(secret);
  });
});
