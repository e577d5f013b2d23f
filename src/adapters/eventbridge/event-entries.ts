import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from '../../application/events/envelope.js';
import type { DeadLetterCode } from '../../application/ports/dead-letter-sink.js';
import { MAX_DETAIL_TYPE_CHARACTERS, entrySize } from './put-events-limits.js';

export interface PreparedEntry {
  readonly event: EventEnvelope;
  readonly entry: PutEventsRequestEntry;
  readonly size: number;
}

export interface Refusal {
  readonly event: EventEnvelope;
  readonly code: DeadLetterCode;
  readonly message: string;
}

export interface BusTarget {
  readonly busName: string;
  readonly source: string;
  readonly maxRequestBytes: number;
}

/**
 * One entry per event: detail type = event type, detail = the whole envelope (its eventId lets consumers
 * deduplicate), time = when it occurred. Events the bus could never take are refused here, before sending.
 */
export const prepareEntries = (events: readonly EventEnvelope[], target: BusTarget): { entries: PreparedEntry[]; refused: Refusal[] } => {
  const entries: PreparedEntry[] = [];
  const refused: Refusal[] = [];
  for (const event of events) {
    const characters = [...event.type].length;
    if (characters === 0 || characters > MAX_DETAIL_TYPE_CHARACTERS) {
      refused.push({
        event,
        code: 'PUBLISH.INVALID_EVENT_TYPE',
        message: `event ${event.eventId}: its type becomes the detail type, which takes 1 to ${MAX_DETAIL_TYPE_CHARACTERS} characters; this one has ${characters}`,
      });
      continue;
    }
    const entry: PutEventsRequestEntry = {
      EventBusName: target.busName,
      Source: target.source,
      DetailType: event.type,
      Detail: JSON.stringify(event),
      Time: new Date(event.occurredAt),
    };
    const size = entrySize(entry);
    if (size > target.maxRequestBytes) {
      refused.push({
        event,
        code: 'PUBLISH.ENTRY_TOO_LARGE',
        message: `event ${event.eventId} (${event.type}) is ${size} bytes as EventBridge counts an entry; a PutEvents request takes at most ${target.maxRequestBytes}`,
      });
      continue;
    }
    entries.push({ event, entry, size });
  }
  return { entries, refused };
};
