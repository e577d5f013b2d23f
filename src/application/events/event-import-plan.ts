import { err, ok, type Result } from 'neverthrow';
import { chainHash, GENESIS_HASH, isChainHash } from '../audit/event-chain.js';
import type { ImportError, ImportOutcome } from '../ports/event-import.js';
import { MAX_EVENTS_PER_COMMIT } from '../ports/event-store.js';
import type { EventEnvelope } from './envelope.js';

/** New events of one stream, contiguous from `base + 1`, chaining from `previousHash`: written only if the head is still there. */
export interface ImportCommit {
  readonly streamId: string;
  readonly base: number;
  readonly previousHash: string;
  readonly events: readonly EventEnvelope[];
}

export interface StoredRange {
  readonly streamId: string;
  readonly from: number;
  readonly to: number;
}

/** What an adapter provides for EventImport; the rules are the same everywhere and live here. */
export interface ImportWriter {
  /** Each range's stored events, ascending by version, as held (sealed). */
  stored(ranges: readonly StoredRange[]): Promise<ReadonlyMap<string, readonly EventEnvelope[]>>;
  /** Writes the commits, a stream's in the order given, each only if its stream's head is still `base` with `previousHash`; whether each landed. */
  write(commits: readonly ImportCommit[]): Promise<readonly boolean[]>;
  /** Why this store cannot hold an event as written (it would then read back otherwise and not verify); null when it can. */
  unrepresentable?(event: EventEnvelope): string | null;
}

type Failure = Result<never, ImportError>;
const fail = (code: ImportError['code'], event: Pick<EventEnvelope, 'streamId' | 'version'>, message: string): Failure =>
  err({ code, message, streamId: String(event.streamId), version: Number(event.version) });

const isInstant = (value: unknown): boolean => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

const malformed = (event: EventEnvelope): string | null => {
  if (!isText(event.streamId)) return 'streamId must be a non-empty string';
  if (!Number.isSafeInteger(event.version) || event.version < 1) return 'version must be a positive integer';
  if (!isText(event.eventId)) return 'eventId must be a non-empty string';
  if (!isText(event.type)) return 'type must be a non-empty string';
  if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) return 'schemaVersion must be a positive integer';
  if (!isInstant(event.occurredAt) || !isInstant(event.recordedAt)) return 'occurredAt and recordedAt must be ISO 8601 instants';
  if (typeof event.metadata !== 'object' || event.metadata === null) return 'metadata must be an object';
  if (!isChainHash(event.previousHash) || !isChainHash(event.hash)) return 'previousHash and hash must be SHA-256 hashes in lower-case hex: an imported event keeps its chain';
  return null;
};

/** Exactly what a store keeps of an event; the source's global position and anything handed on beside it are not. */
const asStored = (event: EventEnvelope): EventEnvelope => ({
  eventId: event.eventId,
  streamId: event.streamId,
  version: event.version,
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: event.metadata,
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
  globalPosition: null,
  previousHash: event.previousHash as string,
  hash: event.hash as string,
});

/** The events by stream, in the order given, each stream's versions checked to ascend one at a time. */
const byStream = (events: readonly EventEnvelope[], writer: ImportWriter): Result<Map<string, EventEnvelope[]>, ImportError> => {
  const streams = new Map<string, EventEnvelope[]>();
  for (const given of events) {
    const problem = malformed(given);
    if (problem !== null) return fail('EVENT_STORE.IMPORT_INVALID', given, `${String(given.streamId)} version ${String(given.version)}: ${problem}`);
    const event = asStored(given);
    const unfit = writer.unrepresentable?.(event) ?? null;
    if (unfit !== null) return fail('EVENT_STORE.IMPORT_INVALID', event, `${event.streamId} version ${event.version}: ${unfit}`);
    const stream = streams.get(event.streamId);
    const last = stream?.at(-1);
    if (last !== undefined && event.version !== last.version + 1) {
      return fail('EVENT_STORE.IMPORT_OUT_OF_ORDER', event, `${event.streamId}: version ${event.version} came after version ${last.version}; a stream's events are imported one version after another`);
    }
    if (stream === undefined) streams.set(event.streamId, [event]);
    else stream.push(event);
  }
  return ok(streams);
};

