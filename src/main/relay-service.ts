import type { Container } from 'inversify';
import { EventBridgePublisher } from '../adapters/eventbridge/eventbridge-publisher.js';
import { EventRelay, relayName } from '../application/relay/event-relay.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, Subscription, type SubscriptionStatus } from '../application/subscriptions/subscription.js';
import type { BusConfig } from './bus-config.js';
import { ConfigError } from './config.js';
import { subscriptionDeps } from './subscription-deps.js';
import { TOKENS } from './tokens.js';

export interface RunningRelay {
  status(): SubscriptionStatus;
  /** Finishes the batch in hand (its checkpoint saved once the bus took it), stops polling and hands the lease back. */
  stop(): Promise<void>;
}

/** Connects to the bus (refusing a bus that does not exist: EventBridge would drop its events silently). */
export const connectPublisher = async (container: Container, bus: BusConfig): Promise<EventBridgePublisher> => {
  const connected = await EventBridgePublisher.connect(bus, {
    deadLetters: container.get(TOKENS.DeadLetterStore),
    metrics: container.get(TOKENS.Metrics),
    clock: container.get(TOKENS.Clock),
  });
  if (connected.isErr()) throw new ConfigError(`${connected.error.code}: ${connected.error.message}`);
  return connected.value;
};

export const relayFor = (container: Container, publisher: EventBridgePublisher, bus: BusConfig): EventRelay =>
  new EventRelay(
    {
      store: container.get(TOKENS.EventStore),
      archive: container.get(TOKENS.EventArchive),
      checkpoints: container.get(TOKENS.CheckpointStore),
      publisher,
      deadLetters: container.get(TOKENS.DeadLetterStore),
      upcasters: container.get(TOKENS.Upcasters),
      metrics: container.get(TOKENS.Metrics),
      clock: container.get(TOKENS.Clock),
      logger: container.get(TOKENS.Logger),
      tracing: container.get(TOKENS.Tracing),
    },
    { name: relayName(bus.busName), rememberedStreams: 100_000, destination: bus.busName },
  );

/**
 * Publishes committed events to EventBridge as one more consumer of the committed-event feed (the global log,
 * or DynamoDB Streams), never from command handlers, under a lease: with several instances exactly one publishes.
 * While the bus fails, the checkpoint stays put and the subscription's log lines say so: the next attempt
 * publishes the same events again.
 */
export const startRelay = async (container: Container, bus: BusConfig, intervalMs = 200): Promise<RunningRelay> => {
  const publisher = await connectPublisher(container, bus);
  const subscription = new Subscription(
    subscriptionDeps((token) => container.get(token)),
    relayFor(container, publisher, bus),
    { ...DEFAULT_SUBSCRIPTION_OPTIONS, batchSize: 100, owner: container.get(TOKENS.Owner), leaseTtlMs: container.get(TOKENS.Config).leaseTtlMs },
  );
  subscription.start(intervalMs);
  return {
    status: () => subscription.status(),
    async stop() {
      await subscription.stop();
      publisher.close();
    },
  };
};
