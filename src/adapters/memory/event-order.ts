import type { EventEnvelope } from '../../application/events/envelope.js';
import type { TypeReadOptions } from '../../application/ports/event-store.js';

/** The EventTypeIndex order: occurrence time, then stream and version for a stable tie-break. */
export const byOccurrence = (a: EventEnvelope, b: EventEnvelope): number =>
  Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.version - b.version);

export const inTimeRange = (occurredAt: string, options: TypeReadOptions): boolean => {
  const at = Date.parse(occurredAt);
  return (options.from === undefined || at >= Date.parse(options.from)) && (options.to === undefined || at <= Date.parse(options.to));
};
