import type { Clock } from '../../application/ports/runtime.js';
import { lockDataFolder } from './data-folder-lock.js';
import { migrate } from './migrations.js';
import { PostgresDataKeyStore } from './postgres-data-key-store.js';
import { PgDriver } from './pg-driver.js';
import { PgliteDriver } from './pglite-driver.js';
import { PostgresDeadLetterStore } from './postgres-dead-letter-store.js';
import { PostgresDeadlineScheduler } from './postgres-deadline-scheduler.js';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';
import { PostgresLeaseStore } from './postgres-lease-store.js';
import { PostgresReadModelCatalog } from './postgres-read-models.js';
import { PostgresCheckpointStore, PostgresIdempotencyStore, PostgresSnapshotStore } from './postgres-stores.js';
import type { SqlDriver } from './sql-driver.js';

/** Every port the PostgreSQL adapters implement, over one driver, on a migrated schema. */
export interface PostgresAdapters {
  readonly driver: SqlDriver;
  readonly eventStore: PostgresEventStore;
  readonly snapshots: PostgresSnapshotStore;
  readonly checkpoints: PostgresCheckpointStore;
  readonly idempotency: PostgresIdempotencyStore;
  readonly readModels: PostgresReadModelCatalog;
  readonly leases: PostgresLeaseStore;
  readonly deadLetters: PostgresDeadLetterStore;
  readonly deadlines: PostgresDeadlineScheduler;
  /** Data subjects' wrapped data keys (GDPR). */
  readonly dataKeys: PostgresDataKeyStore;
  /** Lets appends in flight finish, then closes the driver and releases what was locked. */
  close(): Promise<void>;
}

export interface OpenPostgresOptions {
  readonly url: string;
  readonly clock: Clock;
  readonly poolSize?: number;
  readonly eventStore?: PostgresEventStoreOptions;
}

export interface OpenPgliteOptions {
  /** null: in memory, gone when closed. */
  readonly dataDir: string | null;
  readonly clock: Clock;
}

const adaptersOver = async (driver: SqlDriver, clock: Clock, options: PostgresEventStoreOptions, release: () => void): Promise<PostgresAdapters> => {
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close().catch(() => undefined);
    release();
    throw error;
  }
  const eventStore = new PostgresEventStore(driver, clock, options);
  return {
    driver,
    eventStore,
    snapshots: new PostgresSnapshotStore(driver),
    checkpoints: new PostgresCheckpointStore(driver),
    idempotency: new PostgresIdempotencyStore(driver),
    readModels: new PostgresReadModelCatalog(driver),
    leases: new PostgresLeaseStore(driver),
    deadLetters: new PostgresDeadLetterStore(driver),
    deadlines: new PostgresDeadlineScheduler(driver),
    dataKeys: new PostgresDataKeyStore(driver),
    close: async () => {
      await eventStore.close();
      try {
        await driver.close();
      } finally {
        release();
      }
    },
  };
};

/** A PostgreSQL server: the schema is brought up to date before anything is returned. */
export const openPostgres = (options: OpenPostgresOptions): Promise<PostgresAdapters> => {
  const driver = new PgDriver({ connectionString: options.url, ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }) });
  return adaptersOver(driver, options.clock, options.eventStore ?? {}, () => undefined);
};

/** PGlite in this process, in a data folder that no other process may open meanwhile (or in memory). */
export const openPglite = async (options: OpenPgliteOptions): Promise<PostgresAdapters> => {
  const lock = options.dataDir === null ? null : lockDataFolder(options.dataDir);
  let driver: PgliteDriver;
  try {
    driver = await PgliteDriver.open(options.dataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  // One connection: a batch at a time, as large as the queue allows.
  const adapters = await adaptersOver(driver, options.clock, { batching: { concurrency: 1, maxEvents: 1_000 } }, () => lock?.release());
  // The folder is ours alone: a claim in progress belongs to a run that died with its process, and a retry need not wait out its lease.
  if (lock !== null) {
    await adapters.idempotency.releaseEveryClaim().catch(async (error: unknown) => {
      await adapters.close().catch(() => undefined);
      throw error;
    });
  }
  return adapters;
};
