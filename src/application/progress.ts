import type { RebuildProgress } from './projections/projection-engine.js';

/**
 * Rate and time left of a long operation (rebuild, verify, export, import) started at `started` (performance.now()),
 * as the CLI's progress bar shows them. The total is an estimate where a store only approximates its count: it never
 * reads less than what is done.
 */
export const progressOf =
  (started: number) =>
  (done: number, total: number): RebuildProgress => {
    const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
    const rate = done / seconds;
    const all = Math.max(total, done);
    return { done, total: all, eventsPerSecond: rate, secondsLeft: rate > 0 ? (all - done) / rate : 0 };
  };
