import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import type { Clock, IdGenerator } from '../application/ports/runtime.js';
import type { Timers } from '../adapters/gateway/simulated-gateway.js';
import { RandomUuids, SystemClock } from '../adapters/runtime/system-runtime.js';
import { applicationModule } from './application-module.js';
import { auditModule } from './audit-module.js';
import type { AppConfig, StoreKind } from './config.js';
import { loadTracingSdk, tracingModule } from './tracing-module.js';
import { TOKENS } from './tokens.js';
import { workflowModule } from './workflow-module.js';

export interface Runtime {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The delays the simulated payment gateway waits out: the system's timers unless a test moves time by hand. */
  readonly timers?: Timers;
}

type EnvironmentModule = (config: AppConfig, runtime: Runtime) => Promise<ContainerModule>;

/**
 * One module per environment; each opens its own resources before binding them. Each is imported only when
 * chosen, so that an embedding's memory tests never load the AWS SDK, pg or PGlite.
 */
const environments: Partial<Record<StoreKind, EnvironmentModule>> = {
  memory: async (_config, runtime) => (await import('./memory-module.js')).memoryModule(runtime),
  pglite: async (config, runtime) => (await import('./postgres-module.js')).postgresModule(config, runtime),
  postgres: async (config, runtime) => (await import('./postgres-module.js')).postgresModule(config, runtime),
  dynamodb: async (config, runtime) => (await import('./dynamodb-module.js')).dynamoDbModule(config, runtime),
};

export const createContainer = async (config: AppConfig, runtime: Runtime = { clock: new SystemClock(), ids: new RandomUuids() }): Promise<Container> => {
  const environment = environments[config.store];
  if (!environment) throw new Error(`no environment module for store ${config.store}`);
  const environmentModule = await environment(config, runtime);
  await loadTracingSdk(config);
  return containerOver(environmentModule, config, runtime);
};

/** The application over an environment's ports already bound (by its module, or by a test that shares adapters between containers). */
export const containerOver = (environment: ContainerModule, config: AppConfig, runtime: Runtime): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(environment, applicationModule(config), workflowModule(config, runtime), auditModule(config), tracingModule(config));
  return container;
};

/**
 * Runs what follows the opening of a container's store; if it throws (a setting refused late, a server that cannot be
 * built), the store is closed before the error goes on: the caller never holds it, and PGlite's folder takes one opener.
 */
export const closedOnFailure = async <T>(container: Container, rest: () => Promise<T>): Promise<T> => {
  try {
    return await rest();
  } catch (error) {
    await container.get(TOKENS.Closer)().catch(() => undefined);
    throw error;
  }
};
