import type { ServiceIdentifier } from 'inversify';
import type { CommittedEventFeed } from '../application/ports/committed-event-feed.js';
import type { SubscriptionDeps } from '../application/subscriptions/subscription.js';
import { TOKENS } from './tokens.js';

/** What every in-process consumer's subscription runs on: the container's feed (or the one given), checkpoints, leases, metrics, clock and logger. */
export const subscriptionDeps = (get: <T>(token: ServiceIdentifier<T>) => T, feed: CommittedEventFeed = get(TOKENS.CommittedEventFeed)): SubscriptionDeps => ({
  feed,
  checkpoints: get(TOKENS.CheckpointStore),
  leases: get(TOKENS.LeaseStore),
  metrics: get(TOKENS.Metrics),
  clock: get(TOKENS.Clock),
  logger: get(TOKENS.Logger),
});
