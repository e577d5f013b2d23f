import type { EventEnvelope } from '../events/envelope.js';
import type { CheckpointStore } from '../ports/checkpoint-store.js';
import type { DeadLetterStore } from '../ports/dead-letter-sink.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { EventStore } from '../ports/event-store.js';
import { eventLogFields, type Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock } from '../ports/runtime.js';
import { NO_TRACING, type TraceContext, type Tracing } from '../ports/tracing.js';
import { traceContextOf, tracedMessage, withTraceContext } from '../events/trace-context.js';
import type { CheckpointTarget, ConsumerOutcome, EventConsumer } from '../subscriptions/event-consumer.js';
import { missingVersions } from '../subscriptions/missing-versions.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';

export interface RelayDeps {
  /** Where a version missing from the feed is looked for (consistent read). */
  readonly store: EventStore;
  readonly archive: EventArchive;
  readonly checkpoints: CheckpointStore;
  readonly publisher: EventPublisher;
  readonly deadLetters: DeadLetterStore;
  readonly upcasters: UpcasterRegistry;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A publish span per batch, linked to each event's creation context; none when absent. */
  readonly tracing?: Tracing;
}

export interface RelayOptions {
  /** The checkpoint's and the lease's name: one per relay and bus. */
  readonly name: string;
  /** How many streams' last published versions are kept for ordering; the least recently published are forgotten first. */
  readonly rememberedStreams: number;
  /** The bus's name, as traces show where the events went; the relay's name when absent. */
  readonly destination?: string;
}

export const relayName = (busName: string): string => `relay:${busName}`;
const watermarkKey = (relay: string): string => `published-until:${relay}`;
const WATERMARK_EVERY_MS = 60_000;
/** DynamoDB Streams keep records 24 hours. */
const FEED_RETENTION_MS = 24 * 3_600_000;

/**
 * Feeds the bus from committed events only, never from a command handler, as one more consumer of the
 * committed-event feed: a crash between commit and publish loses nothing, and the checkpoint moves only once
 * the bus took the batch (at least once). Events go out in their current schema, upcast like every other read
 * path, with the schema they are stored in kept in `storedSchemaVersion`. Within a stream events go out in
 * version order: a version missing from the feed is read from the store; one missing from the store too is set
 * aside as a dead letter so that no stream, this one included, is held back.
 */
export class EventRelay implements EventConsumer {
  readonly #lastPublished = new Map<string, number>();
  #watermarkSavedAt = 0;

  constructor(
    private readonly deps: RelayDeps,
    private readonly options: RelayOptions,
  ) {}

  get name(): string {
    return this.options.name;
  }

  async begin(): Promise<{ checkpointKey: string }> {
    return { checkpointKey: this.options.name };
  }

  async handle(events: readonly EventEnvelope[], checkpoint: CheckpointTarget | null): Promise<ConsumerOutcome> {
    const ready: EventEnvelope[] = [];
    const holes: EventEnvelope[] = [];
    const planned = new Map<string, number>();
    for (const event of events) {
      const last = planned.get(event.streamId) ?? this.#lastPublished.get(event.streamId);
      if (last !== undefined && event.version <= last) continue;
      const missing = last !== undefined && event.version > last + 1 ? await missingVersions(this.deps.store, this.deps.metrics, this.name, event, last) : [];
      if (missing === null) holes.push(event);
      else ready.push(...missing, event);
      // A hole set aside moves its stream on too.
      planned.set(event.streamId, event.version);
    }
    const outgoing = ready.map((event) => this.outgoing(event));
    if (outgoing.length > 0) await this.#publish(outgoing);
    if (this.deps.logger.isEnabled('debug')) for (const event of ready) this.deps.logger.debug('relay handed an event to the bus', { consumer: this.name, ...eventLogFields(event) });
    if (holes.length > 0) await this.#setAside(holes);
    this.#remember(planned);
    const last = events.at(-1);
    if (checkpoint !== null) {
      await this.deps.checkpoints.save(checkpoint.key, checkpoint.position, checkpoint.fence);
      // Kept for recovering an expired position, which goes back a day before it anyway: once a minute is enough.
      if (last !== undefined && Date.now() - this.#watermarkSavedAt > WATERMARK_EVERY_MS) {
        await this.deps.checkpoints.save(watermarkKey(this.name), last.recordedAt, checkpoint.fence);
        this.#watermarkSavedAt = Date.now();
      }
    }
    return { status: 'handled', handled: outgoing.length, lastRecordedAt: last?.recordedAt ?? null };
  }

