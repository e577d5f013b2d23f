import type { FastifyInstance } from 'fastify';
import type { Container } from 'inversify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/adapters/http/http-server.js';
import { SqsCommandConsumer } from '../../src/adapters/sqs/sqs-command-consumer.js';
import type { SqsRecord } from '../../src/adapters/sqs/sqs-events.js';
import { createContainer } from '../../src/main/container.js';
import { bearer, testHttpAuth } from '../support/auth-tokens.js';
import { ctx, openFulfilmentApp, type FulfilmentApp } from '../support/fulfilment-app.js';
import { captureTraces, traceparentOf, type TraceCapture } from '../support/trace-capture.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;
const TRACESTATE = 'vendor=opaque';

describe("a command continues its caller's trace (W3C traceparent)", () => {
  let fx: FulfilmentApp;
  let traces: TraceCapture;
  let server: FastifyInstance | null = null;

  afterEach(async () => {
    await server?.close();
    server = null;
    await fx.close();
  });

  const open = async (): Promise<void> => {
    fx = await openFulfilmentApp({ store: 'memory' }, undefined, async (config, runtime) => {
      const container: Container = await createContainer(config, runtime);
      traces = captureTraces(container);
      return container;
    });
  };

  const receiveSpan = (sku: string) => traces.one('Inventory.ReceiveStock', (span) => span.attributes['es_core.aggregate.id'] === sku);

  it("called directly with the caller's context: the span is the caller's child, its events carry the caller's trace and tracestate", async () => {
    await open();
    (await fx.app.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-1', quantity: 1 }, { ...ctx(), trace: { traceparent: TRACEPARENT, tracestate: TRACESTATE } }))._unsafeUnwrap();
    const span = receiveSpan('SKU-1');
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(traces.childrenOf(span).map((child) => child.name)).toEqual(['load', 'decide', 'append']);
    const [received] = await fx.app.eventStore.readStream('Inventory-SKU-1');
    expect(received?.metadata.traceparent).toBe(traceparentOf(span));
    expect(received?.metadata.tracestate).toBe(TRACESTATE);
  });

  it('over HTTP: traceparent and tracestate headers are accepted and continued; a malformed or all-zero one is ignored, never refused', async () => {
    await open();
    server = await buildHttpServer({ services: fx.app, metrics: { exposition: async () => ({ contentType: 'text/plain', text: '' }) }, auth: await testHttpAuth() });
    const post = async (sku: string, trace: Record<string, string>) =>
      (await server!.inject({ method: 'POST', url: `/inventory/${sku}/receive`, headers: { ...(await bearer()), ...trace }, payload: { quantity: 1 } })).statusCode;

    expect(await post('SKU-H', { traceparent: TRACEPARENT, tracestate: TRACESTATE })).toBe(200);
    const continued = receiveSpan('SKU-H');
    expect(continued.spanContext().traceId).toBe(TRACE_ID);
    expect(continued.parentSpanContext?.spanId).toBe(PARENT_ID);

    expect(await post('SKU-M', { traceparent: 'not-a-traceparent', tracestate: TRACESTATE })).toBe(200);
    expect(await post('SKU-Z', { traceparent: `00-${'0'.repeat(32)}-${PARENT_ID}-01` })).toBe(200);
    for (const sku of ['SKU-M', 'SKU-Z']) {
      const restarted = receiveSpan(sku);
      expect(restarted.parentSpanContext).toBeUndefined();
      expect(restarted.spanContext().traceId).not.toBe(TRACE_ID);
    }
  });

  it('from the SQS command queue: the message attribute traceparent is continued the same way', async () => {
    await open();
    const consumer = await SqsCommandConsumer.over(fx.app, { serviceActor: 'orders-service' });
    const record: SqsRecord = {
      messageId: 'm-1',
      receiptHandle: 'r-1',
      body: JSON.stringify({ command: 'ReceiveStock', input: { sku: 'SKU-Q', quantity: 1 } }),
      attributes: {},
      messageAttributes: { traceparent: { dataType: 'String', stringValue: TRACEPARENT } },
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:commands',
      awsRegion: 'eu-west-1',
    };
    expect(await consumer.handle({ Records: [record] })).toEqual({ batchItemFailures: [] });
    const span = receiveSpan('SKU-Q');
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_ID);
  });
});
