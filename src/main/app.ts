import type { Container } from 'inversify';
import { DeadLetters } from '../application/relay/dead-letter-replay.js';
import { relayName } from '../application/relay/event-relay.js';
import { ConsumerPositions } from '../application/subscriptions/consumer-positions.js';
import { REPLICA_NAME } from '../application/replica/event-replica.js';
import { loadBusConfig } from './bus-config.js';
import { loadReplicaConfig } from './replica-config.js';
import { recoveryFrom } from './recovery.js';
import { TOKENS } from './tokens.js';

/** The application as a transport sees it: use cases, queries, temporal queries, the read side and its operations. */
export const appFrom = (container: Container, env: NodeJS.ProcessEnv = process.env) => {
  const projections = container.get(TOKENS.Projections);
  const fulfilment = container.get(TOKENS.Fulfilment);
  const bus = loadBusConfig(env);
  const opened: { close(): void }[] = [];
  return {
    orders: container.get(TOKENS.OrderCommands),
    payments: container.get(TOKENS.PaymentCommands),
    inventory: container.get(TOKENS.InventoryCommands),
    customers: container.get(TOKENS.CustomerCommands),
    /** GDPR erasure: deletes the customer's data key and records CustomerErased. */
    erasure: container.get(TOKENS.Erasure),
    orderQueries: container.get(TOKENS.Queries),
    temporal: container.get(TOKENS.Temporal),
    projections,
    /** The order-fulfilment workflow: `settle()` runs it until idle (tests, the demo); the service polls it. */
    fulfilment,
    gatewayWebhooks: container.get(TOKENS.GatewayWebhooks),
    deadLetters: new DeadLetters(
      container.get(TOKENS.DeadLetterStore),
      bus === null
        ? null
        : async () => {
            // The EventBridge client is loaded only when a replay publishes: the facade itself goes without the AWS SDK.
            const { connectPublisher } = await import('./relay-service.js');
            const publisher = await connectPublisher(container, bus);
            opened.push(publisher);
            return publisher;
          },
    ),
    /** The relay's (where a bus is configured) and the workflow's lease holders and positions, read from the store. */
    consumers: new ConsumerPositions(
      { leases: container.get(TOKENS.LeaseStore), checkpoints: container.get(TOKENS.CheckpointStore), feed: container.get(TOKENS.CommittedEventFeed) },
      [...(bus === null ? [] : [relayName(bus.busName)]), fulfilment.runner.name, ...(loadReplicaConfig(env, container.get(TOKENS.Config).store) === null ? [] : [REPLICA_NAME])],
    ),
    eventStore: container.get(TOKENS.EventStore),
    /** Disaster recovery: export the log to a file, import one (docs/disaster-recovery.md). */
    recovery: recoveryFrom(container, [...(bus === null ? [] : [relayName(bus.busName)]), fulfilment.runner.name]),
    /** The audit chain: verify a stream or the store, anchor the heads (SOX). */
    audit: container.get(TOKENS.Audit),
    repository: container.get(TOKENS.Repository),
    metrics: container.get(TOKENS.Metrics),
    /** Brings every read model up to the committed feed. */
    catchUp: (): Promise<number> => projections.catchUp(),
    close: async (): Promise<void> => {
      await projections.stop();
      await fulfilment.stop();
      await container.get(TOKENS.PaymentGateway).close();
      for (const publisher of opened) publisher.close();
      await container.get(TOKENS.Closer)();
      // Last: the spans of everything stopped above are exported before the SDK stops.
      await container.get(TOKENS.TraceExport).shutdown();
    },
  };
};

export type App = ReturnType<typeof appFrom>;
