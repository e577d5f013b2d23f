import type { EventEnvelope } from '../events/envelope.js';
import type { CheckpointStore } from '../ports/checkpoint-store.js';
import type { DataKeyStore } from '../ports/data-key-store.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { EventImport, ImportError } from '../ports/event-import.js';
import type { EventStore } from '../ports/event-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock } from '../ports/runtime.js';
import { sealedSubjectsOf } from '../recovery/sealed-subjects.js';
import { failureKey } from '../subscriptions/consumer-keys.js';
import type { CheckpointTarget, ConsumerFailure, ConsumerOutcome, EventConsumer } from '../subscriptions/event-consumer.js';

export const REPLICA_NAME = 'replica';
/** Where the replica leaves its last lag, for `cli status` in another process: `{ lagMs, newestRecordedAt, at }`. */
export const lagKey = (consumer: string): string => `lag:${consumer}`;
const LAG_SAVED_EVERY_MS = 5_000;
const CUSTOMER_STREAM = 'Customer-';

export interface ReplicaDeps {
  /** The replica's event store: takes events exactly as the source holds them. */
  readonly target: EventImport;
  /** The source as it holds events (sealed): where versions missing from the feed, and a trimmed feed's events, are read. */
  readonly source: EventStore;
  readonly sourceArchive: EventArchive;
  /** Wrapped data keys: copied from the source's store to the replica's, never unwrapped. */
  readonly sourceKeys: DataKeyStore;
  readonly targetKeys: DataKeyStore;
  /** The source's checkpoints: the feed position is the source's. */
  readonly checkpoints: CheckpointStore;
  readonly metrics: Metrics;
  readonly clock: Clock;
}

/**
 * The continuous replica: one more consumer of the committed-event feed, copying every event into another store
 * (PostgreSQL, for disaster recovery) exactly as the source holds it: same ids, versions, hashes and instants,
 * personal fields still sealed, so the replica's chains verify and its projections build the same read models.
 * Each data subject's wrapped key goes across before the first event sealed with it, and an erasure's tombstone
 * with the CustomerErased event; the replica opens personal fields only with the same master key.
 *
 * Idempotent: a re-delivered event is recognised by the replica's store and skipped. A version the feed skipped
 * is read from the source. An event the replica cannot take as it is (a broken chain, another event at its version)
 * stops the replica at it, recorded under `failure:replica`, until an operator clears that record.
 */
export class EventReplica implements EventConsumer {
  readonly takesSealed = true;
  /** Subjects whose active key the replica already holds: an active key never changes, only its erasure does. */
  readonly #copied = new Set<string>();
  #lagSavedAt = 0;

  constructor(
    private readonly deps: ReplicaDeps,
    readonly name: string = REPLICA_NAME,
  ) {}

  async begin(): Promise<{ checkpointKey: string } | null> {
    return (await this.deps.checkpoints.load(failureKey(this.name))) === null ? { checkpointKey: this.name } : null;
  }

  async handle(events: readonly EventEnvelope[], checkpoint: CheckpointTarget | null): Promise<ConsumerOutcome> {
    const ordered = inStreamOrder(events);
    await this.#copyKeys(ordered);
    let result = await this.deps.target.importEvents(ordered);
    // The feed skipped a version (or the replica started after the feed's retention): fill the stream from the
    // source, then go again. An import names only the first stream with a gap, so each stream is filled at most
    // once per batch, and a stream that still has a gap after its fill stops the replica.
    const filled = new Set<string>();
    while (result.isErr() && result.error.code === 'EVENT_STORE.IMPORT_OUT_OF_ORDER' && !filled.has(result.error.streamId)) {
      filled.add(result.error.streamId);
      const missing = await this.deps.source.readStream(result.error.streamId, { toVersion: result.error.version - 1 });
      await this.#copyKeys(missing);
      const refill = await this.deps.target.importEvents(missing);
      if (refill.isErr()) break;
      result = await this.deps.target.importEvents(ordered);
    }
    if (result.isErr()) return this.#stopAt(ordered, events, result.error);
    const last = events.reduce<string | null>((newest, event) => (newest === null || event.recordedAt > newest ? event.recordedAt : newest), null);
    if (checkpoint !== null) await this.deps.checkpoints.save(checkpoint.key, checkpoint.position, checkpoint.fence);
    await this.#recordLag(last, result.value.imported, checkpoint?.fence);
    return { status: 'handled', handled: result.value.imported, lastRecordedAt: last };
  }

