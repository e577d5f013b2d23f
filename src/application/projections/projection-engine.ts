import { setTimeout as sleep } from 'node:timers/promises';
import type { CommittedEventFeed } from '../ports/committed-event-feed.js';
import { FeedPositionExpiredError } from '../ports/committed-event-feed.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { Lease, LeaseStore } from '../ports/lease-store.js';
import type { IdGenerator } from '../ports/runtime.js';
import { failureKey } from '../subscriptions/consumer-keys.js';
import type { ConsumerFailure } from '../subscriptions/event-consumer.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, Subscription, type SubscriptionOptions, type SubscriptionState } from '../subscriptions/subscription.js';
import {
  checkpointKey,
  DEFAULT_POISON_POLICY,
  defaultGeneration,
  generationKey,
  parkedKey,
  ProjectionConsumer,
  type PoisonPolicy,
  type ProjectionDeps,
} from './projection-consumer.js';
import type { AnyProjection, ProjectionDefinition } from './projection.js';
import { progressOf } from '../progress.js';

export interface EngineDeps extends ProjectionDeps {
  readonly feed: CommittedEventFeed;
  readonly archive: EventArchive;
  readonly leases: LeaseStore;
  readonly ids: IdGenerator;
}

export interface EngineOptions {
  readonly subscription: SubscriptionOptions;
  readonly poison: PoisonPolicy;
  /** How long a read trusts the live generation it last looked up before asking the store again. */
  readonly generationCacheMs: number;
  /** How long a retired generation keeps serving after a switch, for readers that looked it up just before. */
  readonly retireAfterMs: number;
}

export const engineOptions = (owner: string, overrides: Partial<Omit<EngineOptions, 'subscription'>> & { subscription?: Partial<SubscriptionOptions> } = {}): EngineOptions => ({
  poison: overrides.poison ?? DEFAULT_POISON_POLICY,
  generationCacheMs: overrides.generationCacheMs ?? 1_000,
  retireAfterMs: overrides.retireAfterMs ?? 3_000,
  subscription: { ...DEFAULT_SUBSCRIPTION_OPTIONS, owner, ...overrides.subscription },
});

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /** The live generation, as recorded in the store: the one every instance serves from. */
  readonly generation: string;
  /**
   * running / standby (another instance runs it) / retrying (infrastructure failing, backing off) / expired
   * (recovering trimmed records) / idle (not polled here) / failed (stopped at an event until retried or parked).
   */
  readonly state: Exclude<SubscriptionState, 'stopped'> | 'failed';
  /** Which instance holds its lease. */
  readonly holder: string | null;
  /** The feed position handled so far (opaque: a global position, or DynamoDB shard positions). */
  readonly checkpoint: string | null;
  /** Committed events not yet handled, where the feed can tell (null on DynamoDB Streams). */
  readonly lagEvents: number | null;
  /** Commit-to-projection time of the last event handled here. */
  readonly lastLagMs: number;
  readonly retries: number;
  readonly lastError: string | null;
  readonly failure: ConsumerFailure | null;
  readonly parked: readonly string[];
}

export interface RebuildProgress {
  readonly done: number;
  readonly total: number;
  readonly eventsPerSecond: number;
  readonly secondsLeft: number;
}

/** A rebuild that could not finish; the live generation keeps serving. */
export class RebuildAbandonedError extends Error {
  override readonly name = 'RebuildAbandonedError';
}

/**
 * Runs every projection as a consumer of the committed-event feed, each under its lease, and rebuilds one
 * into a fresh generation while the live one serves. Which generation is live is recorded in the store, so
 * every instance serving reads follows a switch, whoever made it.
 */
