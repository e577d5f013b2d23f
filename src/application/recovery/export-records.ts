import type { EventEnvelope } from '../events/envelope.js';
import type { StoredDataKey } from '../ports/data-key-store.js';

export const EXPORT_FORMAT = 'es-core-export/1';

/**
 * Which events an export holds: those the store recorded at or after `from` and before `to` (half-open, so that
 * consecutive windows neither overlap nor leave a gap). recordedAt rather than occurredAt: it is the store's own
 * clock at commit, rising with the versions of a stream, while occurredAt is whatever the writer said.
 */
export interface ExportWindow {
  readonly on: 'recordedAt';
  readonly from: string | null;
  readonly to: string | null;
}

/** The first line. */
export interface HeaderRecord {
  readonly kind: 'header';
  readonly format: typeof EXPORT_FORMAT;
  /** memory, pglite, postgres or dynamodb. */
  readonly sourceStore: string;
  readonly startedAt: string;
  readonly window: ExportWindow;
}

/** One stored event as the store holds it: personal fields sealed, its ids, instants, position and hashes. */
export interface EventRecord {
  readonly kind: 'event';
  readonly event: EventEnvelope;
}

/** A data subject's wrapped key (never the key itself) or its erasure tombstone; written before the first event sealed with it. */
export interface DataKeyRecord {
  readonly kind: 'data-key';
  readonly key: StoredDataKey;
}

/** One stream of the export, after every event: part of the manifest. */
export interface StreamRecord {
  readonly kind: 'stream';
  readonly streamId: string;
  readonly events: number;
  readonly firstVersion: number;
  readonly lastVersion: number;
  /** The source's global position of the stream's last event exported (null on DynamoDB, which has none). */
  readonly lastPosition: number | null;
  /** The hash of the stream's last event exported: its chain's head. */
  readonly headHash: string;
}

/** The last line: totals, and the SHA-256 of every line before it (their UTF-8 bytes, each with its newline). */
export interface ManifestRecord {
  readonly kind: 'manifest';
  readonly format: typeof EXPORT_FORMAT;
  readonly sourceStore: string;
  readonly startedAt: string;
  readonly completedAt: string;
  readonly window: ExportWindow;
  readonly streams: number;
  readonly events: number;
  readonly dataKeys: number;
  readonly sha256: string;
}

/** What is written before the manifest. */
export type ExportRecord = HeaderRecord | EventRecord | DataKeyRecord | StreamRecord;
