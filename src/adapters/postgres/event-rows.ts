import type { EventEnvelope, EventMetadata } from '../../application/events/envelope.js';

/**
 * Instants travel as UTC timestamp text ('2026-01-01 10:00:00.12', DateStyle ISO, which both drivers
 * set) and are reshaped into ISO 8601 with string slicing: parsing into a Date and printing it again
 * cost more than the rest of a 1,000-event read on the client.
 */
const utcText = (column: string): string => `(${column} AT TIME ZONE 'UTC')::text AS ${column}`;

/** The columns every event read selects, in the shape `toEnvelope` expects. */
export const EVENT_COLUMNS = `global_position, stream_id, version, event_id, type, schema_version, data, metadata, ${utcText('occurred_at')}, ${utcText('recorded_at')}, previous_hash, hash`;

export interface EventRow {
  readonly global_position: unknown;
  readonly stream_id: string;
  readonly version: number;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly occurred_at: string;
  readonly recorded_at: string;
  /** NULL on events appended before schema v6. */
  readonly previous_hash: string | null;
  readonly hash: string | null;
}

/** 'YYYY-MM-DD HH:MM:SS[.f{1,6}]' to 'YYYY-MM-DDTHH:MM:SS.fffZ': the envelope carries milliseconds. */
export const isoFromUtcText = (text: string): string => {
  const fraction = text.length > 19 ? text.slice(19, 23).padEnd(4, '0') : '.000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}${fraction}Z`;
};

export const toEnvelope = (row: EventRow): EventEnvelope => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  version: row.version,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  occurredAt: isoFromUtcText(row.occurred_at),
  recordedAt: isoFromUtcText(row.recorded_at),
  // bigint arrives as a string from pg and as a number from PGlite.
  globalPosition: Number(row.global_position),
  ...(row.hash === null || row.hash === undefined ? {} : { previousHash: row.previous_hash ?? undefined, hash: row.hash }),
});
