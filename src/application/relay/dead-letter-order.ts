import type { DeadLetter } from '../ports/dead-letter-sink.js';

/** Oldest first, then by event id: the order every dead-letter store lists in. */
export const deadLetterOrder = (a: DeadLetter, b: DeadLetter): number =>
  a.deadLetteredAt.localeCompare(b.deadLetteredAt) || a.event.eventId.localeCompare(b.event.eventId);
