import type { EventEnvelope } from '../events/envelope.js';
import type { CheckpointStore } from '../ports/checkpoint-store.js';
import type { GlobalEventLog } from '../ports/event-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { ProjectionTransactions } from '../ports/projection-transactions.js';
import type { ReadModelCatalog } from '../ports/read-models.js';
import type { Clock } from '../ports/runtime.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';
import type { AnyProjection } from './projection.js';

export interface ProjectionDeps {
  readonly log: GlobalEventLog;
  readonly checkpoints: CheckpointStore;
  readonly catalog: ReadModelCatalog;
  /** Commits a batch's read-model writes with its checkpoint where the store allows it. */
  readonly transactions?: ProjectionTransactions;
  readonly upcasters: UpcasterRegistry;
  readonly metrics: Metrics;
  readonly clock: Clock;
}

export interface ProjectionFailure {
  readonly position: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly attempts: number;
  readonly message: string;
}

export interface RunnerOptions {
  readonly batchSize: number;
  /** How often a failing event is tried before the projection stops at it. */
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = { batchSize: 500, maxAttempts: 3, retryDelayMs: 50 };

export const checkpointKey = (projection: string, generation: string): string => `projection:${projection}@${generation}`;
const parkedKey = (projection: string): string => `parked:${projection}`;

/**
 * Feeds one generation of one projection from the committed log, from its checkpoint, in commit order.
 * A poison event is retried a bounded number of times, then the runner stops AT it (never skips it
 * silently) until an operator retries or parks it.
 */
export class ProjectionRunner {
  #failure: ProjectionFailure | null = null;
  #lastLagMs = 0;

  constructor(
    private readonly deps: ProjectionDeps,
    readonly projection: AnyProjection,
    readonly generation: string,
    private readonly options: RunnerOptions = DEFAULT_RUNNER_OPTIONS,
  ) {}

  get failure(): ProjectionFailure | null {
    return this.#failure;
  }
  get lastLagMs(): number {
    return this.#lastLagMs;
  }

  async checkpoint(): Promise<number> {
    return Number((await this.deps.checkpoints.load(checkpointKey(this.projection.name, this.generation))) ?? 0);
  }

  /** Processes committed events up to `until` (default: everything committed now). */
  async catchUp(until = Number.MAX_SAFE_INTEGER, onBatch?: (position: number, handled: number) => void): Promise<number> {
    if (this.#failure) return 0;
    const readModel = this.projection.readModel(this.deps.catalog, this.generation);
    const parked = new Set(await this.parked());
    let position = await this.checkpoint();
    let handled = 0;
    while (position < until) {
      const batch = await this.deps.log.readAll(position, Math.min(this.options.batchSize, until - position));
      if (batch.length === 0) break;
      const atomically = await this.applyBatchAtomically(batch, parked);
      if (atomically !== null) {
        handled += atomically.handled;
        position = atomically.position;
        onBatch?.(position, handled);
        continue;
      }
      // The batch failed somewhere (and rolled back where the store has transactions):
      // go through it event by event, so that a poison event is retried, then stopped at.
      for (const stored of batch) {
        const at = stored.globalPosition ?? position;
        if (this.projection.handles.has(stored.type) && !parked.has(stored.eventId)) {
          const applied = await this.applyWithRetries(readModel, stored, at);
          if (!applied) {
            await this.saveCheckpoint(position);
            return handled;
          }
          handled += 1;
        }
        position = at;
      }
      await this.saveCheckpoint(position);
      onBatch?.(position, handled);
    }
    return handled;
  }

  /** Clears a failure so that the next catch-up tries the poison event again. */
  retry(): void {
    this.#failure = null;
  }

  /** Sets the poison event aside (recorded, never silently dropped) and goes on past it. */
  async park(): Promise<ProjectionFailure | null> {
    const failure = this.#failure;
    if (failure === null) return null;
    await this.deps.checkpoints.save(parkedKey(this.projection.name), JSON.stringify([...(await this.parked()), failure.eventId]));
    this.#failure = null;
    return failure;
  }

  async parked(): Promise<string[]> {
    return JSON.parse((await this.deps.checkpoints.load(parkedKey(this.projection.name))) ?? '[]') as string[];
  }

  /** The whole batch and its checkpoint in one commit; null when anything in it failed. */
  private async applyBatchAtomically(batch: readonly EventEnvelope[], parked: ReadonlySet<string>): Promise<{ position: number; handled: number } | null> {
    const transactions = this.deps.transactions;
    if (!transactions) return null;
    const started = performance.now();
    try {
      const outcome = await transactions.run(async ({ catalog, checkpoints }) => {
        const readModel = this.projection.readModel(catalog, this.generation);
        let position = 0;
        const types: string[] = [];
        for (const stored of batch) {
          if (this.projection.handles.has(stored.type) && !parked.has(stored.eventId)) {
            await this.projection.apply(readModel, this.deps.upcasters.upcast(stored));
            types.push(stored.type);
          }
          position = stored.globalPosition ?? position;
        }
        await checkpoints.save(checkpointKey(this.projection.name, this.generation), String(position));
        return { position, types };
      });
      this.recordBatch(batch, outcome.types, performance.now() - started);
      return { position: outcome.position, handled: outcome.types.length };
    } catch {
      return null;
    }
  }

  /** The same metrics as event by event, each event's time being its share of the batch's. */
  private recordBatch(batch: readonly EventEnvelope[], types: readonly string[], milliseconds: number): void {
    const last = batch.at(-1);
    if (types.length === 0 || last === undefined) return;
    for (const type of types) {
      const dimensions = { Projection: this.projection.name, EventType: type };
      this.deps.metrics.record('EventProcessingTime', milliseconds / types.length, 'Milliseconds', dimensions);
      this.deps.metrics.record('EventProcessingResult', 1, 'Count', { ...dimensions, Result: 'Success' });
    }
    this.#lastLagMs = Math.max(0, Date.parse(this.deps.clock.now()) - Date.parse(last.recordedAt));
    this.deps.metrics.record('ProjectionLag', this.#lastLagMs, 'Milliseconds', { Projection: this.projection.name });
  }

  private async saveCheckpoint(position: number): Promise<void> {
    await this.deps.checkpoints.save(checkpointKey(this.projection.name, this.generation), String(position));
  }

  private async applyWithRetries(readModel: unknown, stored: EventEnvelope, position: number): Promise<boolean> {
    const dimensions = { Projection: this.projection.name, EventType: stored.type };
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        await this.projection.apply(readModel, this.deps.upcasters.upcast(stored));
        this.deps.metrics.record('EventProcessingTime', performance.now() - started, 'Milliseconds', dimensions);
        this.deps.metrics.record('EventProcessingResult', 1, 'Count', { ...dimensions, Result: 'Success' });
        this.#lastLagMs = Math.max(0, Date.parse(this.deps.clock.now()) - Date.parse(stored.recordedAt));
        this.deps.metrics.record('ProjectionLag', this.#lastLagMs, 'Milliseconds', { Projection: this.projection.name });
        return true;
      } catch (error) {
        this.deps.metrics.record('EventProcessingResult', 0, 'Count', { ...dimensions, Result: 'Failure' });
        if (attempt >= this.options.maxAttempts) {
          this.#failure = {
            position,
            eventId: stored.eventId,
            eventType: stored.type,
            streamId: stored.streamId,
            attempts: attempt,
            message: error instanceof Error ? error.message : String(error),
          };
          this.deps.metrics.record('ProjectionStopped', 1, 'Count', { Projection: this.projection.name });
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * attempt));
      }
    }
  }
}
