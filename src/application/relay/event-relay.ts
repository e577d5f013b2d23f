import { err, ok, type Result } from 'neverthrow';
import type { EventEnvelope } from '../events/envelope.js';
import type { CheckpointStore } from '../ports/checkpoint-store.js';
import type { CommittedEventFeed } from '../ports/committed-event-feed.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { Metrics } from '../ports/metrics.js';
import { planPublishing, type StreamGap } from './stream-order.js';

export interface RelayDeps {
  readonly feed: CommittedEventFeed;
  readonly checkpoints: CheckpointStore;
  readonly publisher: EventPublisher;
  readonly metrics: Metrics;
}

export interface RelayOptions {
  /** The checkpoint's key: one per relay and bus. */
  readonly name: string;
  readonly batchSize: number;
  /** How many streams' last published versions are kept for gap detection; the least recently published are forgotten first. */
  readonly rememberedStreams: number;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = { name: 'relay:event-bus', batchSize: 100, rememberedStreams: 100_000 };

export interface RelayProgress {
  readonly published: number;
  /** The checkpoint after this run. */
  readonly position: string | null;
}

export interface RelayStalled {
  readonly code: 'RELAY.STREAM_GAP';
  readonly message: string;
  readonly gaps: readonly StreamGap[];
  /** The checkpoint, which stays before the batch that showed the gap. */
  readonly position: string | null;
}

/**
 * Feeds the bus from committed events only, never from a command handler. Reads the feed from its
 * checkpoint and saves the checkpoint only after the publisher accepted the batch, so a crash in between
 * re-publishes (at least once) and loses nothing. Within a stream, events go out in version order; a
 * missing version stops the relay at it, visibly, instead of publishing past it.
 */
export class EventRelay {
  readonly #lastPublished = new Map<string, number>();

  constructor(
    private readonly deps: RelayDeps,
    private readonly options: RelayOptions = DEFAULT_RELAY_OPTIONS,
  ) {}

  /**
   * Publishes what the feed holds now; stops at the first batch that shows a gap. Rejects when the bus or
   * the checkpoint store fails: the checkpoint stays put, and the next run re-publishes from there.
   */
  async catchUp(): Promise<Result<RelayProgress, RelayStalled>> {
    const { feed, checkpoints, publisher, metrics } = this.deps;
    const { name, batchSize } = this.options;
    let position = await checkpoints.load(name);
    let published = 0;
    for (;;) {
      const batch = await feed.read(position, batchSize);
      const plan = planPublishing(batch.events, (streamId) => this.#lastPublished.get(streamId));
      if (plan.ready.length > 0) {
        await publisher.publish(plan.ready);
        this.#remember(plan.ready);
        published += plan.ready.length;
      }
      if (plan.gaps.length > 0) {
        metrics.record('RelayStreamGaps', plan.gaps.length, 'Count', { Relay: name });
        const shown = plan.gaps.map((gap) => `${gap.streamId} expected version ${gap.expectedVersion}, found ${gap.foundVersion}`).join('; ');
        return err({ code: 'RELAY.STREAM_GAP', message: `relay ${name} holds at a gap: ${shown}`, gaps: plan.gaps, position });
      }
      const moved = batch.position !== position;
      if (moved) await checkpoints.save(name, batch.position);
      position = batch.position;
      if (batch.events.length === 0 || !moved) return ok({ published, position });
    }
  }

  #remember(events: readonly EventEnvelope[]): void {
    for (const { streamId, version } of events) {
      this.#lastPublished.delete(streamId);
      this.#lastPublished.set(streamId, version);
    }
    for (const streamId of this.#lastPublished.keys()) {
      if (this.#lastPublished.size <= this.options.rememberedStreams) break;
      this.#lastPublished.delete(streamId);
    }
  }
}
