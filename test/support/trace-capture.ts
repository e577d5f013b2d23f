import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Container } from 'inversify';
import type { StoreKind } from '../../src/main/config.js';
import { startTraceExport } from '../../src/main/trace-export.js';
import { TOKENS } from '../../src/main/tokens.js';

export interface TraceCapture {
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** The one span named `name` (fails when there are none or several). */
  one(name: string, where?: (span: ReadableSpan) => boolean): ReadableSpan;
  /** The spans whose parent is `parent`. */
  childrenOf(parent: ReadableSpan): ReadableSpan[];
}

/** The W3C traceparent a span's context is stored as. */
export const traceparentOf = (span: ReadableSpan): string => {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
};

/** Span ids of the span contexts a span links to. */
export const linkedSpanIds = (span: ReadableSpan): string[] => span.links.map((link) => link.context.spanId);

/**
 * The composition root's own SDK set-up (trace-export.ts), with ended spans kept in memory instead of batched to
 * a collector; bound into `container` before anything is resolved from it, as serve and the Lambda bind metrics.
 * The app's close shuts it down and gives back the API's globals.
 */
export const captureTraces = (container: Container, store: StoreKind = 'memory'): TraceCapture => {
  const exporter = new InMemorySpanExporter();
  container.rebind(TOKENS.TraceExport).toConstantValue(startTraceExport({ serviceName: 'es-core-test', store, processor: new SimpleSpanProcessor(exporter) }));
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  return {
    spans,
    one(name, where = () => true) {
      const found = spans().filter((span) => span.name === name && where(span));
      if (found.length !== 1) throw new Error(`expected one span ${name}, found ${found.length}: ${spans().map((span) => span.name).join(', ')}`);
      return found[0] as ReadableSpan;
    },
    childrenOf: (parent) => spans().filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId),
  };
};
