import type { EventEnvelope } from '../events/envelope.js';

/** Hands committed events to a bus. Fed only from the committed log, never from a command handler. */
export interface EventPublisher {
  /** Resolves once the bus accepted every event; rejects when any could not be delivered. */
  publish(events: readonly EventEnvelope[]): Promise<void>;
}
