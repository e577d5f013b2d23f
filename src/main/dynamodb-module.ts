import type { ContainerModule } from 'inversify';
import { openDynamoDb } from '../adapters/dynamodb/open-dynamodb.js';
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
  return portsModule(runtime, { ...adapters, masterKey: openMasterKey(config.masterKey), close: () => adapters.close() });
};
