import { SpanKind } from '@opentelemetry/api';
import type { Container } from 'inversify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import { NO_TRACING } from '../../src/application/ports/tracing.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, Subscription } from '../../src/application/subscriptions/subscription.js';
import { createContainer } from '../../src/main/container.js';
import { connectPublisher, relayFor } from '../../src/main/relay-service.js';
import { TOKENS } from '../../src/main/tokens.js';
import { EventBridgeFake } from '../support/eventbridge-fake/eventbridge-fake.js';
import { ctx, openFulfilmentApp, type FulfilmentApp } from '../support/fulfilment-app.js';
import { captureTraces, linkedSpanIds, traceparentOf, type TraceCapture } from '../support/trace-capture.js';

const BUS = 'orders-bus';

const placeOrder = {
  type: 'PlaceOrder',
  orderId: 'o-1',
  customerId: 'c-1',
  currency: 'EUR',
  lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }],
  shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' },
  paymentMethodToken: 'tok_approve_visa',
} as const;

const checkout = async (fx: FulfilmentApp): Promise<void> => {
  const { app } = fx;
  (await app.customers.handle({ type: 'RegisterCustomer', customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, ctx()))._unsafeUnwrap();
  (await app.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-1', quantity: 10 }, ctx()))._unsafeUnwrap();
  (await app.orders.handle(placeOrder, ctx('c-1')))._unsafeUnwrap();
};

describe('traces across a checkout (memory store, in-process feed, EventBridge)', () => {
  let fake: EventBridgeFake;
  let fx: FulfilmentApp;
  let container: Container;
  let traces: TraceCapture;

  beforeAll(async () => {
    fake = await EventBridgeFake.start({ buses: [BUS] });
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(async () => {
    await fx.close();
    vi.unstubAllEnvs();
  });

  const open = async (traced: boolean): Promise<void> => {
    fx = await openFulfilmentApp({ store: 'memory' }, undefined, async (config, runtime) => {
      container = await createContainer(config, runtime);
      if (traced) traces = captureTraces(container);
      return container;
    });
  };

  /** The relay, polled in process from the committed feed, publishing to the EventBridge fake through the real SDK client. */
  const relayOnce = async (): Promise<void> => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    const bus = { busName: BUS, source: 'es-core', region: 'eu-west-1', endpoint: fake.endpoint };
    const publisher = await connectPublisher(container, bus);
    const deps = { feed: container.get(TOKENS.CommittedEventFeed), checkpoints: container.get(TOKENS.CheckpointStore), leases: null, metrics: container.get(TOKENS.Metrics), clock: container.get(TOKENS.Clock), logger: container.get(TOKENS.Logger) };
    await new Subscription(deps, relayFor(container, publisher, bus), { ...DEFAULT_SUBSCRIPTION_OPTIONS, owner: 'test' }).catchUp();
    publisher.close();
  };

  const stored = (streamId: string): Promise<EventEnvelope[]> => fx.app.eventStore.readStream(streamId);

  it("stores each command's span as its events' creation context, and the relay, the projections and the workflow link back to it", async () => {
    await open(true);
    fake.reset();
    await checkout(fx);
    await fx.run();
    await relayOnce();
    await fx.app.catchUp();

    // A command's span covers its steps: ReceiveStock on a new SKU loads, decides and appends.
    const receive = traces.one('Inventory.ReceiveStock');
    expect(receive.kind).toBe(SpanKind.INTERNAL);
    expect(traces.childrenOf(receive).map((span) => span.name)).toEqual(['load', 'decide', 'append']);
    expect(receive.attributes).toMatchObject({
      'es_core.aggregate.type': 'Inventory',
      'es_core.aggregate.id': 'SKU-1',
      'es_core.command.name': 'ReceiveStock',
      'es_core.command.outcome': 'accepted',
      'es_core.command.conflicts_retried': 0,
    });

    // PlaceOrder starts its stream: decided on the initial state, appended without a load.
    const place = traces.one('Order.PlaceOrder');
    expect(traces.childrenOf(place).filter((span) => span.kind === SpanKind.INTERNAL).map((span) => span.name)).toEqual(['decide', 'append']);
    const [created] = await stored('Order-o-1');
    expect(created?.type).toBe('OrderCreated');
    expect(created?.metadata.traceparent).toBe(traceparentOf(place));
    const placeId = place.spanContext().spanId;

    // The relay's publish span links to every event's creation context; the detail on the bus carries it on.
    const publish = traces.one(`publish ${BUS}`);
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.attributes).toMatchObject({ 'messaging.system': 'aws_eventbridge', 'messaging.operation.type': 'publish', 'messaging.destination.name': BUS });
    const delivered = fake.delivered(BUS);
    expect(publish.attributes['messaging.batch.message_count']).toBe(delivered.length);
    expect(publish.links).toHaveLength(delivered.length);
    expect(publish.links.find((link) => link.attributes?.['messaging.message.id'] === created?.eventId)?.context.spanId).toBe(placeId);
    const detail = delivered.find((event) => event.detail.eventId === created?.eventId)?.detail as { metadata: Record<string, unknown> } | undefined;
    expect(detail?.metadata.traceparent).toBe(traceparentOf(place));

    // Each projection's batch span links to the commands whose events it applied.
    for (const projection of ['order-summary', 'inventory-levels', 'support-history']) {
      const process = traces.one(`process ${projection}`);
      expect(process.kind).toBe(SpanKind.CONSUMER);
      expect(process.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.consumer.group.name': projection, 'messaging.system': 'es_core_global_log' });
      expect(process.links.length).toBe(process.attributes['messaging.batch.message_count']);
    }
    expect(linkedSpanIds(traces.one('process order-summary'))).toContain(placeId);
    expect(linkedSpanIds(traces.one('process inventory-levels'))).toContain(receive.spanContext().spanId);

    // The workflow continues the checkout's trace: its span for OrderCreated is the placing command's child, and the
    // commands it sends are its own children, with their events created in their spans.
    const workflow = traces.one('process workflow:order-fulfilment', (span) => span.attributes['messaging.message.id'] === created?.eventId);
    expect(workflow.kind).toBe(SpanKind.CONSUMER);
    expect(workflow.parentSpanContext?.spanId).toBe(placeId);
    expect(linkedSpanIds(workflow)).toEqual([placeId]);
    const reserve = traces.one('Inventory.ReserveStock');
    expect(reserve.parentSpanContext?.spanId).toBe(workflow.spanContext().spanId);
    expect(reserve.spanContext().traceId).toBe(place.spanContext().traceId);
    const reserved = (await stored('Inventory-SKU-1')).find((event) => event.type === 'InventoryReserved');
    expect(reserved?.metadata.traceparent).toBe(traceparentOf(reserve));
    const [recorded] = await stored('OrderFulfilment-o-1');
    expect(recorded?.metadata.traceparent).toBe(traceparentOf(workflow));
    // ... and the next input (the reservation) is processed as a child of the reservation's command, still one trace.
    const next = traces.one('process workflow:order-fulfilment', (span) => span.attributes['messaging.message.id'] === reserved?.eventId);
    expect(next.parentSpanContext?.spanId).toBe(reserve.spanContext().spanId);
    expect(next.spanContext().traceId).toBe(place.spanContext().traceId);
    const request = traces.one('Payment.RequestPayment');
    expect(request.spanContext().traceId).toBe(place.spanContext().traceId);
  });

  it('with tracing off adds nothing to metadata and no span is started', async () => {
    await open(false);
    expect(container.get(TOKENS.Tracing)).toBe(NO_TRACING);
    await checkout(fx);
    await fx.run();
    await relayOnce();
    const [created] = await stored('Order-o-1');
    expect(Object.keys(created?.metadata ?? {}).sort()).toEqual(['actor', 'causationId', 'correlationId']);
    const delivered = fake.delivered(BUS).find((event) => event.detail.eventId === created?.eventId)?.detail as { metadata: Record<string, unknown> } | undefined;
    expect(delivered?.metadata).not.toHaveProperty('traceparent');
    for (const event of await stored('OrderFulfilment-o-1')) expect(event.metadata).not.toHaveProperty('traceparent');
  });
});
