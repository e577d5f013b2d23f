import { ContainerModule } from 'inversify';
import { InMemoryMetrics } from '../adapters/memory/in-memory-metrics.js';
import { InMemoryPublisher } from '../adapters/memory/in-memory-publisher.js';
import { openPglite, openPostgres, type PostgresAdapters } from '../adapters/postgres/open-postgres.js';
import type { AppConfig } from './config.js';
import type { Runtime } from './container.js';
import { TOKENS } from './tokens.js';

const open = (config: AppConfig, runtime: Runtime): Promise<PostgresAdapters> => {
  if (config.store === 'pglite') return openPglite({ dataDir: config.dataDir, clock: runtime.clock });
  if (config.databaseUrl === null) throw new Error('the postgres store needs a database URL');
  return openPostgres({ url: config.databaseUrl, clock: runtime.clock });
};

/**
 * The `postgres` and `pglite` environments: one adapter over a PostgreSQL server or over PGlite in
 * a data folder. The schema is migrated before anything is bound.
 */
export const postgresModule = async (config: AppConfig, runtime: Runtime): Promise<ContainerModule> => {
  const adapters = await open(config, runtime);
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Clock).toConstantValue(runtime.clock);
    bind(TOKENS.Ids).toConstantValue(runtime.ids);
    bind(TOKENS.Metrics).toConstantValue(new InMemoryMetrics());
    bind(TOKENS.EventStore).toConstantValue(adapters.eventStore);
    bind(TOKENS.GlobalEventLog).toConstantValue(adapters.eventStore);
    bind(TOKENS.SnapshotStore).toConstantValue(adapters.snapshots);
    bind(TOKENS.IdempotencyStore).toConstantValue(adapters.idempotency);
    bind(TOKENS.CheckpointStore).toConstantValue(adapters.checkpoints);
    bind(TOKENS.ReadModelCatalog).toConstantValue(adapters.readModels);
    bind(TOKENS.Publisher).toConstantValue(new InMemoryPublisher());
    bind(TOKENS.Closer).toConstantValue(() => adapters.close());
  });
};
