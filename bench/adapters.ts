import { PostgresProjectionTransactions } from '../src/adapters/postgres/postgres-projection-transactions.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryLeaseStore } from '../src/adapters/memory/in-memory-lease-store.js';
import { InMemoryEventStore } from '../src/adapters/memory/in-memory-event-store.js';
import { InMemoryReadModelCatalog } from '../src/adapters/memory/in-memory-read-models.js';
import { InMemoryCheckpointStore, InMemorySnapshotStore } from '../src/adapters/memory/in-memory-stores.js';
import { openPglite, openPostgres, type PostgresAdapters } from '../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../src/adapters/runtime/system-runtime.js';
import { localSettings, openLocalDynamoDb } from '../test/support/dynamodb-adapters.js';
import { startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { loadConfig } from '../src/main/config.js';
import type { GlobalEventLog } from '../src/application/ports/event-store.js';
import type { SnapshotStore } from '../src/application/ports/snapshot-store.js';
import { GlobalLogArchive, GlobalLogFeed } from '../src/application/subscriptions/global-log-feed.js';
import { DynamoDbFloorStore } from './floors/dynamodb-floor.js';
import { PgFloorStore } from './floors/pg-floor.js';
import type { BenchTarget, ReadSideTarget, ServiceTarget } from './workloads/workload.js';

export interface BenchAdapter {
  readonly name: string;
  /** The bare-driver floor run beside this adapter, whose figures this adapter's are compared with. */
  readonly floor?: string;
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

const tempDir = (): { path: string; remove: () => Promise<void> } => {
  const path = mkdtempSync(join(tmpdir(), 'es-bench-pglite-'));
  return { path, remove: async () => rmSync(path, { recursive: true, force: true }) };
};

const readSideOver = (adapters: PostgresAdapters, release: () => Promise<void>): ReadSideTarget => ({
  store: adapters.eventStore,
  ...overGlobalLog(adapters.eventStore),
  checkpoints: adapters.checkpoints,
  leases: adapters.leases,
  catalog: adapters.readModels,
  transactions: new PostgresProjectionTransactions(adapters.driver),
  close: () => adapters.close().finally(release),
});

/** A floor keeps no snapshots; the workloads that need them refuse a bare target first. */
const noSnapshots: SnapshotStore = { save: async () => undefined, latest: async () => null };

const overGlobalLog = (log: GlobalEventLog): Pick<ReadSideTarget, 'feed' | 'archive' | 'log'> => ({ feed: new GlobalLogFeed(log), archive: new GlobalLogArchive(log), log });

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
      return {
        store,
        snapshots: new InMemorySnapshotStore(),
        fresh: {
          readSide: async () => {
            const log = new InMemoryEventStore(new SystemClock());
            return { store: log, ...overGlobalLog(log), checkpoints: new InMemoryCheckpointStore(), leases: new InMemoryLeaseStore(new SystemClock()), catalog: new InMemoryReadModelCatalog(), close: () => log.close() };
          },
          service: async () => ({ config: loadConfig({}, { store: 'memory' }), release: async () => undefined }),
        },
        close: () => store.close(),
      };
    },
  },
  {
    name: 'pglite',
    open: async () => {
      const data = tempDir();
      const adapters = await releasingOnFailure(openPglite({ dataDir: data.path, clock: new SystemClock() }), data.remove);
      const target = await targetOver(adapters, (version) => `PGlite (PostgreSQL ${version}), data in a temp dir`, data.remove);
      return {
        ...target,
        fresh: {
          readSide: async () => {
            const fresh = tempDir();
            return readSideOver(await releasingOnFailure(openPglite({ dataDir: fresh.path, clock: new SystemClock() }), fresh.remove), fresh.remove);
          },
          service: async (): Promise<ServiceTarget> => {
            const fresh = tempDir();
            return { config: loadConfig({}, { store: 'pglite', dataDir: fresh.path }), release: fresh.remove };
          },
        },
      };
    },
  },
  {
    name: 'pg-floor',
    open: async () => {
      const server = await startPostgres();
      const stop = (): Promise<void> => server.stop();
      const store = await releasingOnFailure(server.createDatabase().then((url) => PgFloorStore.open(url)), stop);
      return {
        store,
        snapshots: noSnapshots,
        bare: true,
        server: `a bare pg pool on PostgreSQL (${server.source}, default settings)`,
        close: () => store.close().finally(stop),
      };
    },
  },
  {
    name: 'postgres',
    floor: 'pg-floor',
    open: async () => {
      const server = await startPostgres();
      const stop = (): Promise<void> => server.stop();
      const adapters = await releasingOnFailure(
        server.createDatabase().then((url) => openPostgres({ url, clock: new SystemClock() })),
        stop,
      );
      const target = await targetOver(adapters, (version) => `PostgreSQL ${version} (${server.source}, default settings)`, stop);
      return {
        ...target,
        fresh: {
          readSide: async () => readSideOver(await openPostgres({ url: await server.createDatabase(), clock: new SystemClock() }), async () => undefined),
          service: async () => ({ config: loadConfig({}, { store: 'postgres', databaseUrl: await server.createDatabase() }), release: async () => undefined }),
        },
      };
    },
  },
  {
    name: 'dynamodb-floor',
    open: async () => {
      // A server of its own: DynamoDB Local slows down with the tables other adapters left behind.
      const server = await startDynamoDbLocal();
      const stop = (): Promise<void> => server.stop();
      const store = await releasingOnFailure(DynamoDbFloorStore.open(server.endpoint), stop);
      return {
        store,
        snapshots: noSnapshots,
        bare: true,
        server: `a bare document client on DynamoDB Local (${server.source}, in memory)`,
        close: () => store.close().finally(stop),
      };
    },
  },
  {
    name: 'dynamodb',
    floor: 'dynamodb-floor',
    open: async () => {
      const server = await startDynamoDbLocal();
      const stop = (): Promise<void> => server.stop();
      const adapters = await releasingOnFailure(openLocalDynamoDb(server), stop);
      return {
        store: adapters.eventStore,
        snapshots: adapters.snapshots,
        server: `DynamoDB Local (${server.source}, in memory): an emulator, comparable only with other adapters on it`,
        fresh: {
          // Tables of their own on the same server; no global log, so P1 catches up by a rebuild from the table's scan.
          readSide: async () => {
            const fresh = await openLocalDynamoDb(server);
            const { eventStore, feed, archive, checkpoints, leases, readModels } = fresh;
            return { store: eventStore, feed, archive, checkpoints, leases, catalog: readModels, pollIntervalMs: loadConfig({}, { store: 'dynamodb' }).pollIntervalMs, close: () => fresh.close() };
          },
          service: async () => ({ config: loadConfig({}, { store: 'dynamodb', dynamodb: localSettings(server) }), release: async () => undefined }),
        },
        close: () => adapters.close().finally(stop),
      };
    },
  },
];
