import type { EventStore, StreamReadOptions } from '../ports/event-store.js';
import type { EventEnvelope } from './envelope.js';

/**
 * A stream as of a time: its events up to the last one that happened at or before `asOf`, every version before it
 * included. Writers' clocks may disagree, so an earlier version can carry a later time than the one after it: the
 * stream's order is its versions, never its times, and a version is never left out of the middle.
 */
export const readStreamAsOf = async (store: EventStore, streamId: string, asOf: string, options: Omit<StreamReadOptions, 'until'> = {}): Promise<EventEnvelope[]> => {
  const fromVersion = options.fromVersion ?? 1;
  const events = await store.readStream(streamId, { ...options, until: asOf });
  const last = events.at(-1)?.version;
  if (last === undefined || events.length === last - fromVersion + 1) return events;
  return store.readStream(streamId, { fromVersion, toVersion: last });
};
