import type { Container } from 'inversify';
import type { RecoveryCli } from '../adapters/cli/recovery-commands.js';
import { createExportFileWriter, openExportFileReader } from '../adapters/recovery/gzip-ndjson-export-file.js';
import { ConsumerFastForward } from '../application/recovery/consumer-fast-forward.js';
import { LogExport, checkExportWindow } from '../application/recovery/log-export.js';
import { LogImport } from '../application/recovery/log-import.js';
import { TOKENS } from './tokens.js';

/**
 * Disaster recovery over the container's store: the raw (sealed) archive and import path, never the opening
 * wrappers, so that personal fields travel sealed and hashes stay those of what was stored. `actingConsumers`: the
 * consumers whose effects leave the store (the workflow, the relay), moved past what an import restores.
 */
export const recoveryFrom = (container: Container, actingConsumers: readonly string[]): RecoveryCli => {
  const clock = container.get(TOKENS.Clock);
  const importer = (): LogImport =>
    new LogImport({
      events: container.get(TOKENS.EventImport),
      archive: container.get(TOKENS.SealedEventArchive),
      dataKeys: container.get(TOKENS.DataKeys),
      checkpoints: container.get(TOKENS.CheckpointStore),
      feed: container.get(TOKENS.SealedCommittedEventFeed),
      actingConsumers,
      clock,
    });
  return {
    export: async (out, window, onProgress) => {
      checkExportWindow(window);
      const file = await createExportFileWriter(out);
      const exporter = new LogExport({ archive: container.get(TOKENS.SealedEventArchive), dataKeys: container.get(TOKENS.DataKeys), clock, sourceStore: container.get(TOKENS.Config).store });
      return exporter.export(file, { ...window, onProgress });
    },
    verifyFile: async (path, onProgress) => importer().verify(await openExportFileReader(path), onProgress),
    import: async (path, options) => importer().import(() => openExportFileReader(path), options),
    fastForward: async (options) =>
      new ConsumerFastForward({ feed: container.get(TOKENS.SealedCommittedEventFeed), checkpoints: container.get(TOKENS.CheckpointStore), consumers: actingConsumers }).run(options),
  };
};
