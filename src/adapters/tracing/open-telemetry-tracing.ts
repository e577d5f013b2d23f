import { context, defaultTextMapGetter, defaultTextMapSetter, isSpanContextValid, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  NO_TRACE_CONTEXT,
  type CommandSpan,
  type CommandSpanOutcome,
  type CommandSpanStart,
  type CommandStep,
  type MessagingSpan,
  type ProcessOneStart,
  type ProcessSpanStart,
  type PublishSpanStart,
  type TraceContext,
  type TracedMessage,
  type Tracing,
} from '../../application/ports/tracing.js';

/**
 * Attribute names: the messaging semantic conventions where they say something (publish, process, links on
 * batches), `es_core.*` for what only this service knows (aggregates, commands).
 */
export const ATTRIBUTES = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  consumerGroup: 'messaging.consumer.group.name',
  batchCount: 'messaging.batch.message_count',
  messageId: 'messaging.message.id',
  errorType: 'error.type',
  eventType: 'es_core.event.type',
  aggregateType: 'es_core.aggregate.type',
  aggregateId: 'es_core.aggregate.id',
  command: 'es_core.command.name',
  outcome: 'es_core.command.outcome',
  refusal: 'es_core.command.refusal_code',
  version: 'es_core.aggregate.version',
  eventsAppended: 'es_core.command.events_appended',
  conflictsRetried: 'es_core.command.conflicts_retried',
} as const;

export interface OpenTelemetryTracingOptions {
  /** `messaging.system` of the bus the relay publishes to, e.g. aws_eventbridge. */
  readonly busSystem: string;
  /** `messaging.system` of the committed-event feed the consumers read: DynamoDB Streams, or the store's global log. */
  readonly feedSystem: string;
}

/** Codes of infrastructure failing (the store, a commit of unknown outcome, conflicts past the retries), not of a rule refusing. */
const isFailure = (code: string): boolean => code.startsWith('EVENT_STORE.');

const propagator = new W3CTraceContextPropagator();

const contextOf = (span: Span): TraceContext => {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier;
};

/** The span context W3C headers carry, when they carry a valid one (a malformed traceparent or all-zero ids carry none). */
const spanContextIn = (carrier: TraceContext) => {
  const spanContext = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
};

/** The span context a message was created in, when it carries a valid one. */
const createdIn = (message: TracedMessage) => (message.context === null ? undefined : spanContextIn(message.context));

const linksTo = (messages: readonly TracedMessage[]): Link[] => {
  const links: Link[] = [];
  for (const message of messages) {
    const created = createdIn(message);
    if (created !== undefined) links.push({ context: created, attributes: { [ATTRIBUTES.messageId]: message.id, [ATTRIBUTES.eventType]: message.type } });
  }
  return links;
};

const fail = (span: Span, error: unknown): void => {
  span.recordException(error instanceof Error ? error : String(error));
  span.setAttribute(ATTRIBUTES.errorType, error instanceof Error ? error.name : 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
};

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown> | null)?.then === 'function';

/** A child of the active span around `work`, ended when it returns or, for a promise, settles. */
const childSpan = <T>(tracer: Tracer, name: string, attributes: Attributes, work: () => T): T => {
  const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes });
  let result: T;
  try {
    result = context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    fail(span, error);
    span.end();
    throw error;
  }
  if (!isPromise(result)) {
    span.end();
    return result;
  }
  return result.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      fail(span, error);
      span.end();
      throw error;
    },
  ) as T;
};

class OpenTelemetryCommandSpan implements CommandSpan {
  #conflicts = 0;
  #context: TraceContext | null = null;

  constructor(
    private readonly tracer: Tracer,
    private readonly span: Span,
    private readonly start: CommandSpanStart,
  ) {}

  get context(): TraceContext {
    this.#context ??= contextOf(this.span);
    return this.#context;
  }

  step<T>(name: CommandStep, work: () => T): T {
    return childSpan(this.tracer, name, { [ATTRIBUTES.aggregateType]: this.start.aggregateType, [ATTRIBUTES.aggregateId]: this.start.aggregateId }, work);
  }

