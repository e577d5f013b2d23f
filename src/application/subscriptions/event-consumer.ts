import type { EventEnvelope } from '../events/envelope.js';

/**
 * Why a consumer stopped at an event rather than handle it:
 * - POISON: its handler kept failing while the store was healthy;
 * - STREAM_HOLE: a version before it is missing from the store itself, so applying it would skip one.
 */
export type StopReason = 'POISON' | 'STREAM_HOLE';

export interface ConsumerFailure {
  readonly reason: StopReason;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly version: number;
  readonly attempts: number;
  readonly message: string;
  readonly at: string;
}

export type ConsumerOutcome =
  | { readonly status: 'handled'; readonly handled: number; readonly lastRecordedAt: string | null }
  /** `index`: the failing event's place in the batch; everything before it was handled. */
  | { readonly status: 'stopped'; readonly handled: number; readonly index: number; readonly failure: ConsumerFailure };

/** Where a batch's checkpoint goes; a consumer stores it with the batch's effects (in one transaction where it can). */
export interface CheckpointTarget {
  readonly key: string;
  readonly position: string;
  /** The lease's fence: a holder that lost its lease can never move the checkpoint. */
  readonly fence?: number;
}

/**
 * One consumer of the committed-event feed: a projection, the relay, a workflow. The same code runs under the
 * in-process poller (with checkpoints and a lease) and under a Lambda event source mapping (which keeps the
 * position itself: no checkpoint). It must be idempotent per (stream, version) and rely on per-stream order only.
 */
export interface EventConsumer {
  /** Its lease's name and its metrics' dimension. */
  readonly name: string;
  /**
   * True for a consumer that takes events as the store holds them, personal fields sealed (the replica copies them
   * as they are); every other consumer reads them opened.
   */
  readonly takesSealed?: boolean;
  /** Called before each run: where its checkpoint lives now, or null when it is stopped at an event and must not be fed. */
  begin(): Promise<{ readonly checkpointKey: string } | null>;
  /**
   * Handles a batch. Rejects (nothing counted against the events) when infrastructure failed: the runner
   * retries the batch with back-off. Resolves 'stopped' at a poison event or a real hole, recorded durably.
   */
  handle(events: readonly EventEnvelope[], checkpoint: CheckpointTarget | null): Promise<ConsumerOutcome>;
  /** The feed trimmed records this consumer had not read: recover them from the store's archive before going on. */
  recoverExpired(): Promise<void>;
}
