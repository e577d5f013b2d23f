import { RandomUuids, FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer, type Runtime } from '../../src/main/container.js';

/** The store the features run against, and what to release when a scenario ends. */
export interface FeatureApp {
  readonly app: App;
  readonly clock: FixedClock;
  close(): Promise<void>;
}

type StoreOpener = (runtime: Runtime) => Promise<App>;

/** The one place that knows which stores the features can run on. */
const stores: Readonly<Record<string, StoreOpener>> = {
  memory: async (runtime) => appFrom(await createContainer(loadConfig({}, { store: 'memory' }), runtime)),
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
