import type { ContainerModule } from 'inversify';
import { PostgresProjectionTransactions } from '../adapters/postgres/postgres-projection-transactions.js';
import { openPglite, openPostgres, type PostgresAdapters } from '../adapters/postgres/open-postgres.js';
import { GlobalLogArchive, GlobalLogFeed } from '../application/subscriptions/global-log-feed.js';
import type { AppConfig } from './config.js';
import type { Runtime } from './container.js';
import { openMasterKey } from './master-key-config.js';
import { portsModule } from './ports-module.js';

const open = (config: AppConfig, runtime: Runtime): Promise<PostgresAdapters> => {
  if (config.store === 'pglite') return openPglite({ dataDir: config.dataDir, clock: runtime.clock });
  if (config.databaseUrl === null) throw new Error('the postgres store needs a database URL');
  return openPostgres({ url: config.databaseUrl, clock: runtime.clock });
};

/**
 * The `postgres` and `pglite` environments: one adapter over a PostgreSQL server or over PGlite in
 * a data folder. The schema is migrated before anything is bound. Consumers read the gap-free global log.
 */
export const postgresModule = async (config: AppConfig, runtime: Runtime): Promise<ContainerModule> => postgresPortsModule(await open(config, runtime), config, runtime);

/** The ports over adapters already open; `close` is what closing the container does to them (a test sharing them keeps them open). */
export const postgresPortsModule = (adapters: PostgresAdapters, config: AppConfig, runtime: Runtime, close: () => Promise<void> = () => adapters.close()): ContainerModule =>
  portsModule(runtime, {
    ...adapters,
    masterKey: openMasterKey(config.masterKey),
    feed: new GlobalLogFeed(adapters.eventStore),
    archive: new GlobalLogArchive(adapters.eventStore),
    projectionTransactions: new PostgresProjectionTransactions(adapters.driver),
    close,
  });
