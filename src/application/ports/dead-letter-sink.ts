import type { EventEnvelope } from '../events/envelope.js';

/**
 * Why an event was set aside instead of published:
 * - ENTRY_TOO_LARGE and INVALID_EVENT_TYPE: refused before sending, the bus would never take it;
 * - REJECTED_BY_BUS: the bus refused it with an error that retrying cannot fix;
 * - RELAY.STREAM_HOLE: a version of its stream is missing from the store itself, so publishing it would
 *   break the stream's order for subscribers; set aside so that other streams go on.
 */
export type DeadLetterCode = 'PUBLISH.ENTRY_TOO_LARGE' | 'PUBLISH.INVALID_EVENT_TYPE' | 'PUBLISH.REJECTED_BY_BUS' | 'RELAY.STREAM_HOLE';

export interface DeadLetter {
  /** The event exactly as it was handed to the publisher: a replay sends this again, unchanged. */
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

/** Dead letters kept durably in the store, for the operator to list, replay or discard. */
export interface DeadLetterStore extends DeadLetterSink {
  /** Oldest first (by when they were set aside, then event id); `after` is the last event id of the previous page. */
  list(limit: number, after?: string): Promise<DeadLetter[]>;
  get(eventId: string): Promise<DeadLetter | null>;
  /** True when there was a letter to remove. */
  remove(eventId: string): Promise<boolean>;
}
