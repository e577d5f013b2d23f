import { dynamoDbClient } from '../adapters/dynamodb/dynamodb-settings.js';
import { DynamoDbStoredText } from '../adapters/dynamodb/dynamodb-stored-text.js';
import { LogFileText } from '../adapters/logs/log-file-text.js';
import { openPglite, openPostgres } from '../adapters/postgres/open-postgres.js';
import { PostgresStoredText } from '../adapters/postgres/postgres-stored-text.js';
import { SystemClock } from '../adapters/runtime/system-runtime.js';
import type { StoredTextSource } from '../application/ports/stored-text.js';
import { ConfigError, type AppConfig } from './config.js';

export interface OpenedSources {
  readonly sources: readonly StoredTextSource[];
  close(): Promise<void>;
}

/**
 * Everything the configured store holds, plus log files when given, as text sources for the card number scan.
 * Opened apart from the application (no consumers, no workflow): a scan reads and never writes.
 */
export const openStoredTextSources = async (config: AppConfig, logs: string | null): Promise<OpenedSources> => {
  const logSources = logs === null ? [] : [new LogFileText(logs)];
  switch (config.store) {
    case 'memory':
      throw new ConfigError('STORE=memory keeps nothing between runs: scan the store the service uses (pglite, postgres or dynamodb)');
    case 'pglite':
    case 'postgres': {
      if (config.store === 'postgres' && config.databaseUrl === null) throw new ConfigError('the postgres store needs DATABASE_URL');
      const clock = new SystemClock();
      const adapters = config.store === 'pglite' ? await openPglite({ dataDir: config.dataDir, clock }) : await openPostgres({ url: config.databaseUrl ?? '', clock, poolSize: 1 });
      const description = config.store === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL';
      return { sources: [new PostgresStoredText(adapters.driver, description), ...logSources], close: () => adapters.close() };
    }
    case 'dynamodb': {
      const client = dynamoDbClient(config.dynamodb);
      return { sources: [new DynamoDbStoredText(client, config.dynamodb.tablePrefix), ...logSources], close: async () => client.destroy() };
    }
  }
};