export class ProjectionEngine {
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #generations = new Map<string, { generation: string; until: number }>();
  #polling = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly projections: readonly AnyProjection[],
    private readonly options: EngineOptions,
  ) {
    for (const projection of projections) {
      const consumer = new ProjectionConsumer(deps, projection, null, options.poison);
      consumer.onExpired = async () => {
        await this.rebuild(projection.name);
      };
      this.#subscriptions.set(projection.name, new Subscription(deps, consumer, options.subscription));
    }
  }

  /** The read model of the live generation of a projection. */
  async readModel<RM>(projection: ProjectionDefinition<RM>): Promise<RM> {
    return projection.readModel(this.deps.catalog, await this.#liveGeneration(projection));
  }

  /** Fresh consumers of the live generations, for a handler fed by something else (a Lambda event source mapping). */
  consumers(): ProjectionConsumer[] {
    return this.projections.map((projection) => new ProjectionConsumer(this.deps, projection, null, this.options.poison));
  }

  /** Brings every projection this instance can hold the lease of up to everything committed now; returns events handled. */
  async catchUp(): Promise<number> {
    let handled = 0;
    for (const subscription of this.#subscriptions.values()) handled += await subscription.catchUp();
    return handled;
  }

  /** Polls the feed every `intervalMs` until `stop()`. */
  start(intervalMs = 100): void {
    this.#polling = true;
    for (const subscription of this.#subscriptions.values()) subscription.start(intervalMs);
  }

  /** Stops polling after the batch in hand (its checkpoint saved) and hands the leases back. */
  async stop(): Promise<void> {
    this.#polling = false;
    await Promise.all([...this.#subscriptions.values()].map((subscription) => subscription.stop()));
  }

  async status(): Promise<ProjectionStatus[]> {
    const { checkpoints, feed } = this.deps;
    return Promise.all(
      this.projections.map(async (projection) => {
        const subscription = this.#subscription(projection.name).status();
        const generation = await this.#liveGeneration(projection, true);
        const checkpoint = await checkpoints.load(checkpointKey(projection.name, generation));
        const failure = await this.#failure(projection.name);
        const lagEvents = await feed.behind(checkpoint).catch((error: unknown) => {
          if (error instanceof FeedPositionExpiredError) return null;
          throw error;
        });
        // 'stopped' without a recorded failure: an operator retried or parked it, and the next poll goes on.
        const waiting = subscription.state === 'stopped' || subscription.state === 'idle';
        const holder = (await this.deps.leases.holder(projection.name))?.owner ?? null;
        const elsewhere = holder !== null && holder !== this.options.subscription.owner;
        const state = failure !== null ? 'failed' : elsewhere ? 'standby' : waiting ? (this.#polling ? 'running' : 'idle') : subscription.state;
        return {
          name: projection.name,
          version: projection.version,
          generation,
          state,
          holder,
          checkpoint,
          lagEvents,
          lastLagMs: subscription.lastLagMs,
          retries: subscription.retries,
          lastError: subscription.lastError,
          failure,
          parked: await this.#parked(projection.name),
        } satisfies ProjectionStatus;
      }),
    );
  }

  /** Clears a stop so that the poison event (or the hole) is tried again by whichever instance runs the projection. */
  async retry(name: string): Promise<void> {
    this.#definition(name);
    await this.deps.checkpoints.remove(failureKey(name));
  }

  /** Sets the event a projection stopped at aside (recorded, never silently dropped) and lets it go on past it. */
  async park(name: string): Promise<ConsumerFailure | null> {
    this.#definition(name);
    const failure = await this.#failure(name);
    if (failure === null) return null;
    await this.deps.checkpoints.save(parkedKey(name), JSON.stringify([...(await this.#parked(name)), failure.eventId]));
    await this.deps.checkpoints.remove(failureKey(name));
    return failure;
  }

  /**
   * Replays a projection from the store's archive into a fresh generation, catches it up with the feed from
   * where the live generation had got to, then switches the store's record of the live generation to it and
   * retires the old one. The live generation keeps serving and being fed throughout; a failure abandons the
   * fresh generation and leaves the live one as it was.
   */
  async rebuild(name: string, onProgress?: (progress: RebuildProgress) => void): Promise<string> {
    const projection = this.#definition(name);
    const { ids, leases } = this.deps;
    const live = await this.#liveGeneration(projection, true);
    // Unique by construction: two rebuilds, even in the same millisecond, never share a generation.
    const generation = `v${projection.version}-${ids.next()}`;
    const abandon = (reason: string): never => {
      this.deps.logger.warn('rebuild abandoned; the live generation keeps serving', { consumer: name, generation, liveGeneration: live, error: reason });
      throw new RebuildAbandonedError(`rebuild of ${name} abandoned, the live generation ${live} keeps serving: ${reason}`);
    };
    // One rebuild of a projection at a time, whichever instance or CLI starts it: a second would switch
    // generations under the first and leave one of them behind.
    const rebuildLease = `rebuild:${name}`;
    const owner = `${this.options.subscription.owner}/${generation}`;
    const ttl = this.options.subscription.leaseTtlMs;
    let renewedAt = 0;
    let held: Lease | null = null;
    const holdLease = async (): Promise<void> => {
      if (Date.now() - renewedAt < ttl / 3) return;
      held = await leases.acquire(rebuildLease, owner, ttl);
      if (held === null) abandon(`another rebuild of ${name} is running (${(await leases.holder(rebuildLease))?.owner ?? 'its holder just finished'})`);
      renewedAt = Date.now();
    };
    await holdLease();
    try {
      return await this.#rebuildHolding(projection, live, generation, holdLease, abandon, onProgress);
    } finally {
      if (held !== null) await leases.release(held).catch(() => undefined);
    }
  }

  async #rebuildHolding(
    projection: AnyProjection,
    live: string,
    generation: string,
    holdLease: () => Promise<void>,
    abandon: (reason: string) => never,
    onProgress?: (progress: RebuildProgress) => void,
  ): Promise<string> {
    const { name } = projection;
    const { archive, catalog, checkpoints } = this.deps;
    const consumer = new ProjectionConsumer(this.deps, projection, generation, this.options.poison);
    // Until the switch nothing but this rebuild writes the fresh generation, and the scan hands each stream over
    // whole and in order: its rows need no keep-the-newer check. The catch-up after it goes the usual way.
    const { catalog: liveCatalog } = this.deps;
    const scanning = liveCatalog.soleWriter === undefined ? consumer : new ProjectionConsumer({ ...this.deps, catalog: liveCatalog.soleWriter() }, projection, generation, this.options.poison);
    const resumeFrom = await this.#resumePoint(checkpointKey(name, live));
    const total = await archive.approximateCount();
    const progress = progressOf(performance.now());
    let done = 0;
    const report = (): void => onProgress?.(progress(done, total));
    const stoppedAt = (failure: ConsumerFailure): string => `stopped at ${failure.eventType} ${failure.eventId} (${failure.reason}): ${failure.message}`;
    const catchUp = new Subscription({ ...this.deps, leases: null }, consumer, this.options.subscription);
    try {
      await archive.scan(async (events) => {
        await holdLease();
        const outcome = await scanning.handle(events, null);
        if (outcome.status === 'stopped') abandon(stoppedAt(outcome.failure));
        done += events.length;
        report();
      });
      if (resumeFrom !== null) await checkpoints.save(checkpointKey(name, generation), resumeFrom);
      done += await catchUp.catchUp();
      if (consumer.lastStop !== null) abandon(stoppedAt(consumer.lastStop));
      await holdLease();
      const recorded = (await checkpoints.load(generationKey(name))) ?? defaultGeneration(projection);
      if (recorded !== live) abandon(`the live generation became ${recorded} meanwhile`);
      await checkpoints.save(generationKey(name), generation);
      await checkpoints.remove(failureKey(name));
    } catch (error) {
      await catalog.drop(projection.readModelKind, generation).catch(() => undefined);
      if (error instanceof RebuildAbandonedError) throw error;
      return abandon(error instanceof Error ? error.message : String(error));
    }
    this.#generations.delete(name);
    this.deps.logger.info('rebuild switched the live generation', { consumer: name, generation, previousGeneration: live, events: done });
    // What a writer that does not follow checkpoints (a Lambda) handed the old generation between the catch-up
    // and the switch is in the feed: one more catch-up brings it over. The poller's own catch-up covers it too.
    done += await catchUp.catchUp().catch(() => 0);
    report();
    if (live !== generation) {
      await sleep(this.options.retireAfterMs);
      await catalog.drop(projection.readModelKind, live);
      await checkpoints.remove(checkpointKey(name, live));
    }
    return generation;
  }

  /** Where a rebuild catches up from after its scan: the live generation's checkpoint, unless the feed trimmed it (then its oldest record). */
  async #resumePoint(key: string): Promise<string | null> {
    const position = await this.deps.checkpoints.load(key);
    if (position === null) return null;
    try {
      await this.deps.feed.read(position, 1);
      return position;
    } catch (error) {
      if (error instanceof FeedPositionExpiredError) return null;
      throw error;
    }
  }

  async #liveGeneration(projection: AnyProjection, fresh = false): Promise<string> {
    const cached = this.#generations.get(projection.name);
    if (!fresh && cached !== undefined && cached.until > Date.now()) return cached.generation;
    const generation = (await this.deps.checkpoints.load(generationKey(projection.name))) ?? defaultGeneration(projection);
    this.#generations.set(projection.name, { generation, until: Date.now() + this.options.generationCacheMs });
    return generation;
  }

  async #failure(name: string): Promise<ConsumerFailure | null> {
    const recorded = await this.deps.checkpoints.load(failureKey(name));
    return recorded === null ? null : (JSON.parse(recorded) as ConsumerFailure);
  }

  async #parked(name: string): Promise<string[]> {
    return JSON.parse((await this.deps.checkpoints.load(parkedKey(name))) ?? '[]') as string[];
  }

  #subscription(name: string): Subscription {
    const subscription = this.#subscriptions.get(name);
    if (subscription === undefined) throw new Error(`no projection named ${name}`);
    return subscription;
  }

  #definition(name: string): AnyProjection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new Error(`no projection named ${name}; known: ${this.projections.map((p) => p.name).join(', ')}`);
    return projection;
  }
}
