import 'reflect-metadata';
import type { Container } from 'inversify';
import { LocalMasterKey } from '../../src/adapters/crypto/local-master-key.js';
import { RandomUuids, SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { loadConfig } from '../../src/main/config.js';
import { containerOver as compose } from '../../src/main/container.js';
import { portsModule, type EnvironmentPorts } from '../../src/main/ports-module.js';

/**
 * The composition root's application over adapters a test file already opened (one database shared by its
 * tests): another service instance on the same store, without opening it again. Closing it leaves the adapters open.
 */
// One master key for every instance a test file builds over its shared data-key store, as instances of one deployment share theirs.
const SHARED_MASTER_KEY = LocalMasterKey.ephemeral();

export const containerOver = (ports: Omit<EnvironmentPorts, 'close'>): Container => {
  // The memory configuration retires old generations at once: no other process reads them.
  const runtime = { clock: new SystemClock(), ids: new RandomUuids() };
  const config = loadConfig({}, { store: 'memory' });
  return compose(portsModule(runtime, { masterKey: SHARED_MASTER_KEY, ...ports, close: async () => undefined }), config, runtime);
};
