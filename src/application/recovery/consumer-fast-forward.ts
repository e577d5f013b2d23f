import type { CheckpointStore } from '../ports/checkpoint-store.js';
import type { CommittedEventFeed } from '../ports/committed-event-feed.js';
import { RecoveryError } from './recovery-error.js';

export interface ConsumerFastForwardDeps {
  /** The sealed feed: only positions and stream heads are looked at, so no personal field is opened on the way. */
  readonly feed: CommittedEventFeed;
  readonly checkpoints: CheckpointStore;
  /**
   * Consumers with effects outside the store (the workflow's commands, the relay's publishing). Never the
   * projections: they build their read models from the start of the feed.
   */
  readonly consumers: readonly string[];
  /** How long to wait for events the feed has not delivered yet (DynamoDB Streams lag the table); default 60 s. */
  readonly settleMs?: number;
  readonly pause?: (ms: number) => Promise<void>;
}

export interface FastForwardOptions {
  /** Move consumers that have a position already (an import's own fast-forward; an operator who means it). */
  readonly force?: boolean;
  /**
   * Each stream's last version the feed must have delivered before its end counts as reached: an empty read of a
   * DynamoDB stream means "nothing delivered yet", not "nothing written". On a global log it holds at once.
   */
  readonly heads?: ReadonlyMap<string, number>;
}

export interface FastForwardReport {
  readonly consumers: readonly string[];
  /** The feed position every consumer now resumes after (null: no consumer to move, the feed was not read). */
  readonly position: string | null;
}

const FEED_PAGE = 1_000;
const POLL_MS = 250;

const pauseFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Moves the acting consumers to the end of the committed feed, so that they do not act again on events acted on
 * elsewhere: after an import (the source published and handled them) or on a fail-over to the replica (the old
 * primary's relay and workflow did). Refuses consumers that have a position already unless forced: moving them
 * would skip what they have not handled yet.
 */
export class ConsumerFastForward {
  constructor(private readonly deps: ConsumerFastForwardDeps) {}

  async run(options: FastForwardOptions = {}): Promise<FastForwardReport> {
    if (this.deps.consumers.length === 0) return { consumers: [], position: null };
    if (!options.force) {
      const placed: string[] = [];
      for (const consumer of this.deps.consumers) if ((await this.deps.checkpoints.load(consumer)) !== null) placed.push(consumer);
      if (placed.length > 0) {
        throw new RecoveryError('RECOVERY.CONSUMERS_HAVE_POSITIONS', `${placed.join(', ')} already have a position in this store: moving them would skip events they have not handled; --force moves them anyway`);
      }
    }
    const position = await this.#end(options.heads ?? new Map());
    for (const consumer of this.deps.consumers) await this.deps.checkpoints.save(consumer, position);
    return { consumers: [...this.deps.consumers], position };
  }

  /** The feed's position after its last event, once every expected stream head has come through it. */
  async #end(heads: ReadonlyMap<string, number>): Promise<string> {
    const waiting = new Map(heads);
    const settle = this.deps.settleMs ?? 60_000;
    const deadline = Date.now() + settle;
    // Several looks within even a short wait: one look after it would miss a feed that delivers just inside it.
    const poll = Math.min(POLL_MS, Math.max(1, settle / 10));
    let position: string | null = null;
    for (;;) {
      const batch = await this.deps.feed.read(position, FEED_PAGE);
      position = batch.position;
      for (const event of batch.events) if ((waiting.get(event.streamId) ?? Infinity) <= event.version) waiting.delete(event.streamId);
      if (batch.events.length > 0) continue;
      if (waiting.size === 0) return position;
      if (Date.now() >= deadline) {
        const [streamId, version] = waiting.entries().next().value as [string, number];
        throw new RecoveryError(
          'RECOVERY.FEED_BEHIND',
          `the feed has not delivered ${waiting.size} imported streams' last events (e.g. ${streamId} v${version}) within ${settle} ms: run the import again, or consumers fast-forward --force once the stream has caught up`,
          { streamId, version },
        );
      }
      await (this.deps.pause ?? pauseFor)(poll);
    }
  }
}