/** What of one stream is new, checked against what the store holds: skipped ones counted, new ones chained. */
const planStream = (streamId: string, incoming: readonly EventEnvelope[], stored: readonly EventEnvelope[]): Result<{ skipped: number; commits: ImportCommit[] }, ImportError> => {
  const held = new Map(stored.map((event) => [event.version, event]));
  const first = incoming[0] as EventEnvelope;
  const before = held.get(first.version - 1);
  if (first.version > 1 && before === undefined) {
    return fail('EVENT_STORE.IMPORT_OUT_OF_ORDER', first, `${streamId}: version ${first.version} would leave a gap: the store does not hold version ${first.version - 1}`);
  }
  let previous = before?.hash ?? GENESIS_HASH;
  let skipped = 0;
  const fresh: EventEnvelope[] = [];
  for (const event of incoming) {
    const there = held.get(event.version);
    if (there !== undefined) {
      if (there.eventId !== event.eventId || (there.hash !== undefined && there.hash !== event.hash)) {
        return fail('EVENT_STORE.IMPORT_CONFLICT', event, `${streamId} version ${event.version} is already held by event ${there.eventId}, not ${event.eventId}`);
      }
      skipped += 1;
      previous = there.hash ?? event.hash ?? previous;
      continue;
    }
    if (event.previousHash !== previous) {
      return fail('EVENT_STORE.IMPORT_CHAIN_BROKEN', event, `${streamId} version ${event.version} chains from ${String(event.previousHash)}, but the event before it hashes to ${previous}`);
    }
    if (chainHash(previous, event) !== event.hash) {
      return fail('EVENT_STORE.IMPORT_CHAIN_BROKEN', event, `${streamId} version ${event.version}: its hash does not recompute from its content (altered since it was stored?)`);
    }
    previous = event.hash;
    fresh.push(event);
  }
  const commits: ImportCommit[] = [];
  for (let start = 0; start < fresh.length; start += MAX_EVENTS_PER_COMMIT) {
    const events = fresh.slice(start, start + MAX_EVENTS_PER_COMMIT);
    const head = events[0] as EventEnvelope;
    commits.push({ streamId, base: head.version - 1, previousHash: head.previousHash as string, events });
  }
  return ok({ skipped, commits });
};

/** EventImport's rules over an adapter's reads and conditional writes (see ports/event-import.ts). */
export const importThrough = async (writer: ImportWriter, events: readonly EventEnvelope[]): Promise<Result<ImportOutcome, ImportError>> => {
  const grouped = byStream(events, writer);
  if (grouped.isErr()) return err(grouped.error);
  const streams = grouped.value;
  if (streams.size === 0) return ok({ imported: 0, skipped: 0 });
  const ranges = [...streams].map(([streamId, incoming]) => ({
    streamId,
    from: Math.max(1, (incoming[0] as EventEnvelope).version - 1),
    to: (incoming.at(-1) as EventEnvelope).version,
  }));
  const stored = await writer.stored(ranges);
  let skipped = 0;
  const commits: ImportCommit[] = [];
  for (const [streamId, incoming] of streams) {
    const plan = planStream(streamId, incoming, stored.get(streamId) ?? []);
    if (plan.isErr()) return err(plan.error);
    skipped += plan.value.skipped;
    commits.push(...plan.value.commits);
  }
  if (commits.length === 0) return ok({ imported: 0, skipped });
  const landed = await writer.write(commits);
  const lost = commits.find((_, index) => landed[index] !== true);
  if (lost !== undefined) {
    const head = lost.events[0] as EventEnvelope;
    return fail('EVENT_STORE.IMPORT_CONFLICT', head, `${lost.streamId} moved on past version ${lost.base} while the import wrote version ${head.version}: another writer appended meanwhile; import again to see what it holds`);
  }
  return ok({ imported: commits.reduce((sum, commit) => sum + commit.events.length, 0), skipped });
};
