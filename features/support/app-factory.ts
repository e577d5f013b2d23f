import { RandomUuids, FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer, type Runtime } from '../../src/main/container.js';
import { startPostgres, type PostgresServer } from '../../test/support/postgres-server.js';

/** The store the features run against, and what to release when a scenario ends. */
export interface FeatureApp {
  readonly app: App;
  readonly clock: FixedClock;
  close(): Promise<void>;
}

type StoreOpener = (runtime: Runtime) => Promise<App>;

// One PostgreSQL server and database for the whole run: every scenario names its own streams.
let postgres: { server: PostgresServer; url: string } | null = null;
const postgresDatabase = async (): Promise<string> => {
  if (postgres === null) {
    const server = await startPostgres();
    postgres = { server, url: await server.createDatabase() };
  }
  return postgres.url;
};

/** Stops what the run started (the PostgreSQL server); called once, after the last scenario. */
export const releaseStores = async (): Promise<void> => {
  await postgres?.server.stop();
  postgres = null;
};

/** The one place that knows which stores the features can run on. */
const stores: Readonly<Record<string, StoreOpener>> = {
  memory: async (runtime) => appFrom(await createContainer(loadConfig({}, { store: 'memory' }), runtime)),
  postgres: async (runtime) => appFrom(await createContainer(loadConfig({}, { store: 'postgres', databaseUrl: await postgresDatabase() }), runtime)),
};

// Every scenario starts at the same instant, so that time-based rules read the same on every run.
const SCENARIO_START = '2026-03-02T09:00:00.000Z';

export const featureStore = (env: NodeJS.ProcessEnv = process.env): string => env.FEATURES_STORE ?? 'memory';

/** A fresh application on the store named by FEATURES_STORE (default memory), with a clock the steps control. */
export const openFeatureApp = async (store: string = featureStore()): Promise<FeatureApp> => {
  const open = stores[store];
  if (open === undefined) throw new Error(`FEATURES_STORE must be one of ${Object.keys(stores).join(', ')}; got ${JSON.stringify(store)}`);
  const clock = new FixedClock(SCENARIO_START);
  const app = await open({ clock, ids: new RandomUuids() });
  return { app, clock, close: () => app.close() };
};
