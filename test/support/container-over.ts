import 'reflect-metadata';
import { Container } from 'inversify';
import { RandomUuids, SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { applicationModule } from '../../src/main/application-module.js';
import { loadConfig } from '../../src/main/config.js';
import { portsModule, type EnvironmentPorts } from '../../src/main/ports-module.js';
import { workflowModule } from '../../src/main/workflow-module.js';

/**
 * The composition root's application over adapters a test file already opened (one database shared by its
 * tests): another service instance on the same store, without opening it again. Closing it leaves the adapters open.
 */
export const containerOver = (ports: Omit<EnvironmentPorts, 'close'>): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  // The memory configuration retires old generations at once: no other process reads them.
  const runtime = { clock: new SystemClock(), ids: new RandomUuids() };
  const config = loadConfig({}, { store: 'memory' });
  container.load(portsModule(runtime, { ...ports, close: async () => undefined }), applicationModule(config), workflowModule(config, runtime));
  return container;
};
