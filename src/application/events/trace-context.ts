import type { TraceContext, TracedMessage } from '../ports/tracing.js';
import type { EventEnvelope, EventMetadata } from './envelope.js';

/**
 * The creation context of an event lives in its metadata as the W3C Trace Context headers themselves
 * (`traceparent`, `tracestate`), as CloudEvents' distributed-tracing extension carries them: the relay hands the
 * metadata on in the bus's detail, and any consumer downstream reads it the same way.
 */
export const traceContextOf = (metadata: EventMetadata): TraceContext | null => {
  const { traceparent, tracestate } = metadata;
  if (typeof traceparent !== 'string' || traceparent === '') return null;
  return typeof tracestate === 'string' && tracestate !== '' ? { traceparent, tracestate } : { traceparent };
};

/** The metadata with `context` as its creation context; the very same object when there is none (tracing off). */
export const withTraceContext = (metadata: EventMetadata, context: TraceContext): EventMetadata => {
  if (context.traceparent === undefined) return metadata;
  // A tracestate of an earlier context must not outlive its traceparent.
  const { traceparent: _parent, tracestate: _state, ...rest } = metadata;
  return { ...rest, ...context } as EventMetadata;
};

export const tracedMessage = (event: EventEnvelope): TracedMessage => ({ id: event.eventId, type: event.type, context: traceContextOf(event.metadata) });