  /**
   * The feed trimmed records before the relay read them: publish again, from the store, everything recorded
   * since a day before the last batch the bus took (at least once), then resume from the oldest record the feed keeps;
   * what that re-delivers is recognised by version and skipped.
   */
  async recoverExpired(): Promise<void> {
    const watermark = await this.deps.checkpoints.load(watermarkKey(this.name));
    // The watermark is the last batch's newest event; a feed ordered per shard only (DynamoDB) may have left
    // older events unread in other shards, up to its retention: go back that far too (at least once).
    const since = watermark === null ? '' : new Date(Date.parse(watermark) - FEED_RETENTION_MS).toISOString();
    this.deps.logger.warn('relay publishing again from the store what the feed trimmed', { consumer: this.name, since: since === '' ? null : since });
    await this.deps.archive.scan(async (events) => {
      const due = events.filter((event) => event.recordedAt >= since);
      if (due.length === 0) return;
      await this.#publish(due.map((event) => this.outgoing(event)));
      this.#remember(due.map((event) => [event.streamId, event.version] as const));
    });
    await this.deps.checkpoints.remove(this.name);
  }

  /** The event as the bus receives it: current schema, stored schema kept for auditors. */
  outgoing(event: EventEnvelope): EventEnvelope {
    return { ...this.deps.upcasters.upcast(event), storedSchemaVersion: event.schemaVersion };
  }

  /**
   * Publishes within a publish span linked to each event's creation context. An event stored without one (tracing
   * was off where it was appended) goes out with the publish span's context instead, as the messaging conventions
   * ask, so that consumers behind the bus still have a trace to continue.
   */
  #publish(events: readonly EventEnvelope[]): Promise<void> {
    const tracing = this.deps.tracing ?? NO_TRACING;
    return tracing.publish({ destination: this.options.destination ?? this.name, messages: () => events.map(tracedMessage) }, (span) =>
      this.deps.publisher.publish(withPublishContext(events, span.context)),
    );
  }

  async #setAside(events: readonly EventEnvelope[]): Promise<void> {
    const deadLetteredAt = this.deps.clock.now();
    await this.deps.deadLetters.put(
      events.map((event) => ({
        event: this.outgoing(event),
        code: 'RELAY.STREAM_HOLE' as const,
        message: `${event.streamId} version ${event.version} came after a version the store does not have; published nothing of it so that subscribers never see the stream jump`,
        busErrorCode: null,
        deadLetteredAt,
      })),
    );
    for (const event of events) this.deps.metrics.record('EventsDeadLettered', 1, 'Count', { Relay: this.name, EventType: event.type, Code: 'RELAY.STREAM_HOLE' });
  }

  #remember(versions: Iterable<readonly [string, number]>): void {
    for (const [streamId, version] of versions) {
      this.#lastPublished.delete(streamId);
      this.#lastPublished.set(streamId, version);
    }
    for (const streamId of this.#lastPublished.keys()) {
      if (this.#lastPublished.size <= this.options.rememberedStreams) break;
      this.#lastPublished.delete(streamId);
    }
  }
}

const withPublishContext = (events: readonly EventEnvelope[], context: TraceContext): readonly EventEnvelope[] =>
  context.traceparent === undefined
    ? events
    : events.map((event) => (traceContextOf(event.metadata) === null ? { ...event, metadata: withTraceContext(event.metadata, context) } : event));
