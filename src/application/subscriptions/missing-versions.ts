import type { EventEnvelope } from '../events/envelope.js';
import type { EventStore } from '../ports/event-store.js';
import type { Metrics } from '../ports/metrics.js';

/**
 * The versions of `event`'s stream after `last` and before `event`, read from the store (consistently): what a
 * consumer fills a hole in the feed with. Null when the store lacks some of them too (a real hole). Counted in
 * `SubscriptionHoles` by result; a real hole only when `countMissing` (a caller that will meet it again counts it then).
 */
export const missingVersions = async (
  store: EventStore,
  metrics: Metrics,
  consumer: string,
  event: EventEnvelope,
  last: number,
  countMissing = true,
): Promise<EventEnvelope[] | null> => {
  const found = await store.readStream(event.streamId, { fromVersion: last + 1, toVersion: event.version - 1 });
  const complete = found.length === event.version - 1 - last && found.every((stored, i) => stored.version === last + 1 + i);
  if (complete || countMissing) metrics.record('SubscriptionHoles', 1, 'Count', { Consumer: consumer, Result: complete ? 'Filled' : 'Missing' });
  return complete ? found : null;
};
