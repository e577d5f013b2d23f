import { isChainHash } from '../audit/event-chain.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { ExportFileReader } from '../ports/export-file.js';
import type { RebuildProgress } from '../projections/projection-engine.js';
import { EXPORT_FORMAT, type ManifestRecord, type StreamRecord } from './export-records.js';
import { progressOf } from '../progress.js';
import { RecoveryError } from './recovery-error.js';
import { StreamChains } from './stream-chains.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const count = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

const malformed = (line: number, message: string): RecoveryError => new RecoveryError('RECOVERY.MALFORMED_LINE', `line ${line}: ${message}`, { line });

const eventOf = (record: Json, line: number): EventEnvelope => {
  const event = record.event;
  if (!isObject(event) || typeof event.streamId !== 'string' || !Number.isSafeInteger(event.version) || typeof event.eventId !== 'string' || typeof event.type !== 'string') {
    throw malformed(line, 'an event record needs an event with streamId, version, eventId and type');
  }
  return event as unknown as EventEnvelope;
};

const isDataKey = (record: Json): boolean => {
  const key = record.key;
  if (!isObject(key)) return false;
  if (key.status === 'erased') return typeof key.subject === 'string' && typeof key.erasedAt === 'string';
  return key.status === 'active' && isObject(key.key) && typeof key.key.subject === 'string' && typeof key.key.wrapped === 'string' && Number.isSafeInteger(key.key.version);
};

const SUMMARY_FIELDS = ['events', 'firstVersion', 'lastVersion', 'lastPosition', 'headHash'] as const;

/**
 * Reads an export whole, holding one entry per stream: the header first, every event chaining (StreamChains), the
 * data keys well-formed, one stream line per stream that matches its events, then the manifest, last, with the
 * totals and the checksum of everything before it. The first thing that does not hold is thrown as a RecoveryError
 * naming its line, stream and version.
 */
export const verifyExport = async (file: ExportFileReader, onProgress?: (progress: RebuildProgress) => void): Promise<ManifestRecord> => {
  let chains = new StreamChains(true);
  const progress = progressOf(performance.now());
  let manifest: ManifestRecord | null = null;
  let headerSeen = false;
  let dataKeys = 0;
  let streamLines = 0;
  let previousStream: string | null = null;
  let lastEvent: { streamId: string; version: number; line: number } | null = null;
  try {
    for await (const { line, record, checksumBefore } of file.lines()) {
      if (!isObject(record) || typeof record.kind !== 'string') throw malformed(line, 'a record is a JSON object with a kind');
      if (line === 1) {
        if (record.kind !== 'header' || record.format !== EXPORT_FORMAT || !isObject(record.window)) throw new RecoveryError('RECOVERY.NOT_AN_EXPORT', `the first line is not an ${EXPORT_FORMAT} header`, { line });
        chains = new StreamChains(record.window.from === null);
        headerSeen = true;
        continue;
      }
      switch (record.kind) {
        case 'event': {
          if (streamLines > 0) throw malformed(line, 'an event after the stream summaries');
          const event = eventOf(record, line);
          chains.visit(event, line);
          lastEvent = { streamId: event.streamId, version: event.version, line };
          break;
        }
        case 'data-key':
          if (streamLines > 0 || !isDataKey(record)) throw malformed(line, 'a data key is {"key": a wrapped key or a tombstone}, before the stream summaries');
          dataKeys += 1;
          break;
        case 'stream': {
          const streamId = String(record.streamId);
          if (previousStream !== null && !(previousStream < streamId)) throw malformed(line, `stream summaries are listed once each, sorted by stream id: ${streamId} after ${previousStream}`);
          previousStream = streamId;
          streamLines += 1;
          const actual = chains.summaryOf(streamId);
          const at = { streamId, line };
          if (actual === null) throw new RecoveryError('RECOVERY.MANIFEST_MISMATCH', `line ${line}: the manifest lists stream ${streamId}, which has no event in the file`, at);
          const differs = SUMMARY_FIELDS.find((field) => record[field] !== actual[field as keyof StreamRecord]);
          if (differs !== undefined) {
            throw new RecoveryError('RECOVERY.MANIFEST_MISMATCH', `line ${line}: stream ${streamId}: the manifest says ${differs} ${JSON.stringify(record[differs])}, the events give ${JSON.stringify(actual[differs])}`, {
              ...at,
              version: actual.lastVersion,
            });
          }
          break;
        }
        case 'manifest': {
          if (checksumBefore === null) throw malformed(line, 'the manifest must be the last line');
          if (record.format !== EXPORT_FORMAT || !count(record.events) || !count(record.streams) || !count(record.dataKeys) || !isChainHash(record.sha256)) {
            throw malformed(line, 'the manifest needs the format, counts of events, streams and data keys, and a sha256');
          }
          if (record.sha256 !== checksumBefore) {
            throw new RecoveryError('RECOVERY.CHECKSUM_MISMATCH', `the lines before the manifest hash to ${checksumBefore}, the manifest says ${String(record.sha256)}: the file was altered`, { line });
          }
          const totals = { events: chains.events, streams: chains.streams, dataKeys };
          for (const [name, actual] of Object.entries(totals)) {
            if (record[name] !== actual) throw new RecoveryError('RECOVERY.MANIFEST_MISMATCH', `the manifest counts ${String(record[name])} ${name}, the file holds ${actual}`, { line });
          }
          if (streamLines !== chains.streams) {
            const listed = chains.summaries().find((summary) => previousStream === null || summary.streamId > previousStream);
            throw new RecoveryError('RECOVERY.MANIFEST_MISMATCH', `the manifest lists ${streamLines} streams, the events hold ${chains.streams}${listed ? ` (${listed.streamId} is not listed)` : ''}`, {
              line,
              ...(listed ? { streamId: listed.streamId } : {}),
            });
          }
          manifest = record as unknown as ManifestRecord;
          break;
        }
        default:
          throw malformed(line, `unknown kind ${JSON.stringify(record.kind)}`);
      }
      if (onProgress && line % 1_000 === 0) {
        const { done, total } = file.progress();
        onProgress(progress(done, total));
      }
    }
  } catch (error) {
    if (error instanceof RecoveryError && error.code === 'RECOVERY.TRUNCATED' && lastEvent !== null) {
      throw new RecoveryError('RECOVERY.TRUNCATED', `${error.message}; the last whole event read is ${lastEvent.streamId} v${lastEvent.version} (line ${lastEvent.line})`, lastEvent);
    }
    throw error;
  }
  if (!headerSeen) throw new RecoveryError('RECOVERY.NOT_AN_EXPORT', 'the file is empty');
  if (manifest === null) {
    throw new RecoveryError(
      'RECOVERY.TRUNCATED',
      `the file ends without its manifest${lastEvent === null ? '' : `; the last event read is ${lastEvent.streamId} v${lastEvent.version} (line ${lastEvent.line})`}`,
      lastEvent ?? {},
    );
  }
  if (onProgress) {
    const { done, total } = file.progress();
    onProgress(progress(done, total));
  }
  return manifest;
};
