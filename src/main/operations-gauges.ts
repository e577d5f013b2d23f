import type { Container } from 'inversify';
import { recordDeadLetters } from '../application/relay/dead-letter-gauge.js';
import { TOKENS } from './tokens.js';

/** Once a minute: dead letters change rarely, and counting them reads the store. */
const GAUGE_INTERVAL_MS = 60_000;

export interface RunningGauges {
  stop(): Promise<void>;
}

/** The service's gauges that no consumer records as it goes: `DeadLetters`, now and every minute. */
export const startOperationsGauges = (container: Container, intervalMs = GAUGE_INTERVAL_MS): RunningGauges => {
  let ticking: Promise<unknown> = Promise.resolve();
  // A failed count (the store unavailable) is simply tried again at the next tick.
  const tick = (): void => {
    ticking = recordDeadLetters(container.get(TOKENS.DeadLetterStore), container.get(TOKENS.Metrics)).catch(() => undefined);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await ticking;
    },
  };
};
