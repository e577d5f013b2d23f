import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore } from '../src/adapters/memory/in-memory-event-store.js';
import { InMemorySnapshotStore } from '../src/adapters/memory/in-memory-stores.js';
import { openPglite, openPostgres, type PostgresAdapters } from '../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../src/adapters/runtime/system-runtime.js';
import { openLocalDynamoDb } from '../test/support/dynamodb-adapters.js';
import { startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { startPostgres } from '../test/support/postgres-server.js';
import type { BenchTarget } from './workloads/workload.js';

export interface BenchAdapter {
  readonly name: string;
  /** Starts whatever server the adapter needs, the way the tests do; `close` stops it. */
  open(): Promise<BenchTarget>;
}

const serverVersion = async (adapters: PostgresAdapters): Promise<string> => {
  const [row] = await adapters.driver.query<{ server_version: string }>('SHOW server_version');
  return row?.server_version ?? 'unknown version';
};

/** The bench's view of opened PostgreSQL adapters; `release` runs once they are closed (stops a server, removes a folder). */
const targetOver = async (adapters: PostgresAdapters, describe: (version: string) => string, release: () => Promise<void>): Promise<BenchTarget> => {
  const close = (): Promise<void> => adapters.close().finally(release);
  try {
    return { store: adapters.eventStore, snapshots: adapters.snapshots, server: describe(await serverVersion(adapters)), close };
  } catch (error) {
    await close();
    throw error;
  }
};

/** Runs `release` when opening fails, so that a half-opened adapter leaves no server or folder behind. */
const releasingOnFailure = <T>(opening: Promise<T>, release: () => Promise<void>): Promise<T> =>
  opening.catch(async (error: unknown) => {
    await release().catch(() => undefined);
    throw error;
  });

export const ADAPTERS: readonly BenchAdapter[] = [
  {
    name: 'memory',
    open: async () => {
      const store = new InMemoryEventStore(new SystemClock());
      return { store, snapshots: new InMemorySnapshotStore(), close: () => store.close() };
    },
  },
  {
    name: 'pglite',
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'es-bench-pglite-'));
      const removeData = async (): Promise<void> => rmSync(dataDir, { recursive: true, force: true });
      const adapters = await releasingOnFailure(openPglite({ dataDir, clock: new SystemClock() }), removeData);
      return targetOver(adapters, (version) => `PGlite (PostgreSQL ${version}), data in a temp dir`, removeData);
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const server = await startPostgres();
      const stop = (): Promise<void> => server.stop();
      const adapters = await releasingOnFailure(
        server.createDatabase().then((url) => openPostgres({ url, clock: new SystemClock() })),
        stop,
      );
      return targetOver(adapters, (version) => `PostgreSQL ${version} (${server.source}, default settings)`, stop);
    },
  },
  {
    name: 'dynamodb',
    open: async () => {
      const server = await startDynamoDbLocal();
      const stop = (): Promise<void> => server.stop();
      const adapters = await releasingOnFailure(openLocalDynamoDb(server), stop);
      return {
        store: adapters.eventStore,
        snapshots: adapters.snapshots,
        server: `DynamoDB Local (${server.source}, in memory): an emulator, comparable only with other adapters on it`,
        close: () => adapters.close().finally(stop),
      };
    },
  },
];
