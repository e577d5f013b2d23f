// Totals the runners' machine-readable reports into one line: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.reports';
let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = join(dir, 'vitest.json');
if (existsSync(vitest)) {
  const report = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numTotalTestSuites && report.success === false && !report.numFailedTests ? 1 : 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
} else {
  failed += 1;
  console.error(`no vitest report at ${vitest}`);
}

for (const cucumber of ['cucumber.json', 'cucumber-pglite.json', 'cucumber-postgres.json', 'cucumber-dynamodb.json'].map((name) => join(dir, name))) {
  if (!existsSync(cucumber)) {
    failed += 1;
    console.error(`no cucumber report at ${cucumber}`);
    continue;
  }
  for (const feature of JSON.parse(readFileSync(cucumber, 'utf8'))) {
    for (const scenario of feature.elements ?? []) {
      const statuses = (scenario.steps ?? []).map((step) => step.result?.status);
      if (statuses.some((s) => s === 'failed' || s === 'undefined' || s === 'ambiguous' || s === 'pending')) failed += 1;
      else if (statuses.some((s) => s === 'skipped')) skipped += 1;
      else passed += 1;
    }
  }
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
