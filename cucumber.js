const common = {
  // Requiring tsx registers its loader in every process cucumber starts (parallel workers too),
  // so that a bare `npx cucumber-js` loads the TypeScript steps.
  requireModule: ['tsx'],
  import: ['features/support/**/*.ts', 'features/steps/**/*.ts'],
  paths: ['features/**/*.feature'],
};

/**
 * The same features on one store (FEATURES_STORE, features/support/app-factory.ts), each with its own report under
 * .reports/ (scripts/test-summary.mjs counts them all). A feature or scenario that cannot pass on a store is tagged
 * `@not-on-<store>` under a comment saying why; the store's run leaves it out and prints it with that reason.
 */
const on = (store) => ({
  ...common,
  tags: `not @not-on-${store}`,
  worldParameters: { store },
  format: ['progress', `json:.reports/${store === 'memory' ? 'cucumber' : `cucumber-${store}`}.json`],
});

/** `FEATURES_STORE=memory|pglite|postgres|dynamodb cucumber-js` (memory by default). */
export default on(process.env.FEATURES_STORE ?? 'memory');

/** `cucumber-js --profile <store>` with FEATURES_STORE=<store>, as the npm scripts `test:features:<store>` run them. */
export const pglite = on('pglite');
export const postgres = on('postgres');
export const dynamodb = on('dynamodb');
