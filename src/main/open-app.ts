import { appFrom, type App } from './app.js';
import { loadBusConfig } from './bus-config.js';
import { loadNamingAll } from './config-problems.js';
import { loadConfig } from './config.js';
import { closedOnFailure, createContainer, type Runtime } from './container.js';
import { loadReplicaConfig } from './replica-config.js';

/**
 * Settings by the names of the service's environment variables (README, "Configuration"): `STORE`,
 * `DATABASE_URL`, `READ_MODELS`, `FULFILMENT`, ... Values are strings, exactly as in an environment.
 */
export type Settings = Readonly<Record<string, string | undefined>>;

export interface OpenAppOptions {
  /** The settings to run with; the process's environment when absent. */
  readonly settings?: Settings;
  /** A clock and id generator of the caller's (tests that move time); the system's when absent. */
  readonly runtime?: Runtime;
}

/**
 * The application for an environment, as a library: every setting checked first (all bad ones named at once, in a
 * ConfigError), the store opened, and, with `CONSUMERS=in-process` (the default), the projections, the
 * order-fulfilment workflow (`FULFILMENT=workflow`) and the EventBridge relay (`EVENT_BUS_NAME`) running in this
 * process, as in the service. `close()` stops them and closes the store.
 */
export const openApp = async (options: OpenAppOptions = {}): Promise<App> => {
  const settings = options.settings ?? process.env;
  const { config, bus } = loadNamingAll(settings, (env) => {
    const loaded = loadConfig(env);
    loadReplicaConfig(env, loaded.store);
    return { config: loaded, bus: loadBusConfig(env) };
  });
  const container = await createContainer(config, options.runtime);
  const app = await closedOnFailure(container, async () => appFrom(container, settings));
  if (config.consumers === 'off') return app;
  app.projections.start(config.pollIntervalMs);
  if (config.fulfilment === 'workflow') app.fulfilment.start(config.pollIntervalMs);
  if (bus === null) return app;
  try {
    const { startRelay } = await import('./relay-service.js');
    const relay = await startRelay(container, bus, config.pollIntervalMs);
    return {
      ...app,
      close: async () => {
        await relay.stop();
        await app.close();
      },
    };
  } catch (error) {
    await app.close();
    throw error;
  }
};
