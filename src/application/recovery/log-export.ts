import type { EventEnvelope } from '../events/envelope.js';
import type { DataKeyStore } from '../ports/data-key-store.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { ExportFileWriter } from '../ports/export-file.js';
import type { Clock } from '../ports/runtime.js';
import type { RebuildProgress } from '../projections/projection-engine.js';
import { EXPORT_FORMAT, type ExportWindow, type ManifestRecord } from './export-records.js';
import { progressOf } from '../progress.js';
import { RecoveryError } from './recovery-error.js';
import { sealedSubjectsOf } from './sealed-subjects.js';
import { StreamChains } from './stream-chains.js';

export interface LogExportDeps {
  /** Every stored event as held, personal fields sealed (never the opening archive: an export carries no personal data in the clear). */
  readonly archive: EventArchive;
  readonly dataKeys: DataKeyStore;
  readonly clock: Clock;
  /** The store kind, recorded in the header and manifest. */
  readonly sourceStore: string;
}

export interface ExportOptions {
  /** Inclusive ISO instant on recordedAt. */
  readonly from?: string;
  /** Exclusive ISO instant on recordedAt. */
  readonly to?: string;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

const inWindow = (event: EventEnvelope, from: number | null, to: number | null): boolean => {
  const at = Date.parse(event.recordedAt);
  return (from === null || at >= from) && (to === null || at < to);
};

/** A window whose end is not after its start could hold no event: refused rather than written as an empty export. */
export const checkExportWindow = (window: { readonly from?: string; readonly to?: string }): void => {
  if (window.from !== undefined && window.to !== undefined && !(Date.parse(window.to) > Date.parse(window.from))) {
    throw new RecoveryError('RECOVERY.WINDOW_EMPTY', `--to ${window.to} is not after --from ${window.from}: the window would hold no event (--from is inclusive, --to exclusive)`);
  }
};

/**
 * Disaster recovery's export: the whole log (or a window of it) as the store holds it, each stream's chain checked on
 * the way (a store that does not verify is refused, not copied), the data keys its sealed values need (wrapped, or
 * their tombstones), then the manifest. Reads the store once, by the archive's scan; holds one small entry per stream
 * and the set of data subjects seen, never the events.
 */
export class LogExport {
  constructor(private readonly deps: LogExportDeps) {}

  async export(file: ExportFileWriter, options: ExportOptions = {}): Promise<ManifestRecord> {
    try {
      checkExportWindow(options);
    } catch (error) {
      await file.abandon();
      throw error;
    }
    const window: ExportWindow = { on: 'recordedAt', from: options.from ?? null, to: options.to ?? null };
    const [from, to] = [window.from === null ? null : Date.parse(window.from), window.to === null ? null : Date.parse(window.to)];
    const startedAt = this.deps.clock.now();
    const chains = new StreamChains(window.from === null);
    const subjects = new Set<string>();
    let dataKeys = 0;
    let scanned = 0;
    const total = options.onProgress ? await this.deps.archive.approximateCount() : 0;
    const progress = progressOf(performance.now());
    try {
      await file.write({ kind: 'header', format: EXPORT_FORMAT, sourceStore: this.deps.sourceStore, startedAt, window });
      // Segments of a parallel scan hand batches over concurrently: the file takes them one at a time.
      let turn: Promise<void> = Promise.resolve();
      const writeBatch = async (events: readonly EventEnvelope[]): Promise<void> => {
        for (const event of events) {
          scanned += 1;
          if (!inWindow(event, from, to)) continue;
          chains.visit(event);
          for (const subject of sealedSubjectsOf(event)) {
            if (subjects.has(subject)) continue;
            subjects.add(subject);
            const key = await this.deps.dataKeys.get(subject);
            if (key === null) continue;
            await file.write({ kind: 'data-key', key });
            dataKeys += 1;
          }
          await file.write({ kind: 'event', event });
        }
        options.onProgress?.(progress(scanned, Math.max(total, scanned)));
      };
      await this.deps.archive.scan((events) => {
        const mine = turn.then(() => writeBatch(events));
        turn = mine.catch(() => undefined);
        return mine;
      });
      for (const summary of chains.summaries()) await file.write(summary);
      return await file.finish({
        kind: 'manifest',
        format: EXPORT_FORMAT,
        sourceStore: this.deps.sourceStore,
        startedAt,
        completedAt: this.deps.clock.now(),
        window,
        streams: chains.streams,
        events: chains.events,
        dataKeys,
      });
    } catch (error) {
      await file.abandon();
      throw error;
    }
  }
}
