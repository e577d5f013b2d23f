import type { EventEnvelope } from '../../application/events/envelope.js';
import { plainItem, type WireAttributeValue } from './attribute-values.js';
import { envelopeOf } from './event-item.js';

/**
 * A record of the event table's stream, in the shape both GetRecords and a Lambda event source mapping
 * hand over (Lambda's is the same JSON, with its timestamp in epoch seconds).
 */
export interface EventTableRecord {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly eventSourceARN?: string;
  readonly dynamodb?: {
    readonly Keys?: Readonly<Record<string, WireAttributeValue>>;
    readonly NewImage?: Readonly<Record<string, WireAttributeValue>>;
    readonly SequenceNumber?: string;
    readonly ApproximateCreationDateTime?: number | Date;
    readonly StreamViewType?: string;
  };
}

/** The committed event a record carries; none for anything but an insert (events are only ever inserted: a test's clean-up, say, is not an event). */
export const eventOf = (record: EventTableRecord): EventEnvelope[] => {
  const image = record.dynamodb?.NewImage;
  return record.eventName === 'INSERT' && image ? [envelopeOf(plainItem(image))] : [];
};

/**
 * One aggregate's records sorted by version into the places its records held, so streams stay interleaved
 * as read: the records of one transaction come in no promised order.
 */
export const inVersionOrder = (events: readonly EventEnvelope[]): EventEnvelope[] => {
  const byStream = new Map<string, EventEnvelope[]>();
  for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  for (const list of byStream.values()) list.sort((a, b) => a.version - b.version);
  const taken = new Map<string, number>();
  return events.map(({ streamId }) => {
    const index = taken.get(streamId) ?? 0;
    taken.set(streamId, index + 1);
    return (byStream.get(streamId) as EventEnvelope[])[index] as EventEnvelope;
  });
};

export interface SequencedEvent {
  readonly sequenceNumber: string;
  readonly event: EventEnvelope;
}

/**
 * The committed events of a Lambda DynamoDB Streams batch, each stream in version order, for the same
 * consumer code the in-process feed drives. Each event keeps the sequence number of its own record: what
 * was not handled is resent by reporting the smallest of those (see `firstToResend`).
 */
export const eventsOfStreamRecords = (records: readonly EventTableRecord[]): SequencedEvent[] => {
  const read = records.flatMap((record) => eventOf(record).map((event) => ({ record, event })));
  const sequenceOf = new Map(read.map(({ record, event }) => [event.eventId, record]));
  return inVersionOrder(read.map(({ event }) => event)).map((event) => {
    const record = sequenceOf.get(event.eventId);
    const sequenceNumber = record?.dynamodb?.SequenceNumber;
    if (sequenceNumber === undefined) throw new Error(`stream record ${record?.eventID ?? '?'} has no sequence number`);
    return { sequenceNumber, event };
  });
};

/**
 * The record Lambda must resend from (it resends that record and every later one of its shard) so that every
 * event in `unhandled` comes again: the smallest of their sequence numbers, compared as the integers they are.
 * Events sorted into version order may sit in earlier records than their place in the batch.
 */
export const firstToResend = (unhandled: readonly SequencedEvent[]): string | null =>
  unhandled.reduce<string | null>((first, { sequenceNumber }) => (first === null || BigInt(sequenceNumber) < BigInt(first) ? sequenceNumber : first), null);
