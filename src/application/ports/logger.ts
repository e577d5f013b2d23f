import type { EventEnvelope } from '../events/envelope.js';

/** From the most to the least severe; a logger set to a level writes that level and those above it. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Readonly<Record<string, LogValue>>;

/**
 * What ties a line to the event it is about: the event itself, its stream and place in it, and the
 * correlation and causation it was recorded with. `traceparent` is the W3C trace context the event's metadata
 * carries, if any: a line written outside every span takes its trace from it.
 */
// A type, not an interface: it is handed on as LogFields, which only a type with known keys satisfies.
export type EventLogFields = {
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly version: number;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceparent?: string;
};

/**
 * Structured lines for operators: a short fixed message and fields, never an event's data (personal fields
 * live there). The trace a line belongs to is the adapter's business.
 */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** Whether a line at this level would be written: per-event lines are built only when it would. */
  isEnabled(level: LogLevel): boolean;
  /** A logger whose every line carries `fields` too (a consumer's name). */
  child(fields: LogFields): Logger;
}

export const eventLogFields = (event: EventEnvelope): EventLogFields => {
  const { traceparent } = event.metadata;
  return {
    eventId: event.eventId,
    eventType: event.type,
    streamId: event.streamId,
    version: event.version,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
  };
};
