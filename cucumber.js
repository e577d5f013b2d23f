export default {
  // Requiring tsx registers its loader in every process cucumber starts (parallel workers too),
  // so that a bare `npx cucumber-js` loads the TypeScript steps.
  requireModule: ['tsx'],
  import: ['features/support/**/*.ts', 'features/steps/**/*.ts'],
  paths: ['features/**/*.feature'],
  format: ['progress', 'json:.reports/cucumber.json'],
};
