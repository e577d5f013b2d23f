import 'reflect-metadata';
import { Container } from 'inversify';
import { LocalMasterKey } from '../../src/adapters/crypto/local-master-key.js';
import { RandomUuids, SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { applicationModule } from '../../src/main/application-module.js';
import { auditModule } from '../../src/main/audit-module.js';
import { loadConfig } from '../../src/main/config.js';
import { portsModule, type EnvironmentPorts } from '../../src/main/ports-module.js';
import { workflowModule } from '../../src/main/workflow-module.js';

/**
 * The composition root's application over adapters a test file already opened (one database shared by its
 * tests): another service instance on the same store, without opening it again. Closing it leaves the adapters open.
 */
// One master key for every instance a test file builds over its shared data-key store, as instances of one deployment share theirs.
const SHARED_MASTER_KEY = LocalMasterKey.ephemeral();

export const containerOver = (ports: Omit<EnvironmentPorts, 'close'>): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  // The memory configuration retires old generations at once: no other process reads them.
  const runtime = { clock: new SystemClock(), ids: new RandomUuids() };
  const config = loadConfig({}, { store: 'memory' });
  container.load(portsModule(runtime, { masterKey: SHARED_MASTER_KEY, ...ports, close: async () => undefined }), applicationModule(config), workflowModule(config, runtime), auditModule(config));
  return container;
};
