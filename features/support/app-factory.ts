import type { AppConfig } from '../../src/main/config.js';
import { openFulfilmentApp, type FulfilmentApp } from '../../test/support/fulfilment-app.js';
import { startPostgres, type PostgresServer } from '../../test/support/postgres-server.js';

/**
 * The application a scenario runs against: its clock, the simulated gateway's timers over that clock, and the
 * order-fulfilment workflow, which acts only when a step runs it (`run`); a scenario that never does is unaffected.
 */
export type FeatureApp = Pick<FulfilmentApp, 'app' | 'clock' | 'run' | 'answerGateway' | 'close'>;

export interface FeatureAppOptions {
  /**
   * A store no other scenario writes to. Scenarios name their own streams, so most share one store; the workflow
   * does not stay within names: it follows the whole log from its checkpoint and fires every deadline due.
   */
  readonly ownStore?: boolean;
}

/** The configuration that points the application at the store named (memory is always a scenario's own). */
type StoreOpener = (options: FeatureAppOptions) => Promise<Partial<AppConfig>>;

// One PostgreSQL server for the whole run, with one database every scenario shares: each names its own streams.
let postgres: { server: PostgresServer; url: string } | null = null;
const postgresServer = async (): Promise<{ server: PostgresServer; url: string }> => {
  if (postgres === null) {
    const server = await startPostgres();
    postgres = { server, url: await server.createDatabase() };
  }
  return postgres;
};

/** Stops what the run started (the PostgreSQL server and its databases); called once, after the last scenario. */
export const releaseStores = async (): Promise<void> => {
  await postgres?.server.stop();
  postgres = null;
};

/** The one place that knows which stores the features can run on. */
const stores: Readonly<Record<string, StoreOpener>> = {
  memory: async () => ({ store: 'memory' }),
  postgres: async ({ ownStore = false }) => {
    const { server, url } = await postgresServer();
    return { store: 'postgres', databaseUrl: ownStore ? await server.createDatabase() : url };
  },
};

// Every scenario starts at the same instant, so that time-based rules read the same on every run.
const SCENARIO_START = '2026-03-02T09:00:00.000Z';

export const featureStore = (env: NodeJS.ProcessEnv = process.env): string => env.FEATURES_STORE ?? 'memory';

/** A fresh application on the store named by FEATURES_STORE (default memory), with a clock and timers the steps control. */
export const openFeatureApp = async (store: string = featureStore(), options: FeatureAppOptions = {}): Promise<FeatureApp> => {
  const open = stores[store];
  if (open === undefined) throw new Error(`FEATURES_STORE must be one of ${Object.keys(stores).join(', ')}; got ${JSON.stringify(store)}`);
  return openFulfilmentApp(await open(options), SCENARIO_START);
};
