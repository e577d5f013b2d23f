import { ContainerModule } from 'inversify';
import { openDynamoDb } from '../adapters/dynamodb/open-dynamodb.js';
import { InMemoryMetrics } from '../adapters/memory/in-memory-metrics.js';
import { InMemoryPublisher } from '../adapters/memory/in-memory-publisher.js';
import type { AppConfig } from './config.js';
import type { Runtime } from './container.js';
import { TOKENS } from './tokens.js';

/**
 * The `dynamodb` environment: the ADR's production store. Tables are provisioned (or found matching) before
 * anything is bound. DynamoDB has no global order, so no GlobalEventLog is bound: committed events are read
 * from the event table's stream (`DynamoDbStreamFeed`).
 */
export const dynamoDbModule = async (config: AppConfig, runtime: Runtime): Promise<ContainerModule> => {
  const adapters = await openDynamoDb({ settings: config.dynamodb, clock: runtime.clock });
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Clock).toConstantValue(runtime.clock);
    bind(TOKENS.Ids).toConstantValue(runtime.ids);
    bind(TOKENS.Metrics).toConstantValue(new InMemoryMetrics());
    bind(TOKENS.EventStore).toConstantValue(adapters.eventStore);
    bind(TOKENS.SnapshotStore).toConstantValue(adapters.snapshots);
    bind(TOKENS.IdempotencyStore).toConstantValue(adapters.idempotency);
    bind(TOKENS.CheckpointStore).toConstantValue(adapters.checkpoints);
    bind(TOKENS.ReadModelCatalog).toConstantValue(adapters.readModels);
    bind(TOKENS.Publisher).toConstantValue(new InMemoryPublisher());
    bind(TOKENS.Closer).toConstantValue(() => adapters.close());
  });
};
