import type { Figures } from './workloads/workload.js';

/** Nearest-rank percentile (p in 0..100) of a non-empty sample. */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) throw new Error('a percentile needs at least one sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
};

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Runs `task` `count` times one after another and returns each duration in milliseconds. */
export const timeEach = async (count: number, task: () => Promise<void>): Promise<number[]> => {
  const durations: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await task();
    durations.push(performance.now() - started);
  }
  return durations;
};

export const latencyFigures = (durationsMs: readonly number[]): Figures => ({
  p50Ms: percentile(durationsMs, 50),
  p95Ms: percentile(durationsMs, 95),
  p99Ms: percentile(durationsMs, 99),
});
