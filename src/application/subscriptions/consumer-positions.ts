import type { CheckpointStore } from '../ports/checkpoint-store.js';
import { FeedPositionExpiredError, type CommittedEventFeed } from '../ports/committed-event-feed.js';
import type { LeaseStore } from '../ports/lease-store.js';

export interface ConsumerPosition {
  readonly name: string;
  /** The instance holding its lease; null when no instance runs it now. */
  readonly holder: string | null;
  /** The feed position handled so far (opaque); null before its first batch. */
  readonly checkpoint: string | null;
  /** Committed events beyond the checkpoint; null where the feed cannot tell (DynamoDB Streams, a trimmed position). */
  readonly lagEvents: number | null;
}

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

  status(): Promise<ConsumerPosition[]> {
    return Promise.all(
      this.names.map(async (name) => {
        const checkpoint = await this.deps.checkpoints.load(name);
        const lagEvents = await this.deps.feed.behind(checkpoint).catch((error: unknown) => {
          if (error instanceof FeedPositionExpiredError) return null;
          throw error;
        });
        return { name, holder: (await this.deps.leases.holder(name))?.owner ?? null, checkpoint, lagEvents };
      }),
    );
  }
}