  conflictRetried(): void {
    this.#conflicts += 1;
    this.span.addEvent('conflict', { [ATTRIBUTES.conflictsRetried]: this.#conflicts });
  }

  settled(outcome: CommandSpanOutcome): void {
    this.span.setAttributes({ [ATTRIBUTES.outcome]: outcome.kind, [ATTRIBUTES.conflictsRetried]: this.#conflicts });
    if (outcome.kind === 'accepted') this.span.setAttributes({ [ATTRIBUTES.version]: outcome.version, [ATTRIBUTES.eventsAppended]: outcome.events });
    if (outcome.kind !== 'refused') return;
    this.span.setAttribute(ATTRIBUTES.refusal, outcome.code);
    if (isFailure(outcome.code)) {
      this.span.setAttribute(ATTRIBUTES.errorType, outcome.code);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.code });
    }
  }
}

class OpenTelemetryMessagingSpan implements MessagingSpan {
  #context: TraceContext | null = null;

  constructor(private readonly span: Span) {}

  get context(): TraceContext {
    this.#context ??= contextOf(this.span);
    return this.#context;
  }
}

const UNTRACED: MessagingSpan = { context: NO_TRACE_CONTEXT };

/**
 * The Tracing port over `@opentelemetry/api`: whatever tracer the composition root hands it (the SDK's, exporting
 * over OTLP; an in-memory one in tests). Spans are made active with `context.with` around their work, so the
 * logger and anything else reading the active span sees them. Contexts travel as W3C Trace Context.
 */
export class OpenTelemetryTracing implements Tracing {
  constructor(
    private readonly tracer: Tracer,
    private readonly options: OpenTelemetryTracingOptions,
  ) {}

  command<T>(start: CommandSpanStart, work: (span: CommandSpan) => Promise<T>): Promise<T> {
    // The caller's context, when it sent a valid one, is the parent: the command continues the trace it came from.
    const caller = start.parent === undefined ? undefined : spanContextIn(start.parent);
    const parent = caller === undefined ? context.active() : trace.setSpanContext(context.active(), caller);
    const span = this.tracer.startSpan(
      `${start.aggregateType}.${start.command}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: { [ATTRIBUTES.aggregateType]: start.aggregateType, [ATTRIBUTES.aggregateId]: start.aggregateId, [ATTRIBUTES.command]: start.command },
      },
      parent,
    );
    return this.#within(span, parent, () => work(new OpenTelemetryCommandSpan(this.tracer, span, start)));
  }

  publish<T>(start: PublishSpanStart, work: (span: MessagingSpan) => Promise<T>): Promise<T> {
    const messages = start.messages();
    const span = this.tracer.startSpan(`publish ${start.destination}`, {
      kind: SpanKind.PRODUCER,
      links: linksTo(messages),
      attributes: {
        [ATTRIBUTES.system]: this.options.busSystem,
        [ATTRIBUTES.operationType]: 'publish',
        [ATTRIBUTES.operationName]: 'publish',
        [ATTRIBUTES.destination]: start.destination,
        [ATTRIBUTES.batchCount]: messages.length,
      },
    });
    return this.#within(span, context.active(), () => work(new OpenTelemetryMessagingSpan(span)));
  }

  processBatch<T>(start: ProcessSpanStart, work: (span: MessagingSpan) => Promise<T>): Promise<T> {
    const messages = start.messages();
    // Nothing in the batch for this consumer: a span per idle batch would drown the ones that matter.
    if (messages.length === 0) return work(UNTRACED);
    const span = this.tracer.startSpan(`process ${start.consumer}`, {
      kind: SpanKind.CONSUMER,
      links: linksTo(messages),
      attributes: {
        [ATTRIBUTES.system]: this.options.feedSystem,
        [ATTRIBUTES.operationType]: 'process',
        [ATTRIBUTES.operationName]: 'process',
        [ATTRIBUTES.consumerGroup]: start.consumer,
        [ATTRIBUTES.batchCount]: messages.length,
      },
    });
    return this.#within(span, context.active(), () => work(new OpenTelemetryMessagingSpan(span)));
  }

  processOne<T>(start: ProcessOneStart, work: (span: MessagingSpan) => Promise<T>): Promise<T> {
    const created = createdIn(start.message);
    // Single-message processing continues the creation context's trace (the conventions allow it as parent) and links to it.
    const parent = created === undefined ? context.active() : trace.setSpanContext(context.active(), created);
    const span = this.tracer.startSpan(
      `process ${start.consumer}`,
      {
        kind: SpanKind.CONSUMER,
        links: linksTo([start.message]),
        attributes: {
          [ATTRIBUTES.system]: this.options.feedSystem,
          [ATTRIBUTES.operationType]: 'process',
          [ATTRIBUTES.operationName]: 'process',
          [ATTRIBUTES.consumerGroup]: start.consumer,
          [ATTRIBUTES.messageId]: start.message.id,
          [ATTRIBUTES.eventType]: start.message.type,
        },
      },
      parent,
    );
    return this.#within(span, parent, () => work(new OpenTelemetryMessagingSpan(span)));
  }

  async #within<T>(span: Span, parent: ReturnType<typeof context.active>, work: () => Promise<T>): Promise<T> {
    try {
      return await context.with(trace.setSpan(parent, span), work);
    } catch (error) {
      fail(span, error);
      throw error;
    } finally {
      span.end();
    }
  }
}
