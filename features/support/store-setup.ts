import type { AppConfig } from '../../src/main/config.js';
import type { Compose } from '../../test/support/fulfilment-app.js';

/** How a scenario's application is set up on a store. */
export interface StoreSetup {
  /** The configuration that points the application at the store. */
  readonly config: Partial<AppConfig>;
  /** Builds the container over adapters the run shares; absent: the composition root opens the store. */
  readonly compose?: Compose;
  /** Runs after the scenario's application closed: removes what was made for that scenario alone. */
  readonly closed?: () => Promise<void>;
}
