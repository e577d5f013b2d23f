import { InvalidArgumentError, type Command } from 'commander';
import type { RebuildProgress } from '../../application/projections/projection-engine.js';
import type { ManifestRecord } from '../../application/recovery/export-records.js';
import type { FastForwardReport } from '../../application/recovery/consumer-fast-forward.js';
import { checkExportWindow } from '../../application/recovery/log-export.js';
import type { ImportReport } from '../../application/recovery/log-import.js';
import type { CliApp, CliIo } from './cli-program.js';
import { progressPrinter } from './progress-bar.js';

type OnProgress = (progress: RebuildProgress) => void;

/** Disaster recovery as the CLI drives it: files named by path; the composition root opens them. */
export interface RecoveryCli {
  export(out: string, window: { readonly from?: string; readonly to?: string }, onProgress: OnProgress): Promise<ManifestRecord>;
  verifyFile(path: string, onProgress: OnProgress): Promise<ManifestRecord>;
  import(path: string, options: { readonly intoNonEmpty: boolean; readonly onVerifyProgress: OnProgress; readonly onProgress: OnProgress }): Promise<ImportReport>;
  /** The relay (where a bus is configured) and the workflow moved to the end of the feed; never the projections. */
  fastForward(options: { readonly force: boolean }): Promise<FastForwardReport>;
}

type WithApp = (work: (app: CliApp) => Promise<void>) => Promise<void>;

const instant = (value: string): string => {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be an ISO 8601 time, e.g. 2026-11-26T10:00:00Z');
  return new Date(value).toISOString();
};

export const recoveryOf = (app: CliApp): RecoveryCli => {
  if (app.recovery === undefined) throw new Error('this application has no export or import');
  return app.recovery;
};

const describeManifest = (manifest: ManifestRecord): string =>
  `${manifest.events} events in ${manifest.streams} streams and ${manifest.dataKeys} data keys from ${manifest.sourceStore} (exported ${manifest.completedAt}), sha256 ${manifest.sha256}`;

/**
 * `export --out <file> [--from] [--to]` and `import --in <file> [--into-non-empty] [--verify-only] [--no-rebuild]`:
 * the log moved between stores as gzip NDJSON (docs/disaster-recovery.md). A refusal is one line naming its code,
 * stream and version, exit code 1.
 */
export const recoveryCommands = (program: Command, io: CliIo, withApp: WithApp): void => {
  program
    .command('export')
    .description("write the whole log (or the events recorded in a window) to a gzip NDJSON file: events as stored (personal fields sealed), each stream's hash chain, the data keys (wrapped) and a manifest with counts, heads and a SHA-256")
    .requiredOption('--out <file>', 'the file to write (never overwritten), e.g. backup.ndjson.gz')
    .option('--from <time>', 'only events recorded at or after this ISO 8601 time', instant)
    .option('--to <time>', 'only events recorded before this ISO 8601 time', instant)
    .action((options: { out: string; from?: string; to?: string }) => {
      const window = { ...(options.from === undefined ? {} : { from: options.from }), ...(options.to === undefined ? {} : { to: options.to }) };
      // Refused before a store is opened or a file created.
      checkExportWindow(window);
      return withApp(async (app) => {
        const printer = progressPrinter(io.progress);
        const manifest = await recoveryOf(app).export(options.out, window, (p) => printer.update(p));
        printer.done();
        io.out(`exported ${describeManifest(manifest)} to ${options.out}`);
      });
    });
  program
    .command('import')
    .description("verify an export (every chain, the manifest's counts and heads, its checksum), then load it into this store keeping ids, versions, hashes and times; run again to resume; then rebuild the read models")
    .requiredOption('--in <file>', 'the export to load')
    .option('--into-non-empty', 'import although this store holds other events (a later window onto a restore, a merge)')
    .option('--verify-only', 'only verify the file; write nothing')
    .option('--no-rebuild', 'leave the read models as they are (rebuild them later with projections rebuild)')
    .action((options: { in: string; intoNonEmpty?: boolean; verifyOnly?: boolean; rebuild: boolean }) =>
      withApp(async (app) => {
        const recovery = recoveryOf(app);
        const verifying = progressPrinter(io.progress, 'bytes');
        if (options.verifyOnly) {
          const manifest = await recovery.verifyFile(options.in, (p) => verifying.update(p));
          verifying.done();
          return io.out(`verified ${describeManifest(manifest)}`);
        }
        const loading = progressPrinter(io.progress);
        let loadingStarted = false;
        const report = await recovery.import(options.in, {
          intoNonEmpty: options.intoNonEmpty === true,
          onVerifyProgress: (p) => verifying.update(p),
          onProgress: (p) => {
            if (!loadingStarted) verifying.done();
            loadingStarted = true;
            loading.update(p);
          },
        });
        if (loadingStarted) loading.done();
        else verifying.done();
        io.out(
          `imported ${report.imported} events (${report.skipped} already there${report.resumed ? ': resumed' : ''}) and ${report.dataKeys} data keys: ${describeManifest(report.manifest)}`,
        );
        if (report.fastForwarded.length > 0) io.out(`moved ${report.fastForwarded.join(', ')} past the imported events (the source acted on them)`);
        if (!options.rebuild) return;
        for (const { name } of await app.projections.status()) {
          const printer = progressPrinter(io.progress);
          const generation = await app.projections.rebuild(name, (p) => printer.update(p));
          printer.done();
          io.out(`${name} now serves generation ${generation}`);
        }
      }),
    );
};
