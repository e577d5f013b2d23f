import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryTracing } from '../adapters/tracing/open-telemetry-tracing.js';
import type { Tracing } from '../application/ports/tracing.js';
import type { StoreKind } from './config.js';
import type { TracingConfig } from './tracing-config.js';
import { TRACING_OFF } from './tracing-module.js';

/** The application's Tracing and the SDK behind it, as the entry points drive it. */
export interface TraceExport {
  readonly tracing: Tracing;
  /** Exports every span ended so far (the end of a Lambda invocation: the process may be frozen right after). */
  flush(): Promise<void>;
  /** Flushes, then stops the SDK and gives back the global context manager, tracer provider and propagator. */
  shutdown(): Promise<void>;
}

/** A batch of projections' events (500 at most) links every one; the SDK's default of 128 links would drop the rest. */
const MAX_LINKS_PER_SPAN = 1_000;

/** `messaging.system` of the committed-event feed: DynamoDB Streams on DynamoDB, the store's own global log elsewhere. */
export const feedSystemOf = (store: StoreKind): string => (store === 'dynamodb' ? 'aws_dynamodb_streams' : 'es_core_global_log');

export interface TraceExportOptions {
  readonly serviceName: string;
  readonly store: StoreKind;
  /** Where ended spans go: a BatchSpanProcessor over OTLP in the service, a SimpleSpanProcessor in memory in tests. */
  readonly processor: SpanProcessor;
}

/**
 * Starts the SDK: a tracer provider with the service's resource (`service.name`, plus `OTEL_RESOURCE_ATTRIBUTES`),
 * async-hooks context propagation (so the active span follows the work through awaits, for the logger as well) and
 * W3C Trace Context, registered as the API's globals for any library instrumentation loaded beside it.
 */
export const startTraceExport = (options: TraceExportOptions): TraceExport => {
  const resource = detectResources({ detectors: [envDetector] }).merge(resourceFromAttributes({ 'service.name': options.serviceName }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [options.processor], spanLimits: { linkCountLimit: MAX_LINKS_PER_SPAN } });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  // Another SDK already registered in this process keeps its globals; context.with still needs a manager, so ours
  // is used only where none was (a second container in one process shares the first one's).
  const ownsContext = context.setGlobalContextManager(contextManager);
  if (!ownsContext) contextManager.disable();
  const ownsProvider = trace.setGlobalTracerProvider(provider);
  const ownsPropagator = propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const tracer = provider.getTracer('es-core');
  const tracing = new OpenTelemetryTracing(tracer, { busSystem: 'aws_eventbridge', feedSystem: feedSystemOf(options.store) });
  let stopped: Promise<void> | null = null;
  return {
    tracing,
    flush: () => provider.forceFlush(),
    shutdown: () =>
      (stopped ??= (async () => {
        await provider.shutdown();
        if (ownsProvider) trace.disable();
        if (ownsPropagator) propagation.disable();
        if (ownsContext) context.disable();
      })()),
  };
};

/** What the configuration asks for: spans batched to the OTLP/HTTP collector, or tracing off at no cost. */
export const traceExportFor = (config: TracingConfig | null, store: StoreKind): TraceExport =>
  config === null
    ? TRACING_OFF
    : startTraceExport({ serviceName: config.serviceName, store, processor: new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl })) });
