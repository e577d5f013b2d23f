import { migrate } from './migrations.js';
import { PgDriver } from './pg-driver.js';
import { PostgresReadModelCatalog } from './postgres-read-models.js';

/** Read models in a PostgreSQL database of their own, for an event store elsewhere (DynamoDB). */
export interface PostgresReadModels {
  readonly readModels: PostgresReadModelCatalog;
  close(): Promise<void>;
}

/**
 * Migrates the whole schema (one migration chain for every table; the event tables stay empty) and opens the
 * read models over a small pool: projections write them batch by batch, queries read them.
 */
export const openPostgresReadModels = async (url: string, poolSize = 4): Promise<PostgresReadModels> => {
  const driver = new PgDriver({ connectionString: url, poolSize, applicationName: 'es-core read models' });
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
  return { readModels: new PostgresReadModelCatalog(driver), close: () => driver.close() };
};
