import { cpSync, existsSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite, type PostgresAdapters } from '../../src/adapters/postgres/open-postgres.js';
import { containerOver } from '../../src/main/container.js';
import { postgresPortsModule } from '../../src/main/postgres-module.js';
import { ScenarioClock } from './scenario-clock.js';
import type { StoreSetup } from './store-setup.js';

interface PgliteRun {
  readonly folder: string;
  /** A migrated, empty data folder, closed: copied for every scenario that needs a store of its own. */
  readonly template: string;
  /** The folder every other scenario shares, open for the whole run. */
  readonly shared: PostgresAdapters;
  readonly clock: ScenarioClock;
  owned: number;
}

// Opening a PGlite folder takes most of a second (a new one several), far longer than a scenario: the scenarios
// that can share a store share one PGlite for the run, and each that cannot gets a copy of a migrated folder.
let run: Promise<PgliteRun> | null = null;

// In memory where Linux offers enough of it (a container's /dev/shm may hold only 64 MB; a run keeps three folders of
// about 40 MB): on a disk, copying a folder for a scenario and removing it after take longer than the scenario
// (seconds where the disk discards on delete), and PGlite opens a folder in memory faster.
const MEMORY_FOLDER = '/dev/shm';
const MEMORY_NEEDED = 1024 ** 3;

const runParent = (): string => {
  if (!existsSync(MEMORY_FOLDER)) return tmpdir();
  const { bavail, bsize } = statfsSync(MEMORY_FOLDER);
  return bavail * bsize >= MEMORY_NEEDED ? MEMORY_FOLDER : tmpdir();
};

const startRun = async (): Promise<PgliteRun> => {
  const folder = mkdtempSync(join(runParent(), 'es-features-pglite-'));
  // A run that dies on the way leaves no folder behind in memory.
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  const template = join(folder, 'template');
  const clock = new ScenarioClock();
  await (await openPglite({ dataDir: template, clock })).close();
  cpSync(template, join(folder, 'shared'), { recursive: true });
  return { folder, template, clock, shared: await openPglite({ dataDir: join(folder, 'shared'), clock }), owned: 0 };
};

/** PGlite in a data folder of this run, in memory or under the operating system's temporary folder. */
export const pgliteStore = async ({ ownStore = false }: { ownStore?: boolean }): Promise<StoreSetup> => {
  run ??= startRun();
  const current = await run;
  if (ownStore) {
    current.owned += 1;
    const dataDir = join(current.folder, `own-${current.owned}`);
    cpSync(current.template, dataDir, { recursive: true });
    return { config: { store: 'pglite', dataDir }, closed: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const dataDir = join(current.folder, 'shared');
  return {
    config: { store: 'pglite', dataDir },
    compose: async (config, runtime) => {
      current.clock.current = runtime.clock;
      // Closing a scenario's application leaves the run's PGlite open for the next.
      return containerOver(postgresPortsModule(current.shared, config, runtime, async () => undefined), config, runtime);
    },
  };
};

/** Closes the run's PGlite and removes its folder. */
export const releasePglite = async (): Promise<void> => {
  const finished = run;
  run = null;
  if (finished === null) return;
  const { shared, folder } = await finished;
  await shared.close();
  rmSync(folder, { recursive: true, force: true });
};
