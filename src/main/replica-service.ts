import type { Container } from 'inversify';
import { openPostgres } from '../adapters/postgres/open-postgres.js';
import { EventReplica } from '../application/replica/event-replica.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, Subscription, type SubscriptionStatus } from '../application/subscriptions/subscription.js';
import type { ReplicaConfig } from './replica-config.js';
import { subscriptionDeps } from './subscription-deps.js';
import { TOKENS } from './tokens.js';

export interface OpenedReplica {
  readonly consumer: EventReplica;
  /** Closes the replica's database pool. */
  close(): Promise<void>;
}

/**
 * The replica consumer over the service's store (sealed events, wrapped data keys, checkpoints) and the replica's
 * PostgreSQL database, migrated on opening: the consumer the in-process poller and the stream Lambda both run.
 */
export const openReplica = async (container: Container, config: ReplicaConfig): Promise<OpenedReplica> => {
  const target = await openPostgres({ url: config.databaseUrl, clock: container.get(TOKENS.Clock), poolSize: 4 });
  const consumer = new EventReplica({
    target: target.eventStore,
    targetKeys: target.dataKeys,
    source: container.get(TOKENS.SealedEventStore),
    sourceArchive: container.get(TOKENS.SealedEventArchive),
    sourceKeys: container.get(TOKENS.DataKeys),
    checkpoints: container.get(TOKENS.CheckpointStore),
    metrics: container.get(TOKENS.Metrics),
    clock: container.get(TOKENS.Clock),
  });
  return { consumer, close: () => target.close() };
};

export interface RunningReplica {
  status(): SubscriptionStatus;
  /** Finishes the batch in hand (its checkpoint saved), stops polling, hands the lease back and closes the replica's pool. */
  stop(): Promise<void>;
}

/** The replica as one more in-process consumer of the committed-event feed, read sealed, under a lease like the others. */
export const startReplica = async (container: Container, config: ReplicaConfig, intervalMs: number): Promise<RunningReplica> => {
  const replica = await openReplica(container, config);
  const subscription = new Subscription(
    subscriptionDeps((token) => container.get(token), container.get(TOKENS.SealedCommittedEventFeed)),
    replica.consumer,
    { ...DEFAULT_SUBSCRIPTION_OPTIONS, owner: container.get(TOKENS.Owner), leaseTtlMs: container.get(TOKENS.Config).leaseTtlMs },
  );
  subscription.start(intervalMs);
  return {
    status: () => subscription.status(),
    async stop() {
      await subscription.stop();
      await replica.close();
    },
  };
};
