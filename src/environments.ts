/**
 * `event-sourcing-core/environments`: one function per environment. Each loads its store's adapters only when
 * called, so that importing this entry (for memory tests) loads neither the AWS SDK, pg nor PGlite.
 */
export { openDynamoDbApp, openMemoryApp, openPgliteApp, openPostgresApp, type DynamoDbOptions, type EnvironmentOptions } from './main/environment-apps.js';
export type { Settings } from './main/open-app.js';
