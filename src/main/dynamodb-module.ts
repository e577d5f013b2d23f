import type { ContainerModule } from 'inversify';
import { openDynamoDb, type DynamoDbAdapters } from '../adapters/dynamodb/open-dynamodb.js';
import type { PostgresReadModels } from '../adapters/postgres/open-postgres-read-models.js';
import type { AppConfig } from './config.js';
import type { Runtime } from './container.js';
import { openMasterKey } from './master-key-config.js';
import { portsModule } from './ports-module.js';

/**
 * The `dynamodb` environment: the ADR's production store. Tables are provisioned (or found matching) before
 * anything is bound. DynamoDB has no global order: consumers read the event table's stream (per-stream order),
 * and rebuilds scan the table itself.
 */
export const dynamoDbModule = async (config: AppConfig, runtime: Runtime): Promise<ContainerModule> => {
  const adapters = await openDynamoDb({ settings: config.dynamodb, clock: runtime.clock });
  const reporting = await readModelsBeside(config, adapters);
  return dynamoDbPortsModule(adapters, config, runtime, reporting, async () => {
    await adapters.close();
    await reporting?.close();
  });
};

/** The ports over tables already open; `close` is what closing the container does to them (a test sharing them keeps them open). */
export const dynamoDbPortsModule = (adapters: DynamoDbAdapters, config: AppConfig, runtime: Runtime, reporting: PostgresReadModels | null, close: () => Promise<void>): ContainerModule =>
  portsModule(runtime, {
    ...adapters,
    // READ_MODELS=postgres: the projections consume the table's stream and keep their rows in PostgreSQL (no
    // projection transactions across the two: handlers are idempotent by applied versions, as on DynamoDB).
    ...(reporting === null ? {} : { readModels: reporting.readModels }),
    masterKey: openMasterKey(config.masterKey),
    close,
  });

/** The PostgreSQL read models READ_MODELS=postgres asks for (pg loaded only then); null keeps them in DynamoDB. */
const readModelsBeside = async (config: AppConfig, adapters: DynamoDbAdapters): Promise<PostgresReadModels | null> => {
  if (config.readModels.kind !== 'postgres') return null;
  const { openPostgresReadModels } = await import('../adapters/postgres/open-postgres-read-models.js');
  try {
    return await openPostgresReadModels(config.readModels.url);
  } catch (error) {
    await adapters.close();
    throw error;
  }
};
