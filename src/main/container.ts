import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import type { Clock, IdGenerator } from '../application/ports/runtime.js';
import type { Timers } from '../adapters/gateway/simulated-gateway.js';
import { RandomUuids, SystemClock } from '../adapters/runtime/system-runtime.js';
import { applicationModule } from './application-module.js';
import { auditModule } from './audit-module.js';
import type { AppConfig, StoreKind } from './config.js';
import { dynamoDbModule } from './dynamodb-module.js';
import { memoryModule } from './memory-module.js';
import { postgresModule } from './postgres-module.js';
import { workflowModule } from './workflow-module.js';

export interface Runtime {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The delays the simulated payment gateway waits out: the system's timers unless a test moves time by hand. */
  readonly timers?: Timers;
}

type EnvironmentModule = (config: AppConfig, runtime: Runtime) => Promise<ContainerModule>;

/** One module per environment; each opens its own resources before binding them. */
const environments: Partial<Record<StoreKind, EnvironmentModule>> = {
  memory: async (_config, runtime) => memoryModule(runtime),
  pglite: postgresModule,
  postgres: postgresModule,
  dynamodb: dynamoDbModule,
};

export const createContainer = async (config: AppConfig, runtime: Runtime = { clock: new SystemClock(), ids: new RandomUuids() }): Promise<Container> => {
  const environment = environments[config.store];
  if (!environment) throw new Error(`no environment module for store ${config.store}`);
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(await environment(config, runtime), applicationModule(config), workflowModule(config, runtime), auditModule(config));
  return container;
};
