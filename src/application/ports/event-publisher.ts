import type { EventEnvelope } from '../events/envelope.js';

/**
 * - UNAVAILABLE: the bus kept failing (throttling, internal errors, unreachable) past the retry budget;
 * - REFUSED: the bus refused the whole request (missing permission, bus gone): retrying will not help until someone acts.
 */
export type PublishFailureCode = 'EVENT_BUS.UNAVAILABLE' | 'EVENT_BUS.REFUSED';

/** Broken infrastructure, not an outcome: the caller keeps its position and tries again later. */
export class PublishFailedError extends Error {
  /** The caller retries with back-off for as long as it lasts (see transient-failure.ts). */
  readonly transient = true;

  constructor(
    readonly code: PublishFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'PublishFailedError';
  }
}

/** Hands committed events to a bus. Fed only from the committed log, never from a command handler. */
export interface EventPublisher {
  /**
   * Resolves once every event was accepted by the bus or, when it can never be delivered, handed to
   * the dead-letter sink. Rejects with PublishFailedError when some could not be delivered now;
   * events accepted before that stay published, so a retry re-sends them (at least once).
   */
  publish(events: readonly EventEnvelope[]): Promise<void>;
}
