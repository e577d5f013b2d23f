import { randomUUID } from 'node:crypto';
import type { Container } from 'inversify';
import { FixedClock, RandomUuids } from '../../src/adapters/runtime/system-runtime.js';
import type { CommandContext } from '../../src/application/commands/command-executor.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig, type AppConfig } from '../../src/main/config.js';
import { createContainer, type Runtime } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { ManualTimers } from './manual-timers.js';

/** The whole application with a clock and gateway timers the test moves, and a way to run the workflow until it rests. */
export interface FulfilmentApp {
  readonly app: App;
  readonly clock: FixedClock;
  readonly timers: ManualTimers;
  /** Runs the workflow, the gateway's answers due now and the deliveries they start, until nothing moves. */
  run(): Promise<void>;
  /** Runs until `done` holds, polling: a feed that shows commits late (DynamoDB Streams) gets time to catch up. */
  until(done: () => Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  /** Moves time on (clock and gateway timers together), then runs. */
  advance(ms: number): Promise<void>;
  /** Moves time on and lets the gateway answer what falls due, without running the workflow. */
  answerGateway(ms: number): Promise<void>;
  close(): Promise<void>;
}

export const ctx = (actor = 'tester'): CommandContext => ({ metadata: { correlationId: randomUUID(), causationId: null, actor } });

/** Builds the container from the configuration and the test's runtime: the composition root's, unless a test shares adapters it opened. */
export type Compose = (config: AppConfig, runtime: Runtime) => Promise<Container>;

export const openFulfilmentApp = async (overrides: Partial<AppConfig>, start = '2026-03-02T09:00:00.000Z', compose: Compose = createContainer): Promise<FulfilmentApp> => {
  const clock = new FixedClock(start);
  const timers = new ManualTimers(clock);
  const container = await compose(loadConfig({}, overrides), { clock, ids: new RandomUuids(), timers });
  const app = appFrom(container);
  const gateway = container.get(TOKENS.PaymentGateway);
  const run = async (): Promise<void> => {
    for (let round = 0; round < 100; round += 1) {
      const handled = await app.fulfilment.settle();
      const before = timers.pending;
      await timers.advance(0);
      await gateway.drain();
      if (handled === 0 && timers.pending === before) return;
    }
    throw new Error('the workflow kept moving after 100 rounds');
  };
  return {
    app,
    clock,
    timers,
    run,
    async until(done, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await run();
        if (await done()) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async advance(ms) {
      await timers.advance(ms);
      await gateway.drain();
      await run();
    },
    async answerGateway(ms) {
      await timers.advance(ms);
      await gateway.drain();
    },
    close: () => app.close(),
  };
};
