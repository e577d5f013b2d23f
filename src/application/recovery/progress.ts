import type { RebuildProgress } from '../projections/projection-engine.js';

/** Rate and time left of a long operation started at `started` (performance.now()), as the CLI's progress bar shows them. */
export const progressOf =
  (started: number) =>
  (done: number, total: number): RebuildProgress => {
    const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
    const rate = done / seconds;
    return { done, total, eventsPerSecond: rate, secondsLeft: rate > 0 ? Math.max(0, total - done) / rate : 0 };
  };
