import type { CheckpointStore } from '../ports/checkpoint-store.js';
import { FeedPositionExpiredError, type CommittedEventFeed } from '../ports/committed-event-feed.js';
import type { LeaseStore } from '../ports/lease-store.js';
import { lagKey } from '../replica/event-replica.js';
import { failureKey } from './consumer-keys.js';

export interface ConsumerPosition {
  readonly name: string;
  /** The instance holding its lease; null when no instance runs it now. */
  readonly holder: string | null;
  /** The feed position handled so far (opaque); null before its first batch. */
  readonly checkpoint: string | null;
  /** Committed events beyond the checkpoint; null where the feed cannot tell (DynamoDB Streams, a trimmed position). */
  readonly lagEvents: number | null;
  /** Commit-to-handled time of the last batch, where the consumer leaves it in the store (the replica does); null otherwise. */
  readonly lagMs: number | null;
  /** The event it is stopped at until an operator retries it (the replica records one, as projections do); null while it runs. */
  readonly stoppedAt: { readonly eventType: string; readonly eventId: string; readonly message: string } | null;
}

const lagMsOf = (record: string | null): number | null => {
  if (record === null) return null;
  try {
    const { lagMs } = JSON.parse(record) as { lagMs?: unknown };
    return typeof lagMs === 'number' ? lagMs : null;
  } catch {
    return null;
  }
};

const stopOf = (record: string | null): ConsumerPosition['stoppedAt'] => {
  if (record === null) return null;
  try {
    const { eventType, eventId, message } = JSON.parse(record) as Record<string, unknown>;
    return { eventType: String(eventType), eventId: String(eventId), message: String(message) };
  } catch {
    return { eventType: 'unknown', eventId: 'unknown', message: record };
  }
};

export interface ConsumerPositionsDeps {
  readonly leases: LeaseStore;
  readonly checkpoints: CheckpointStore;
  readonly feed: CommittedEventFeed;
}

/**
 * Where consumers run elsewhere (the relay, the workflow) have got to, read from the store: a process that
 * does not run them, such as the CLI, cannot ask their subscriptions. Each consumer's lease and checkpoint
 * share its name.
 */
export class ConsumerPositions {
  constructor(
    private readonly deps: ConsumerPositionsDeps,
    private readonly names: readonly string[],
  ) {}

  /** Clears a consumer's stop so that whichever instance (or Lambda) runs it tries the event again; false when it was not stopped. */
  async retry(name: string): Promise<boolean> {
    if (!this.names.includes(name)) throw new RangeError(`no consumer ${name} here; known: ${this.names.join(', ')}`);
    if ((await this.deps.checkpoints.load(failureKey(name))) === null) return false;
    await this.deps.checkpoints.remove(failureKey(name));
    return true;
  }

  status(): Promise<ConsumerPosition[]> {
    return Promise.all(
      this.names.map(async (name) => {
        const checkpoint = await this.deps.checkpoints.load(name);
        const lagEvents = await this.deps.feed.behind(checkpoint).catch((error: unknown) => {
          if (error instanceof FeedPositionExpiredError) return null;
          throw error;
        });
        return { name, holder: (await this.deps.leases.holder(name))?.owner ?? null, checkpoint, lagEvents, lagMs: lagMsOf(await this.deps.checkpoints.load(lagKey(name))), stoppedAt: stopOf(await this.deps.checkpoints.load(failureKey(name))) };
      }),
    );
  }
}
