import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ChainLinks } from '../../application/audit/event-chain.js';
import type { EventEnvelope, EventMetadata, NewEvent } from '../../application/events/envelope.js';

/** An event as the event table holds it. `Data` and `Metadata` are JSON text: exact round trips and cheap to (un)marshal. */
export interface EventItem {
  readonly AggregateId: string;
  readonly Version: number;
  readonly EventId: string;
  readonly EventType: string;
  /** `occurredAt` as a UTC ISO instant of fixed width, so that the EventTypeIndex sorts by time. */
  readonly Timestamp: string;
  /** `occurredAt` as given, kept only when it is written differently from `Timestamp` (an offset, other precision). */
  readonly OccurredAt?: string;
  readonly RecordedAt: string;
  readonly SchemaVersion: number;
  readonly Data: string;
  readonly Metadata: string;
  /** The audit chain (issue 11): the hash this event chains from and its own, hex; absent on items written before it. */
  readonly PreviousHash?: string;
  readonly Hash?: string;
}

/** The instant as the EventTypeIndex stores it. */
export const indexTimestamp = (instant: string): string => new Date(instant).toISOString();

export const eventItem = (streamId: string, version: number, eventId: string, event: NewEvent, recordedAt: string, links?: ChainLinks): EventItem => {
  const timestamp = indexTimestamp(event.occurredAt);
  return {
    AggregateId: streamId,
    Version: version,
    EventId: eventId,
    EventType: event.type,
    Timestamp: timestamp,
    ...(timestamp === event.occurredAt ? {} : { OccurredAt: event.occurredAt }),
    RecordedAt: recordedAt,
    SchemaVersion: event.schemaVersion,
    Data: JSON.stringify(event.data) ?? 'null',
    Metadata: JSON.stringify(event.metadata),
    ...(links === undefined ? {} : { PreviousHash: links.previousHash, Hash: links.hash }),
  };
};

/** The item in DynamoDB's wire shape, for the low-level client. */
export const wireItem = (item: EventItem): Record<string, AttributeValue> => {
  const wire: Record<string, AttributeValue> = {
    AggregateId: { S: item.AggregateId },
    Version: { N: String(item.Version) },
    EventId: { S: item.EventId },
    EventType: { S: item.EventType },
    Timestamp: { S: item.Timestamp },
    RecordedAt: { S: item.RecordedAt },
    SchemaVersion: { N: String(item.SchemaVersion) },
    Data: { S: item.Data },
    Metadata: { S: item.Metadata },
  };
  if (item.OccurredAt !== undefined) wire.OccurredAt = { S: item.OccurredAt };
  if (item.PreviousHash !== undefined) wire.PreviousHash = { S: item.PreviousHash };
  if (item.Hash !== undefined) wire.Hash = { S: item.Hash };
  return wire;
};

const text = (item: Record<string, unknown>, name: string): string => {
  const value = item[name];
  if (typeof value !== 'string') throw new Error(`event item ${String(item.AggregateId)}/${String(item.Version)} has no text attribute ${name}`);
  return value;
};

const number = (item: Record<string, unknown>, name: string): number => {
  const value = item[name];
  if (typeof value !== 'number') throw new Error(`event item ${String(item.AggregateId)} has no number attribute ${name}`);
  return value;
};

/** DynamoDB has no global order, so `globalPosition` is null. */
export const envelopeOf = (item: Record<string, unknown>): EventEnvelope => ({
  eventId: text(item, 'EventId'),
  streamId: text(item, 'AggregateId'),
  version: number(item, 'Version'),
  type: text(item, 'EventType'),
  schemaVersion: number(item, 'SchemaVersion'),
  data: JSON.parse(text(item, 'Data')) as unknown,
  metadata: JSON.parse(text(item, 'Metadata')) as EventMetadata,
  occurredAt: typeof item.OccurredAt === 'string' ? item.OccurredAt : text(item, 'Timestamp'),
  recordedAt: text(item, 'RecordedAt'),
  globalPosition: null,
  ...(typeof item.Hash === 'string' ? { previousHash: typeof item.PreviousHash === 'string' ? item.PreviousHash : undefined, hash: item.Hash } : {}),
});
