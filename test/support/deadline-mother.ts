import { randomUUID } from 'node:crypto';
import type { Deadline } from '../../src/application/ports/deadline-scheduler.js';

const DAY_MS = 86_400_000;
const WINDOW_MS = 30 * DAY_MS;
let windowsTaken = 0;

/**
 * A stretch of time of its own for one test over a store that other tests share: each window lies before every
 * window handed out earlier in this process (and before any real-clock deadline), so that whatever is due
 * "now" inside it is this test's and nothing left behind by an earlier test. Windows span 30 days.
 */
export const aTimeWindow = (): { readonly at: (offsetMs: number) => string } => {
  windowsTaken += 1;
  const start = Date.UTC(2000, 0, 1) - windowsTaken * WINDOW_MS;
  return {
    at: (offsetMs) => {
      if (offsetMs < 0 || offsetMs >= WINDOW_MS) throw new RangeError(`an offset of ${offsetMs} ms leaves the test's window`);
      return new Date(start + offsetMs).toISOString();
    },
  };
};

/** A payment deadline of a fresh order of the order-fulfilment workflow. */
export const aDeadline = (dueAt: string, overrides: Partial<Deadline> = {}): Deadline => {
  const key = overrides.key ?? `o-${randomUUID()}`;
  const workflow = overrides.workflow ?? 'order-fulfilment';
  return { id: `${workflow}:${key}:payment`, workflow, key, dueAt, ...overrides };
};