  /**
   * The feed trimmed records the replica had not read: go through the source's whole archive, a stream at a time
   * read from the source in order (an archive hands events over in no particular order), skipping what is there.
   */
  async recoverExpired(): Promise<void> {
    const done = new Set<string>();
    await this.deps.sourceArchive.scan(async (events) => {
      for (const streamId of new Set(events.map((event) => event.streamId))) {
        if (done.has(streamId)) continue;
        done.add(streamId);
        const stream = await this.deps.source.readStream(streamId);
        await this.#copyKeys(stream);
        const result = await this.deps.target.importEvents(stream);
        if (result.isErr()) throw new Error(`${this.name}: recovering ${streamId} from the source: ${result.error.code}: ${result.error.message}`);
      }
    });
    await this.deps.checkpoints.remove(this.name);
  }

  /** Keys first: a replica serving reads must be able to open every event it holds. */
  async #copyKeys(events: readonly EventEnvelope[]): Promise<void> {
    const needed = new Set<string>();
    const erased = new Set<string>();
    for (const event of events) {
      for (const subject of sealedSubjectsOf(event)) needed.add(subject);
      if (event.type === 'CustomerErased' && event.streamId.startsWith(CUSTOMER_STREAM)) erased.add(event.streamId.slice(CUSTOMER_STREAM.length));
    }
    for (const subject of [...needed].filter((s) => !this.#copied.has(s) && !erased.has(s))) {
      const stored = await this.deps.sourceKeys.get(subject);
      if (stored?.status === 'active') {
        await this.deps.targetKeys.create(stored.key);
        this.#copied.add(subject);
      } else if (stored?.status === 'erased') await this.deps.targetKeys.delete(subject, stored.erasedAt);
    }
    for (const subject of erased) {
      // The source deletes the key before it records CustomerErased: the tombstone is there to copy.
      const stored = await this.deps.sourceKeys.get(subject);
      await this.deps.targetKeys.delete(subject, stored?.status === 'erased' ? stored.erasedAt : this.deps.clock.now());
      this.#copied.delete(subject);
    }
  }

  async #recordLag(newestRecordedAt: string | null, imported: number, fence: number | undefined): Promise<void> {
    const dimensions = { Replica: this.name };
    this.deps.metrics.record('EventsReplicated', imported, 'Count', dimensions);
    if (newestRecordedAt === null) return;
    const at = this.deps.clock.now();
    const lagMs = Math.max(0, Date.parse(at) - Date.parse(newestRecordedAt));
    this.deps.metrics.record('ReplicaLag', lagMs, 'Milliseconds', dimensions);
    if (Date.now() - this.#lagSavedAt < LAG_SAVED_EVERY_MS) return;
    this.#lagSavedAt = Date.now();
    await this.deps.checkpoints.save(lagKey(this.name), JSON.stringify({ lagMs, newestRecordedAt, at }), fence);
  }

  async #stopAt(ordered: readonly EventEnvelope[], given: readonly EventEnvelope[], error: ImportError): Promise<ConsumerOutcome> {
    const at = ordered.findIndex((event) => event.streamId === error.streamId && event.version === error.version);
    const culprit = ordered[Math.max(0, at)] as EventEnvelope;
    // Everything before the culprit in the order given is replicated, so the stop is exact: only it and what follows wait.
    const index = Math.max(0, given.indexOf(culprit));
    const before = given.slice(0, index);
    const prefix = before.length === 0 ? null : await this.deps.target.importEvents(inStreamOrder(before));
    const handled = prefix?.isOk() ? prefix.value.imported : 0;
    const failure: ConsumerFailure = {
      reason: 'POISON',
      eventId: culprit.eventId,
      eventType: culprit.type,
      streamId: culprit.streamId,
      version: culprit.version,
      attempts: 1,
      message: `${error.code}: ${error.message}`,
      at: this.deps.clock.now(),
    };
    await this.deps.checkpoints.save(failureKey(this.name), JSON.stringify(failure));
    this.deps.metrics.record('ReplicaStopped', 1, 'Count', { Replica: this.name, Code: error.code });
    return { status: 'stopped', handled, index: prefix === null || prefix.isOk() ? index : 0, failure };
  }
}

/** Each stream's events ascending and once (a batch may repeat a version the feed re-delivered), streams in the order they first appear. */
const inStreamOrder = (events: readonly EventEnvelope[]): EventEnvelope[] => {
  const streams = new Map<string, Map<number, EventEnvelope>>();
  for (const event of events) {
    const versions = streams.get(event.streamId) ?? new Map<number, EventEnvelope>();
    if (!versions.has(event.version)) versions.set(event.version, event);
    streams.set(event.streamId, versions);
  }
  return [...streams.values()].flatMap((versions) => [...versions.values()].sort((a, b) => a.version - b.version));
};
