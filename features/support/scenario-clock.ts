import { FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import type { Clock } from '../../src/application/ports/runtime.js';

/**
 * The clock of the scenario running now. Adapters a run opens once read the time of whichever scenario uses them;
 * the scenarios of one process run one after another, so that is always the one running.
 */
export class ScenarioClock implements Clock {
  current: Clock = new FixedClock('2026-03-02T09:00:00.000Z');

  now(): string {
    return this.current.now();
  }
}
