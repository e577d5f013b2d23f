import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // At least two workers, even on two cores: most files wait on servers and child processes (PostgreSQL, DynamoDB Local, the
    // service under SIGKILL), so a second worker overlaps that waiting (11.5 -> 8.5 min for the suite on this machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
  },
});
