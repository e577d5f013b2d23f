import type { App } from './app.js';
import type { Runtime } from './container.js';
import { openApp, type Settings } from './open-app.js';

/** What every environment takes besides its own: further settings (by their variable names) and a runtime for tests. */
export interface EnvironmentOptions {
  /** Any other settings (`FULFILMENT`, `CONSUMERS`, `SNAPSHOT_EVERY`, ...); none of the process's environment is read. */
  readonly settings?: Settings;
  readonly runtime?: Runtime;
}

const open = (options: EnvironmentOptions, chosen: Settings): Promise<App> =>
  openApp({ settings: { ...options.settings, ...chosen }, ...(options.runtime === undefined ? {} : { runtime: options.runtime }) });

/** Everything in this process, gone when closed: unit tests of an embedding application, a quick look. */
export const openMemoryApp = (options: EnvironmentOptions = {}): Promise<App> => open(options, { STORE: 'memory' });

/** PGlite (PostgreSQL in this process) in a data folder no other process may open meanwhile: a developer's laptop. */
export const openPgliteApp = (options: EnvironmentOptions & { readonly dataDir: string }): Promise<App> => open(options, { STORE: 'pglite', DATA_DIR: options.dataDir });

/** A PostgreSQL server (the schema is migrated on open): self-hosted, or the disaster-recovery store. */
export const openPostgresApp = (options: EnvironmentOptions & { readonly databaseUrl: string }): Promise<App> =>
  open(options, { STORE: 'postgres', DATABASE_URL: options.databaseUrl });

export interface DynamoDbOptions extends EnvironmentOptions {
  readonly region?: string;
  /** DynamoDB Local or another endpoint; AWS's when absent. */
  readonly endpoint?: string;
  /** Prefixed to every table's name (`dev-` when absent). */
  readonly tablePrefix?: string;
  /** Read models in this PostgreSQL database instead of DynamoDB (READ_MODELS=postgres): reporting in SQL. */
  readonly readModelsDatabaseUrl?: string;
}

/** DynamoDB, the production store (tables provisioned or checked on open); credentials from the AWS SDK's usual chain. */
export const openDynamoDbApp = (options: DynamoDbOptions = {}): Promise<App> =>
  open(options, {
    STORE: 'dynamodb',
    ...(options.region === undefined ? {} : { AWS_REGION: options.region }),
    ...(options.endpoint === undefined ? {} : { DYNAMODB_ENDPOINT: options.endpoint }),
    ...(options.tablePrefix === undefined ? {} : { DYNAMODB_TABLE_PREFIX: options.tablePrefix }),
    ...(options.readModelsDatabaseUrl === undefined ? {} : { READ_MODELS: 'postgres', READ_MODELS_DATABASE_URL: options.readModelsDatabaseUrl }),
  });
