import { isSpanContextValid, trace } from '@opentelemetry/api';

/** W3C trace context: version, trace id, parent span id, flags. */
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;

type TraceFields = { traceId: string; spanId: string } | Record<string, never>;

/**
 * The trace a line belongs to: the active span's (a command's, a consumer's batch, an HTTP request's); outside
 * every span, the one the event the line is about was recorded under (its `traceparent`); otherwise none.
 */
export const traceMixin = (line: object): TraceFields => {
  const active = trace.getActiveSpan()?.spanContext();
  if (active !== undefined && isSpanContextValid(active)) return { traceId: active.traceId, spanId: active.spanId };
  const { traceparent } = line as { traceparent?: unknown };
  const found = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  return found?.[1] !== undefined && found[2] !== undefined ? { traceId: found[1], spanId: found[2] } : {};
};

/** The line's own fields over the trace's, the raw `traceparent` left out once read: one way to spell a trace per line. */
export const traceMergeStrategy = (line: object, mixed: object): object => {
  if (!('traceparent' in line)) return Object.assign(mixed, line);
  const { traceparent: _read, ...rest } = line as { traceparent?: unknown };
  return Object.assign(mixed, rest);
};
