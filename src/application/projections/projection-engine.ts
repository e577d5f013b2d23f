import { DEFAULT_RUNNER_OPTIONS, ProjectionRunner, type ProjectionDeps, type ProjectionFailure, type RunnerOptions } from './projection-runner.js';
import type { AnyProjection, ProjectionDefinition } from './projection.js';

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly generation: string;
  readonly state: 'running' | 'stopped' | 'failed';
  readonly checkpoint: number;
  readonly head: number;
  /** Head position minus checkpoint. */
  readonly lagEvents: number;
  /** Commit-to-projection time of the last event handled. */
  readonly lastLagMs: number;
  readonly failure: ProjectionFailure | null;
  readonly parked: readonly string[];
}

export interface RebuildProgress {
  readonly done: number;
  readonly total: number;
  readonly eventsPerSecond: number;
  readonly secondsLeft: number;
}

const generationKey = (projection: string): string => `generation:${projection}`;

/** Runs every projection from the log; rebuilds one into a fresh generation while the live one serves. */
export class ProjectionEngine {
  readonly #runners = new Map<string, ProjectionRunner>();
  readonly #locks = new Map<string, Promise<unknown>>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(
    private readonly deps: ProjectionDeps,
    private readonly projections: readonly AnyProjection[],
    private readonly options: RunnerOptions = DEFAULT_RUNNER_OPTIONS,
  ) {}

  /** The read model the live generation of a projection serves from. */
  async readModel<RM>(projection: ProjectionDefinition<RM>): Promise<RM> {
    const runner = await this.runner(projection.name);
    return projection.readModel(this.deps.catalog, runner.generation);
  }

  /** Brings every projection up to everything committed now; returns events handled. */
  async catchUp(): Promise<number> {
    let handled = 0;
    for (const projection of this.projections) {
      handled += await this.exclusive(projection.name, async () => {
        const runner = await this.runner(projection.name);
        const count = await runner.catchUp();
        const head = await this.deps.log.headPosition();
        this.deps.metrics.record('ProjectionLagEvents', head - (await runner.checkpoint()), 'Count', { Projection: projection.name });
        return count;
      });
    }
    return handled;
  }

  /** Polls the log every `intervalMs` until `stop()`. */
  start(intervalMs = 100): void {
    if (this.#timer) return;
    const tick = (): void => {
      this.#running = this.catchUp()
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          if (this.#timer) this.#timer = setTimeout(tick, intervalMs);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Stops polling after the batch in hand; its checkpoint is saved. */
  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.deps.log.headPosition();
    return Promise.all(
      this.projections.map(async (projection) => {
        const runner = await this.runner(projection.name);
        const checkpoint = await runner.checkpoint();
        return {
          name: projection.name,
          version: projection.version,
          generation: runner.generation,
          state: runner.failure ? 'failed' : this.#timer ? 'running' : 'stopped',
          checkpoint,
          head,
          lagEvents: Math.max(0, head - checkpoint),
          lastLagMs: runner.lastLagMs,
          failure: runner.failure,
          parked: await runner.parked(),
        } satisfies ProjectionStatus;
      }),
    );
  }

  async retry(name: string): Promise<void> {
    (await this.runner(name)).retry();
  }

  async park(name: string): Promise<ProjectionFailure | null> {
    return (await this.runner(name)).park();
  }

  /**
   * Replays a projection from the beginning into a fresh generation while the live one keeps serving,
   * then switches to it once it has caught up, and drops the old one.
   */
  async rebuild(name: string, onProgress?: (progress: RebuildProgress) => void): Promise<string> {
    const projection = this.definition(name);
    const live = await this.runner(name);
    const generation = `v${projection.version}-${Date.parse(this.deps.clock.now()).toString(36)}`;
    await this.deps.catalog.drop(projection.readModelKind, generation);
    const fresh = new ProjectionRunner(this.deps, projection, generation, this.options);
    const started = performance.now();
    const total = await this.deps.log.headPosition();
    const report = (done: number): void => {
      const seconds = (performance.now() - started) / 1000;
      const eventsPerSecond = seconds > 0 ? done / seconds : 0;
      onProgress?.({ done, total, eventsPerSecond, secondsLeft: eventsPerSecond > 0 ? Math.max(0, total - done) / eventsPerSecond : 0 });
    };
    const abandon = async (reason: string): Promise<never> => {
      await this.deps.catalog.drop(projection.readModelKind, generation);
      throw new Error(`rebuild of ${name} abandoned, the live generation ${live.generation} keeps serving: ${reason}`);
    };
    try {
      await fresh.catchUp(total, (position) => report(position));
      if (fresh.failure) await abandon(`stopped at event ${fresh.failure.eventId}: ${fresh.failure.message}`);
      await this.exclusive(name, async () => {
        await fresh.catchUp();
        // Switch only to a generation that caught up cleanly.
        if (fresh.failure) await abandon(`stopped at event ${fresh.failure.eventId}: ${fresh.failure.message}`);
        await this.deps.checkpoints.save(generationKey(name), generation);
        this.#runners.set(name, fresh);
      });
    } catch (error) {
      if (this.#runners.get(name) !== fresh) await this.deps.catalog.drop(projection.readModelKind, generation);
      throw error;
    }
    report(await fresh.checkpoint());
    if (live.generation !== generation) await this.deps.catalog.drop(projection.readModelKind, live.generation);
    return generation;
  }

  private definition(name: string): AnyProjection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new Error(`no projection named ${name}; known: ${this.projections.map((p) => p.name).join(', ')}`);
    return projection;
  }

  private async runner(name: string): Promise<ProjectionRunner> {
    const known = this.#runners.get(name);
    if (known) return known;
    const projection = this.definition(name);
    const generation = (await this.deps.checkpoints.load(generationKey(name))) ?? `v${projection.version}`;
    const runner = this.#runners.get(name) ?? new ProjectionRunner(this.deps, projection, generation, this.options);
    this.#runners.set(name, runner);
    return runner;
  }

  /** One catch-up or switch at a time per projection. */
  private async exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#locks.set(name, next.catch(() => undefined));
    return next;
  }
}
