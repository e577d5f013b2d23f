import type { EventStore, GlobalEventLog } from '../../src/application/ports/event-store.js';
import type { Acknowledged } from './adr-load.js';
import { Violations } from './violations.js';

const PAGE = 5_000;
/** Streams whose own read is compared with the global log's events. */
const STREAM_READS = 200;

/** Per stream, the event type at each version (index version - 1) that some acknowledged command committed. */
export class AcknowledgedEvents {
  readonly streams = new Map<string, string[]>();
  readonly violations = new Violations();
  count = 0;

  record(ack: Acknowledged): void {
    const types = this.streams.get(ack.streamId) ?? [];
    this.streams.set(ack.streamId, types);
    ack.types.forEach((type, index) => {
      const version = ack.version - ack.types.length + 1 + index;
      if (types[version - 1] !== undefined) this.violations.add('versions acknowledged to two commands', `${ack.streamId} v${version}`);
      types[version - 1] = type;
      this.count += 1;
    });
  }
}

export interface LogFacts {
  readonly events: number;
  readonly streams: ReadonlyMap<string, readonly string[]>;
}

/** The store's global log where it keeps one. */
export const globalLogOf = (store: EventStore): GlobalEventLog | null => ('readAll' in store && 'headPosition' in store ? (store as EventStore & GlobalEventLog) : null);

/**
 * Reads the whole global log and checks that every acknowledged event is in it exactly once, with nothing else:
 * positions strictly ascending, each event id once, each (stream, version) once, each stream's versions 1..n
 * without a gap, and each stream exactly the events its acknowledged commands committed, of the same types.
 * A sample of streams is also read on its own and must match the log. Throws a BenchFailure naming what broke.
 */
export const reconcileLog = async (log: GlobalEventLog, store: EventStore, acknowledged: AcknowledgedEvents): Promise<LogFacts> => {
  const violations = new Violations();
  const eventIds = new Set<string>();
  const streams = new Map<string, string[]>();
  const ids = new Map<string, string[]>();
  let events = 0;
  for (let after = 0; ; ) {
    const page = await log.readAll(after, PAGE);
    if (page.length === 0) break;
    for (const event of page) {
      const position = event.globalPosition ?? Number.NaN;
      if (!(position > after)) violations.add('positions out of order', `${event.eventId} at ${event.globalPosition} after ${after}`);
      after = Number.isFinite(position) ? Math.max(after, position) : after;
      events += 1;
      if (eventIds.has(event.eventId)) violations.add('event ids in the log twice', `${event.eventId} (${event.streamId} v${event.version})`);
      eventIds.add(event.eventId);
      const types = streams.get(event.streamId) ?? [];
      const idsOf = ids.get(event.streamId) ?? [];
      streams.set(event.streamId, types);
      ids.set(event.streamId, idsOf);
      if (types[event.version - 1] !== undefined) violations.add('stream versions in the log twice', `${event.streamId} v${event.version}`);
      types[event.version - 1] = event.type;
      idsOf[event.version - 1] = event.eventId;
    }
  }
  for (const [streamId, types] of streams) {
    for (let index = 0; index < types.length; index += 1) if (types[index] === undefined) violations.add('gaps in streams', `${streamId} v${index + 1}`);
    const acked = acknowledged.streams.get(streamId);
    if (acked === undefined) violations.add('streams in the log that no command acknowledged', `${streamId} (${types.length} events)`);
  }
  for (const [streamId, acked] of acknowledged.streams) {
    const logged = streams.get(streamId) ?? [];
    for (let index = 0; index < Math.max(acked.length, logged.length); index += 1) {
      const ack = acked[index];
      const found = logged[index];
      if (ack !== undefined && found === undefined) violations.add('acknowledged events missing from the log', `${streamId} v${index + 1} ${ack}`);
      else if (ack === undefined && found !== undefined) violations.add('events in the log that no command acknowledged', `${streamId} v${index + 1} ${found}`);
      else if (ack !== found) violations.add('events of another type than acknowledged', `${streamId} v${index + 1}: ${found} logged, ${ack} acknowledged`);
    }
  }
  if (events !== acknowledged.count) violations.add('event counts that differ', `${events} in the log, ${acknowledged.count} acknowledged`);
  for (const streamId of [...streams.keys()].slice(0, STREAM_READS)) {
    const read = (await store.readStream(streamId)).map((event) => `${event.version}:${event.type}:${event.eventId}`).join(',');
    const fromLog = (streams.get(streamId) ?? []).map((type, index) => `${index + 1}:${type}:${ids.get(streamId)?.[index]}`).join(',');
    if (read !== fromLog) violations.add('streams read differently from the log', streamId);
  }
  acknowledged.violations.throwIfAny('the commands were acknowledged inconsistently');
  violations.throwIfAny('the log does not hold every acknowledged event exactly once');
  return { events, streams };
};
