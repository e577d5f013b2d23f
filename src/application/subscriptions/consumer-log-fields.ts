import type { EventEnvelope } from '../events/envelope.js';
import { eventLogFields, type LogFields } from '../ports/logger.js';
import type { ConsumerFailure } from './event-consumer.js';

/**
 * The line about a consumer stopped at an event: the event's own fields when the batch holds it (its correlation,
 * causation and trace too), what the failure recorded otherwise (a version read from the store to fill a hole).
 */
export const stopLogFields = (failure: ConsumerFailure, batch: readonly EventEnvelope[]): LogFields => {
  const event = batch.find((candidate) => candidate.eventId === failure.eventId);
  return {
    ...(event === undefined ? { eventId: failure.eventId, eventType: failure.eventType, streamId: failure.streamId, version: failure.version } : eventLogFields(event)),
    stopReason: failure.reason,
    attempts: failure.attempts,
    error: failure.message,
  };
};
