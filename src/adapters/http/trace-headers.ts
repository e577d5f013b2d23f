import type { TraceContext } from '../../application/ports/tracing.js';
import { containsCardNumber } from '../../domain/index.js';

/**
 * W3C Trace Context's own bounds: a traceparent is 55 characters in version 00 (later versions may append fields),
 * a tracestate at most 32 members, which vendors are asked to keep within 512 characters.
 */
const MAX_TRACEPARENT = 256;
const MAX_TRACESTATE = 512;

/** The headers' schemas: any string is accepted, since a malformed one is ignored (the trace restarts), never refused. */
export const traceContextHeaders = {
  traceparent: { type: 'string', description: "W3C Trace Context: the caller's span; the command's span is its child. Malformed: ignored, a new trace starts" },
  tracestate: { type: 'string', description: 'W3C Trace Context: vendor state carried with the traceparent. Ignored without a traceparent' },
} as const;

const usable = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max && !containsCardNumber(value);

/**
 * The caller's trace context, as the application carries it; undefined without a traceparent. Each value is kept
 * only when it is a string within the spec's bounds holding no card number (the tracestate goes on with the trace,
 * into stored event metadata): anything else is dropped, as the spec drops what it cannot parse. Whether the
 * traceparent parses is the tracing adapter's matter, and it is never read when tracing is off.
 */
export const callerTraceOf = (traceparent: unknown, tracestate: unknown): TraceContext | undefined => {
  if (!usable(traceparent, MAX_TRACEPARENT)) return undefined;
  return usable(tracestate, MAX_TRACESTATE) ? { traceparent, tracestate } : { traceparent };
};
