import { openFulfilmentApp, type FulfilmentApp } from '../../test/support/fulfilment-app.js';
import { startPostgres, type PostgresServer } from '../../test/support/postgres-server.js';
import { dynamoDbStore, releaseDynamoDb } from './dynamodb-store.js';
import { pgliteStore, releasePglite } from './pglite-store.js';
import type { StoreSetup } from './store-setup.js';

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

/** How a scenario's application is set up on the store named. */
type StoreOpener = (options: FeatureAppOptions) => Promise<StoreSetup>;

// One PostgreSQL server for the whole run, with one database every scenario shares: each names its own streams.
let postgres: { server: PostgresServer; url: string } | null = null;
const postgresServer = async (): Promise<{ server: PostgresServer; url: string }> => {
  if (postgres === null) {
    const server = await startPostgres();
    postgres = { server, url: await server.createDatabase() };
  }
  return postgres;
};

/** Stops what the run started (servers, the PGlite folder, DynamoDB Local); called once, after the last scenario. */
export const releaseStores = async (): Promise<void> => {
  await postgres?.server.stop();
  postgres = null;
  await releasePglite();
  await releaseDynamoDb();
};

/** The one place that knows which stores the features can run on. */
const stores: Readonly<Record<string, StoreOpener>> = {
  memory: async () => ({ config: { store: 'memory' } }),
  pglite: pgliteStore,
  postgres: async ({ ownStore = false }) => {
    const { server, url } = await postgresServer();
    return { config: { store: 'postgres', databaseUrl: ownStore ? await server.createDatabase() : url } };
  },
  dynamodb: dynamoDbStore,
};

// Every scenario starts at the same instant, so that time-based rules read the same on every run.
const SCENARIO_START = '2026-03-02T09:00:00.000Z';

export const featureStore = (env: NodeJS.ProcessEnv = process.env): string => env.FEATURES_STORE ?? 'memory';

/** Starts what the run's store needs (a server, DynamoDB Local, PGlite's folder), so that the first scenario does not wait for it. */
export const prepareStore = async (store: string = featureStore()): Promise<void> => {
  await (await openFeatureApp(store)).close();
};

/** A fresh application on the store named by FEATURES_STORE (default memory), with a clock and timers the steps control. */
export const openFeatureApp = async (store: string = featureStore(), options: FeatureAppOptions = {}): Promise<FeatureApp> => {
  const open = stores[store];
  if (open === undefined) throw new Error(`FEATURES_STORE must be one of ${Object.keys(stores).join(', ')}; got ${JSON.stringify(store)}`);
  const setup = await open(options);
  const opened = await openFulfilmentApp(setup.config, SCENARIO_START, setup.compose);
  return {
    ...opened,
    close: async () => {
      await opened.close();
      await setup.closed?.();
    },
  };
};
