const common = {
  // Requiring tsx registers its loader in every process cucumber starts (parallel workers too),
  // so that a bare `npx cucumber-js` loads the TypeScript steps.
  requireModule: ['tsx'],
  import: ['features/support/**/*.ts', 'features/steps/**/*.ts'],
  paths: ['features/**/*.feature'],
};

export default { ...common, format: ['progress', 'json:.reports/cucumber.json'] };

/** The same features on PostgreSQL: `cucumber-js --profile postgres` with FEATURES_STORE=postgres. */
export const postgres = { ...common, format: ['progress', 'json:.reports/cucumber-postgres.json'] };
