import type { Container } from 'inversify';
import { EventBridgePublisher } from '../adapters/eventbridge/eventbridge-publisher.js';
import { InMemoryDeadLetterSink } from '../adapters/memory/in-memory-dead-letter-sink.js';
import { EventRelay } from '../application/relay/event-relay.js';
import type { BusConfig } from './bus-config.js';
import { ConfigError } from './config.js';
import { TOKENS } from './tokens.js';

export interface RunningRelay {
  /** Finishes the batch in hand (its checkpoint saved once the bus took it) and stops polling. */
  stop(): Promise<void>;
}

/**
 * Publishes committed events to EventBridge from the store's committed feed (the global log, or
 * DynamoDB Streams), never from command handlers: a crash between commit and publish loses nothing.
 */
export const startRelay = async (container: Container, bus: BusConfig, report: (line: string) => void, intervalMs = 200): Promise<RunningRelay> => {
  const metrics = container.get(TOKENS.Metrics);
  const connected = await EventBridgePublisher.connect(bus, { deadLetters: new InMemoryDeadLetterSink(), metrics, clock: container.get(TOKENS.Clock) });
  if (connected.isErr()) throw new ConfigError(`${connected.error.code}: ${connected.error.message}`);
  const publisher = connected.value;
  const relay = new EventRelay(
    { feed: container.get(TOKENS.CommittedEventFeed), checkpoints: container.get(TOKENS.CheckpointStore), publisher, metrics },
    { name: `relay:${bus.busName}`, batchSize: 100, rememberedStreams: 100_000 },
  );
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let lastProblem = '';
  const tick = (): void => {
    running = relay.catchUp().then(
      (result) => {
        const problem = result.isErr() ? result.error.message : '';
        if (problem && problem !== lastProblem) report(problem);
        lastProblem = problem;
      },
      (error: unknown) => {
        // The checkpoint stayed put: the next tick publishes the same events again.
        const problem = `relay: ${error instanceof Error ? error.message : String(error)}; retrying`;
        if (problem !== lastProblem) report(problem);
        lastProblem = problem;
      },
    );
    void running.finally(() => {
      if (timer) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      publisher.close();
    },
  };
};
