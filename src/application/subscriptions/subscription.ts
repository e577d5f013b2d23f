import { FencedOffError, type CheckpointStore } from '../ports/checkpoint-store.js';
import { FeedPositionExpiredError, type CommittedEventFeed, type FeedBatch } from '../ports/committed-event-feed.js';
import type { Lease, LeaseStore } from '../ports/lease-store.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock } from '../ports/runtime.js';
import { stopLogFields } from './consumer-log-fields.js';
import type { EventConsumer } from './event-consumer.js';

export interface SubscriptionDeps {
  readonly feed: CommittedEventFeed;
  readonly checkpoints: CheckpointStore;
  /** Null runs without a lease: a rebuild filling a generation nobody else writes to. */
  readonly leases: LeaseStore | null;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface SubscriptionOptions {
  /** This process, as lease owner: unique per instance. */
  readonly owner: string;
  readonly batchSize: number;
  /** A holder that dies hands over after at most this long; renewed every third of it. */
  readonly leaseTtlMs: number;
  /** Back-off after a failed run: doubles from `retryBaseMs` up to `retryMaxMs`, with jitter. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

/** Failed runs in a row from which a retry is a warning rather than news: one or two are the store catching its breath. */
const WARN_AFTER_RETRIES = 3;

/** How often a long run asks again where its checkpoint lives; a retired generation is dropped well after this. */
const GENERATION_CHECK_MS = 1_000;

export const DEFAULT_SUBSCRIPTION_OPTIONS: Omit<SubscriptionOptions, 'owner'> = { batchSize: 500, leaseTtlMs: 15_000, retryBaseMs: 50, retryMaxMs: 5_000 };

/**
 * - running: this instance holds the lease and feeds the consumer;
 * - standby: another instance holds the lease;
 * - stopped: the consumer is stopped at an event (poison or a real hole) until an operator acts;
 * - retrying: the last run failed on infrastructure; it is tried again with back-off, for as long as it takes;
 * - expired: the feed trimmed records the consumer had not read; it is recovering them from the store.
 */
export type SubscriptionState = 'idle' | 'running' | 'standby' | 'stopped' | 'retrying' | 'expired';

export interface SubscriptionStatus {
  readonly state: SubscriptionState;
  /** Who holds the lease as this instance last saw it. */
  readonly holder: string | null;
  readonly retries: number;
  readonly lastError: string | null;
  /** Commit-to-handled time of the last event handled here. */
  readonly lastLagMs: number;
  /** Committed events beyond the checkpoint, where the feed can tell. */
  readonly lagEvents: number | null;
  readonly expiredPositions: number;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Feeds one consumer from the committed-event feed: from its checkpoint, a batch at a time, under a lease so
 * that exactly one instance runs it. Infrastructure failures are retried with capped exponential back-off for
 * as long as they last and never count against an event; only the consumer decides that an event is poison.
 */
export class Subscription {
  #lease: Lease | null = null;
  #renewedAt = 0;
  #state: SubscriptionState = 'idle';
  #holder: string | null = null;
  #holderExpiresAt: number | null = null;
  #retries = 0;
  #lastError: string | null = null;
  #lastLagMs = 0;
  /** Undefined until the feed was first asked; null where it cannot tell. */
  #lagEvents: number | null | undefined = undefined;
  #expired = 0;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #exclusive: Promise<unknown> = Promise.resolve();
  readonly #log: Logger;

  constructor(
    private readonly deps: SubscriptionDeps,
    readonly consumer: EventConsumer,
    private readonly options: SubscriptionOptions,
  ) {
    this.#log = deps.logger.child({ consumer: consumer.name });
  }

  status(): SubscriptionStatus {
    return {
      state: this.#state,
      holder: this.#holder,
      retries: this.#retries,
      lastError: this.#lastError,
      lastLagMs: this.#lastLagMs,
      lagEvents: this.#lagEvents ?? null,
      expiredPositions: this.#expired,
    };
  }

  /** Feeds the consumer everything committed now, if this instance holds (or can take) the lease; the number of events handled. */
  catchUp(): Promise<number> {
    const run = this.#exclusive.then(() => this.#catchUp());
    this.#exclusive = run.catch(() => undefined);
    return run;
  }

  /** Polls every `intervalMs` until `stop()`; a failed run is retried after a back-off instead. */
  start(intervalMs: number): void {
    if (this.#timer !== null) return;
    const tick = (): void => {
      this.#running = this.catchUp().then(
        () => {
          if (this.#retries > 0) this.#log.info('consumer recovered; polling again', { retries: this.#retries });
          this.#retries = 0;
          this.#lastError = null;
          // On standby, ask again when the holder's lease is due rather than every interval (each ask is a write).
          if (this.#state !== 'standby' || this.#holderExpiresAt === null) return intervalMs;
          return Math.min(this.options.leaseTtlMs / 3, Math.max(intervalMs, this.#holderExpiresAt - Date.now() + 20));
        },
        (error: unknown) => {
          this.#retries += 1;
          // One line per problem, not per attempt: a store down for an hour would otherwise write thousands.
          if (message(error) !== this.#lastError || this.#retries === WARN_AFTER_RETRIES) {
            const level = this.#retries >= WARN_AFTER_RETRIES ? 'warn' : 'info';
            this.#log[level]('consumer run failed; retrying the batch with back-off', { retries: this.#retries, error: message(error) });
          }
          this.#lastError = message(error);
          this.#state = 'retrying';
          this.deps.metrics.record('SubscriptionRetries', 1, 'Count', { Consumer: this.consumer.name });
          const ceiling = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** Math.min(this.#retries - 1, 20));
          return ceiling / 2 + Math.random() * (ceiling / 2);
        },
      ).then((delay) => {
        if (this.#timer !== null) this.#timer = setTimeout(tick, delay);
      });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Stops after the batch in hand (its checkpoint saved) and gives the lease up so that another instance takes over at once. */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
    await this.#exclusive;
    if (this.#lease !== null && this.deps.leases !== null) await this.deps.leases.release(this.#lease).catch(() => undefined);
    this.#lease = null;
    if (this.#state === 'running') this.#state = 'idle';
  }

  async #catchUp(): Promise<number> {
    const { feed, checkpoints, metrics } = this.deps;
    const dimensions = { Consumer: this.consumer.name };
    if (!(await this.#holdLease())) return 0;
    const begun = await this.consumer.begin();
    if (begun === null) {
      this.#state = 'stopped';
      return 0;
    }
    this.#state = 'running';
    let position = await checkpoints.load(begun.checkpointKey);
    let handled = 0;
    // The next batch is read while this one is handled: the feed's read and the consumer's writes overlap.
    let ahead: Promise<FeedBatch> | null = null;
    try {
      let checkedAt = Date.now();
      for (;;) {
        if (!(await this.#holdLease())) return handled;
        if (Date.now() - checkedAt > GENERATION_CHECK_MS) {
          // A long run asks again where its checkpoint lives: a rebuild elsewhere may have switched generations.
          checkedAt = Date.now();
          if ((await this.consumer.begin())?.checkpointKey !== begun.checkpointKey) return handled;
        }
        const batch = await (ahead ?? feed.read(position, this.options.batchSize));
        ahead = null;
        const fence = this.#lease?.fence;
        if (batch.events.length === 0) {
          // DynamoDB moves on through finished shards without events: keep that, so they are not read again.
          if (batch.position !== position) await checkpoints.save(begun.checkpointKey, batch.position, fence);
          position = batch.position;
          break;
        }
        ahead = feed.read(batch.position, this.options.batchSize);
        // Left unread when the run ends early (stopped, fenced off, a failure): its failure is nobody's to report.
        ahead.catch(() => undefined);
        const outcome = await this.consumer.handle(batch.events, { key: begun.checkpointKey, position: batch.position, ...(fence === undefined ? {} : { fence }) });
        handled += outcome.handled;
        if (outcome.status === 'stopped') {
          this.#log.error('consumer stopped at an event until an operator retries or parks it', stopLogFields(outcome.failure, batch.events));
          this.#state = 'stopped';
          metrics.record('SubscriptionParked', 1, 'Count', { ...dimensions, Reason: outcome.failure.reason });
          return handled;
        }
        if (outcome.lastRecordedAt !== null) {
          this.#lastLagMs = Math.max(0, Date.parse(this.deps.clock.now()) - Date.parse(outcome.lastRecordedAt));
          metrics.record('SubscriptionLag', this.#lastLagMs, 'Milliseconds', dimensions);
        }
        position = batch.position;
      }
    } catch (error) {
      if (error instanceof FencedOffError) {
        // Another instance took the lease while this one was slow: it carries on from its own checkpoint.
        this.#log.info('lease taken over by another instance; standing by');
        this.#lease = null;
        this.#state = 'standby';
        return handled;
      }
      if (!(error instanceof FeedPositionExpiredError)) throw error;
      this.#expired += 1;
      this.#state = 'expired';
      this.#lastError = error.message;
      this.#log.warn('the feed trimmed records this consumer had not read; recovering them from the store', { error: error.message });
      metrics.record('SubscriptionPositionExpired', 1, 'Count', dimensions);
      await this.consumer.recoverExpired();
      this.#state = 'running';
      return handled;
    }
    // The run ended on an empty read, so it was caught up then: asking the feed again (a query on every idle poll)
    // is worth it only after handling something, while commits may have come in, or when it was never asked.
    if (handled > 0 || this.#lagEvents === undefined) this.#lagEvents = await feed.behind(position);
    else if (this.#lagEvents !== null) this.#lagEvents = 0;
    if (this.#lagEvents !== null) metrics.record('SubscriptionLagEvents', this.#lagEvents, 'Count', dimensions);
    else metrics.record('IteratorAge', handled > 0 ? this.#lastLagMs : 0, 'Milliseconds', dimensions);
    return handled;
  }

  /** Takes or renews the lease when due; false when another instance holds it. */
  async #holdLease(): Promise<boolean> {
    const leases = this.deps.leases;
    if (leases === null) return true;
    const now = Date.now();
    if (this.#lease !== null && now - this.#renewedAt < this.options.leaseTtlMs / 3) return true;
    const previous = this.#lease;
    const lease = await leases.acquire(this.consumer.name, this.options.owner, this.options.leaseTtlMs);
    this.#lease = lease;
    this.#renewedAt = now;
    if (lease === null) {
      const holder = await leases.holder(this.consumer.name);
      this.#holder = holder?.owner ?? null;
      this.#holderExpiresAt = holder === null ? null : Date.parse(holder.expiresAt);
      this.#state = 'standby';
      return false;
    }
    this.#holder = lease.owner;
    if (previous?.fence !== lease.fence) {
      this.deps.metrics.record('LeaseHolderChanges', 1, 'Count', { Consumer: this.consumer.name });
      this.#log.info('lease taken; this instance feeds the consumer', { owner: lease.owner, fence: lease.fence });
    }
    return true;
  }
}
