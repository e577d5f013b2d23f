import type { EventEnvelope } from '../events/envelope.js';
import type { CheckpointStore } from '../ports/checkpoint-store.js';
import type { CommittedEventFeed } from '../ports/committed-event-feed.js';
import type { DataKeyStore, StoredDataKey } from '../ports/data-key-store.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { EventImport } from '../ports/event-import.js';
import type { ExportFileReader } from '../ports/export-file.js';
import type { Clock } from '../ports/runtime.js';
import type { RebuildProgress } from '../projections/projection-engine.js';
import type { ManifestRecord } from './export-records.js';
import { ConsumerFastForward } from './consumer-fast-forward.js';
import { verifyExport } from './export-verification.js';
import { progressOf } from '../progress.js';
import { RecoveryError } from './recovery-error.js';

export interface LogImportDeps {
  /** The target's own import path: events written as exported (sealed, ids, versions, hashes, instants). */
  readonly events: EventImport;
  /** The target's events as held: only asked whether there is any. */
  readonly archive: EventArchive;
  readonly dataKeys: DataKeyStore;
  /** Where a run of an import is remembered (by the export's checksum), so that a re-run resumes rather than being refused. */
  readonly checkpoints: CheckpointStore;
  /** The sealed feed: its end is looked for, its personal fields never opened. */
  readonly feed: CommittedEventFeed;
  /**
   * Consumers with effects outside the store (the workflow's commands, the relay's publishing) whose positions are moved
   * past the imported events: the source acted on them already. Projections are rebuilt instead.
   */
  readonly actingConsumers: readonly string[];
  readonly clock: Clock;
  /** Events sent to the store at once (default 500): enough for few round trips, few enough to hold. */
  readonly batchSize?: number;
  /** How long the fast-forward waits for the feed to deliver the imported events (DynamoDB Streams lag the table). */
  readonly settleMs?: number;
}

export interface ImportOptions {
  /** Import although the target holds events from elsewhere (a window onto the restore it follows, a merge). */
  readonly intoNonEmpty?: boolean;
  readonly onVerifyProgress?: (progress: RebuildProgress) => void;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

export interface ImportReport {
  readonly manifest: ManifestRecord;
  /** Events written by this run. */
  readonly imported: number;
  /** Events the target held already (an earlier, interrupted run). */
  readonly skipped: number;
  readonly dataKeys: number;
  /** An earlier run of the same export had begun on this target. */
  readonly resumed: boolean;
  /** The acting consumers moved past the imported events. */
  readonly fastForwarded: readonly string[];
}

class NotEmpty extends Error {}

const isEmpty = async (archive: EventArchive): Promise<boolean> => {
  try {
    await archive.scan(async (events) => {
      if (events.length > 0) throw new NotEmpty();
    });
    return true;
  } catch (error) {
    if (error instanceof NotEmpty) return false;
    throw error;
  }
};

/**
 * Disaster recovery's import: the file is read twice, first to verify all of it (format, every stream's chain, the
 * manifest's counts and heads, the checksum: nothing is written from a file that does not verify), then to load it:
 * data keys before the events sealed with them, events in batches through the target's import path, which skips
 * what it holds already, so that an interrupted run is resumed by running it again.
 */
export class LogImport {
  constructor(private readonly deps: LogImportDeps) {}

  /** Reads the whole file and answers its manifest when everything holds; throws a RecoveryError otherwise. */
  verify(file: ExportFileReader, onProgress?: (progress: RebuildProgress) => void): Promise<ManifestRecord> {
    return verifyExport(file, onProgress);
  }

  async import(open: () => Promise<ExportFileReader>, options: ImportOptions = {}): Promise<ImportReport> {
    const verified = await open();
    const manifest = await this.verify(verified, options.onVerifyProgress);
    // The load pass applies data-key lines as it meets them, before its own checksum is known: it must read the bytes verified.
    const loading = await open();
    if (loading.identity !== verified.identity) throw new RecoveryError('RECOVERY.FILE_CHANGED', 'the file changed after it was verified: nothing was written; run the import again');
    const marker = `recovery:import:${manifest.sha256}`;
    const earlier = await this.deps.checkpoints.load(marker);
    if (earlier === null && !options.intoNonEmpty && !(await isEmpty(this.deps.archive))) {
      throw new RecoveryError('RECOVERY.TARGET_NOT_EMPTY', 'the target store holds events, and no earlier run of this import: pass --into-non-empty to import over them');
    }
    if (earlier === null) await this.deps.checkpoints.save(marker, JSON.stringify({ startedAt: this.deps.clock.now() }));
    const progress = progressOf(performance.now());
    let [imported, skipped, dataKeys] = [0, 0, 0];
    let batch: EventEnvelope[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const outcome = await this.deps.events.importEvents(batch);
      batch = [];
      if (outcome.isErr()) {
        const { code, message, streamId, version } = outcome.error;
        throw new RecoveryError('RECOVERY.IMPORT_REFUSED', `${code}: ${message}`, { streamId, version });
      }
      imported += outcome.value.imported;
      skipped += outcome.value.skipped;
      options.onProgress?.(progress(imported + skipped, manifest.events));
    };
    const heads = new Map<string, number>();
    for await (const { record, checksumBefore } of loading.lines()) {
      const { kind } = record as { kind: string };
      if (checksumBefore !== null && checksumBefore !== manifest.sha256) {
        throw new RecoveryError('RECOVERY.FILE_CHANGED', `the file changed while it was loaded: its lines hash to ${checksumBefore}, verified ${manifest.sha256}`);
      }
      if (kind === 'stream') {
        const { streamId, lastVersion } = record as { streamId: string; lastVersion: number };
        heads.set(streamId, lastVersion);
      } else if (kind === 'data-key') {
        await this.#restoreKey((record as { key: StoredDataKey }).key);
        dataKeys += 1;
      } else if (kind === 'event') {
        batch.push((record as { event: EventEnvelope }).event);
        if (batch.length >= (this.deps.batchSize ?? 500)) await flush();
      }
    }
    await flush();
    const { consumers: fastForwarded } = await new ConsumerFastForward({
      feed: this.deps.feed,
      checkpoints: this.deps.checkpoints,
      consumers: this.deps.actingConsumers,
      ...(this.deps.settleMs === undefined ? {} : { settleMs: this.deps.settleMs }),
    }).run({ force: true, heads });
    await this.deps.checkpoints.save(marker, JSON.stringify({ completedAt: this.deps.clock.now(), imported, skipped }));
    return { manifest, imported, skipped, dataKeys, resumed: earlier !== null, fastForwarded: [...fastForwarded] };
  }

  /** A wrapped key is kept as it is (the target must use the source's master key to unwrap it); a tombstone stays one. */
  async #restoreKey(key: StoredDataKey): Promise<void> {
    if (key.status === 'erased') {
      await this.deps.dataKeys.delete(key.subject, key.erasedAt);
      return;
    }
    const held = await this.deps.dataKeys.create(key.key);
    // Erased in the target meanwhile: the erasure stands. Another key: the exported values could never be opened there.
    if (held.status === 'active' && (held.key.wrapped !== key.key.wrapped || held.key.version !== key.key.version)) {
      throw new RecoveryError('RECOVERY.IMPORT_REFUSED', `the target holds another data key for subject ${key.key.subject}: the exported personal values could not be opened with it`);
    }
  }
}
