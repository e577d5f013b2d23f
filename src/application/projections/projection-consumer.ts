import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope } from '../events/envelope.js';
import { FencedOffError, type CheckpointStore } from '../ports/checkpoint-store.js';
import type { EventStore } from '../ports/event-store.js';
import { eventLogFields, type Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { ProjectionScope, ProjectionTransactions } from '../ports/projection-transactions.js';
import type { ReadModelCatalog } from '../ports/read-models.js';
import type { Clock } from '../ports/runtime.js';
import { NO_TRACING, type TracedMessage, type Tracing } from '../ports/tracing.js';
import { tracedMessage } from '../events/trace-context.js';
import { isTransient } from '../ports/transient-failure.js';
import { failureKey } from '../subscriptions/consumer-keys.js';
import type { CheckpointTarget, ConsumerFailure, ConsumerOutcome, EventConsumer } from '../subscriptions/event-consumer.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';
import { missingVersions } from '../subscriptions/missing-versions.js';
import { aggregateTypeOf, type AnyProjection, type ProjectionContext } from './projection.js';

export interface ProjectionDeps {
  /** Where holes are filled from and cross-stream facts looked up: the store, read consistently. */
  readonly store: EventStore;
  readonly checkpoints: CheckpointStore;
  readonly catalog: ReadModelCatalog;
  /** Commits a batch's read-model writes with its checkpoint where the store allows it. */
  readonly transactions?: ProjectionTransactions;
  readonly upcasters: UpcasterRegistry;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A process span per batch, linked to the events it applies; none when absent. */
  readonly tracing?: Tracing;
}

export interface PoisonPolicy {
  /** How often a failing event is tried, while the store is healthy, before the projection stops at it. */
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
}

export const DEFAULT_POISON_POLICY: PoisonPolicy = { maxAttempts: 3, retryDelayMs: 50 };

export const checkpointKey = (projection: string, generation: string): string => `projection:${projection}@${generation}`;
export const generationKey = (projection: string): string => `generation:${projection}`;
export const parkedKey = (projection: string): string => `parked:${projection}`;

export const defaultGeneration = (projection: AnyProjection): string => `v${projection.version}`;

/** A batch's checkpoint could not be saved: whatever the cause, no event of the batch is to blame. */
class CheckpointNotSaved extends Error {
  constructor(override readonly cause: unknown) {
    super('the checkpoint could not be saved', { cause });
  }
}

/** Marks a failure of the store met while checking whether an event is poison: the batch is retried, nothing counted. */
class StoreUnhealthyError extends Error {
  readonly transient = true;
}

interface Processed {
  readonly handled: number;
  /** What was applied: for the metrics by type, and the lines about each event. */
  readonly applied: readonly EventEnvelope[];
  readonly stopped: { readonly index: number; readonly failure: ConsumerFailure } | null;
}

/**
 * One projection as a consumer of the committed-event feed. Per stream it applies each version once, in
 * order: a version it already applied is a re-delivery and is skipped; a version that jumps ahead is a hole,
 * filled from the store (consistent read) or, when the store lacks it too, stopped at. A poison event is
 * tried a bounded number of times while the store is healthy, then the projection stops AT it, recorded in
 * the store so that every instance and the CLI see it, until an operator retries or parks it.
 *
 * `generation` null follows the live generation recorded in the store (the service); a fixed one fills that
 * generation only (a rebuild), and a stop there is the rebuild's to report, not recorded.
 */
export class ProjectionConsumer implements EventConsumer {
  #generation: string;
  #parked = new Set<string>();
  #lastStop: ConsumerFailure | null = null;
  readonly #context: ProjectionContext;
  readonly #log: Logger;

  constructor(
    private readonly deps: ProjectionDeps,
    readonly projection: AnyProjection,
    private readonly fixedGeneration: string | null,
    private readonly policy: PoisonPolicy = DEFAULT_POISON_POLICY,
  ) {
    this.#generation = fixedGeneration ?? defaultGeneration(projection);
    this.#context = { readStream: async (streamId, options) => (await deps.store.readStream(streamId, options)).map((event) => deps.upcasters.upcast(event)) };
    this.#log = deps.logger.child({ consumer: projection.name, ...(fixedGeneration === null ? {} : { generation: fixedGeneration }) });
  }

  get name(): string {
    return this.projection.name;
  }

  get generation(): string {
    return this.#generation;
  }

  /** The event the last batch stopped at, if it stopped. */
  get lastStop(): ConsumerFailure | null {
    return this.#lastStop;
  }

  async begin(): Promise<{ checkpointKey: string } | null> {
    const { checkpoints } = this.deps;
    if (this.fixedGeneration === null) {
      if ((await checkpoints.load(failureKey(this.name))) !== null) return null;
      this.#generation = (await checkpoints.load(generationKey(this.name))) ?? defaultGeneration(this.projection);
    }
    this.#parked = new Set(JSON.parse((await checkpoints.load(parkedKey(this.name))) ?? '[]') as string[]);
    return { checkpointKey: checkpointKey(this.name, this.#generation) };
  }

  /** Set by the engine: recovering trimmed records means rebuilding from the store's archive. */
  onExpired: () => Promise<void> = async () => {
    throw new Error(`${this.name}: the feed trimmed records it had not read, and nothing is set to rebuild it`);
  };

  recoverExpired(): Promise<void> {
    return this.onExpired();
  }

  /**
   * Within a process span linked to the creation context of each event this projection applies; a batch with none
   * of them has no span. A rebuild is not traced: it replays history that was traced when it first happened.
   */
  handle(events: readonly EventEnvelope[], checkpoint: CheckpointTarget | null): Promise<ConsumerOutcome> {
    if (this.fixedGeneration !== null) return this.#handle(events, checkpoint);
    return (this.deps.tracing ?? NO_TRACING).processBatch({ consumer: this.name, messages: () => this.#ours(events) }, () => this.#handle(events, checkpoint));
  }

  #ours(events: readonly EventEnvelope[]): TracedMessage[] {
    const { projection } = this;
    return events.filter((event) => projection.handles.has(event.type) && projection.streams.has(aggregateTypeOf(event.streamId))).map(tracedMessage);
  }

  async #handle(events: readonly EventEnvelope[], checkpoint: CheckpointTarget | null): Promise<ConsumerOutcome> {
    const lastRecordedAt = events.at(-1)?.recordedAt ?? null;
    const started = performance.now();
    // The whole batch at once first: in one transaction with its checkpoint where the store has them; elsewhere
    // as it comes, which is safe to go over again (rows keep the newer version, applied versions come last).
    const transactions = this.deps.transactions;
    const whole = async ({ catalog, checkpoints }: ProjectionScope): Promise<Processed> => {
      const outcome = await this.#process(events, catalog, false);
      if (checkpoint !== null) await checkpoints.save(checkpoint.key, checkpoint.position, checkpoint.fence).catch((error: unknown) => Promise.reject(new CheckpointNotSaved(error)));
      return outcome;
    };
    try {
      const processed = transactions !== undefined ? await transactions.run(whole) : await whole({ catalog: this.deps.catalog, checkpoints: this.deps.checkpoints });
      this.#recordBatch(processed.applied, performance.now() - started);
      this.#logApplied(processed.applied);
      this.#lastStop = null;
      return { status: 'handled', handled: processed.handled, lastRecordedAt };
    } catch (error) {
      // The checkpoint is the store's failure, not an event's: the run fails as it is, to be retried.
      if (error instanceof CheckpointNotSaved) throw error.cause;
      // Fenced off: another instance holds the lease now; this one must not write the batch event by event either.
      if (isTransient(error) || error instanceof FencedOffError) throw error;
      // Something in the batch failed (and rolled back where the store has transactions): go through it event
      // by event, so that a poison event is retried, then stopped at.
    }
    const processed = await this.#process(events, this.deps.catalog, true);
    this.#logApplied(processed.applied);
    this.#lastStop = processed.stopped?.failure ?? null;
    if (processed.stopped !== null) {
      if (this.fixedGeneration === null) await this.deps.checkpoints.save(failureKey(this.name), JSON.stringify(processed.stopped.failure));
      return { status: 'stopped', handled: processed.handled, ...processed.stopped };
    }
    if (checkpoint !== null) await this.deps.checkpoints.save(checkpoint.key, checkpoint.position, checkpoint.fence);
    return { status: 'handled', handled: processed.handled, lastRecordedAt };
  }

  /**
   * Applies the batch to `catalog`'s generation, each stream's versions once and in order. `careful`: each
   * event is timed and retried, and a poison event or a real hole stops the batch; otherwise the first
   * failure rejects (the caller's transaction rolls back).
   */
  async #process(events: readonly EventEnvelope[], catalog: ReadModelCatalog, careful: boolean): Promise<Processed> {
    const { projection } = this;
    const ours = events.filter((event) => projection.streams.has(aggregateTypeOf(event.streamId)));
    const appliedVersions = catalog.appliedVersions(projection.readModelKind, this.#generation);
    const applied = ours.length === 0 ? new Map<string, number>() : await appliedVersions.get([...new Set(ours.map((event) => event.streamId))]);
    const changed = new Map<string, number>();
    const readModel = projection.readModel(catalog, this.#generation);
    const appliedEvents: EventEnvelope[] = [];
    // Outside careful mode a projection that can takes the batch's events in one read and one write, at the end.
    const batched: EventEnvelope[] | null = !careful && projection.applyBatch !== undefined ? [] : null;
    let handled = 0;
    const finish = async (stopped: Processed['stopped']): Promise<Processed> => {
      if (batched !== null && batched.length > 0) await projection.applyBatch?.(readModel, batched.map((event) => this.deps.upcasters.upcast(event)), this.#context);
      if (changed.size > 0) await appliedVersions.set(changed);
      return { handled, applied: appliedEvents, stopped };
    };
    for (const event of ours) {
      const last = applied.get(event.streamId) ?? 0;
      if (event.version <= last) continue;
      if (this.#parked.has(event.eventId)) {
        // Set aside by an operator, hole and all: the stream goes on from its version.
        applied.set(event.streamId, event.version);
        changed.set(event.streamId, event.version);
        continue;
      }
      // A real hole met in the whole-batch pass is met again, and counted, event by event.
      const missing = event.version === last + 1 ? [] : await missingVersions(this.deps.store, this.deps.metrics, this.name, event, last, careful);
      if (missing === null) {
        if (!careful) throw new Error(`${event.streamId} misses versions ${last + 1} to ${event.version - 1}`);
        return finish({ index: events.indexOf(event), failure: this.#failure('STREAM_HOLE', event, 1, `${event.streamId} jumps from version ${last} to ${event.version}, and the store has no version ${last + 1} either`) });
      }
      for (const next of [...missing, event]) {
        if (projection.handles.has(next.type) && !this.#parked.has(next.eventId)) {
          if (batched !== null) batched.push(next);
          else if (careful) {
            const failure = await this.#applyCarefully(readModel, next);
            if (failure !== null) return finish({ index: events.indexOf(event), failure });
          } else await this.#apply(readModel, next);
          appliedEvents.push(next);
          handled += 1;
        }
        applied.set(next.streamId, next.version);
        changed.set(next.streamId, next.version);
      }
    }
    return finish(null);
  }

  async #apply(readModel: unknown, event: EventEnvelope): Promise<void> {
    await this.projection.apply(readModel, this.deps.upcasters.upcast(event), this.#context);
  }

  async #applyCarefully(readModel: unknown, event: EventEnvelope): Promise<ConsumerFailure | null> {
    const dimensions = { Projection: this.name, EventType: event.type };
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        await this.#apply(readModel, event);
        this.deps.metrics.record('EventProcessingTime', performance.now() - started, 'Milliseconds', dimensions);
        this.deps.metrics.record('EventProcessingResult', 1, 'Count', { ...dimensions, Result: 'Success' });
        return null;
      } catch (error) {
        if (isTransient(error)) throw error;
        this.deps.metrics.record('EventProcessingResult', 0, 'Count', { ...dimensions, Result: 'Failure' });
        this.#log.warn('projection failed to apply an event', { ...eventLogFields(event), attempt, maxAttempts: this.policy.maxAttempts, error: error instanceof Error ? error.message : String(error) });
        if (attempt >= this.policy.maxAttempts) {
          await this.#checkStoreHealthy(error);
          return this.#failure('POISON', event, attempt, error instanceof Error ? error.message : String(error));
        }
        await sleep(this.policy.retryDelayMs * attempt);
      }
    }
  }

  /** An event is poison only if its handler fails while the store answers: otherwise the failure is the store's. */
  async #checkStoreHealthy(cause: unknown): Promise<void> {
    try {
      await this.deps.checkpoints.load(failureKey(this.name));
    } catch (error) {
      throw new StoreUnhealthyError(`the store failed while ${this.name} was retrying an event: ${error instanceof Error ? error.message : String(error)}`, { cause });
    }
  }

  /** A debug line per event applied, once it is kept; built only when debug lines are written. */
  #logApplied(applied: readonly EventEnvelope[]): void {
    if (!this.#log.isEnabled('debug')) return;
    for (const event of applied) this.#log.debug('projection applied an event', eventLogFields(event));
  }

  #failure(reason: ConsumerFailure['reason'], event: EventEnvelope, attempts: number, message: string): ConsumerFailure {
    return { reason, eventId: event.eventId, eventType: event.type, streamId: event.streamId, version: event.version, attempts, message, at: this.deps.clock.now() };
  }

  /** The same metrics as event by event, each event's time being its share of the batch's. */
  #recordBatch(applied: readonly EventEnvelope[], milliseconds: number): void {
    for (const { type } of applied) {
      const dimensions = { Projection: this.name, EventType: type };
      this.deps.metrics.record('EventProcessingTime', milliseconds / applied.length, 'Milliseconds', dimensions);
      this.deps.metrics.record('EventProcessingResult', 1, 'Count', { ...dimensions, Result: 'Success' });
    }
  }
}
