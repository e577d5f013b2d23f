import type { EventEnvelope } from '../events/envelope.js';

/**
 * Why an event was set aside instead of published:
 * - ENTRY_TOO_LARGE and INVALID_EVENT_TYPE: refused before sending, the bus would never take it;
 * - REJECTED_BY_BUS: the bus refused it with an error that retrying cannot fix.
 */
export type DeadLetterCode = 'PUBLISH.ENTRY_TOO_LARGE' | 'PUBLISH.INVALID_EVENT_TYPE' | 'PUBLISH.REJECTED_BY_BUS';

export interface DeadLetter {
  readonly event: EventEnvelope;
  readonly code: DeadLetterCode;
  /** What was wrong, for the operator who replays or discards it. */
  readonly message: string;
  /** The bus's own error code when the bus refused it (e.g. MalformedDetail); null when refused before sending. */
  readonly busErrorCode: string | null;
  readonly deadLetteredAt: string;
}

/** Where a publisher puts the events it could never deliver, so that none disappears silently. */
export interface DeadLetterSink {
  /** Idempotent per event id: a re-delivered event that fails again replaces its earlier letter. */
  put(letters: readonly DeadLetter[]): Promise<void>;
}
