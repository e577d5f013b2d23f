import type { EventEnvelope } from '../events/envelope.js';
import type { StreamReadOptions } from '../ports/event-store.js';
import type { ReadModelCatalog, ReadModelKind } from '../ports/read-models.js';

/**
 * What a projection may read beside the event in hand: a stream's events straight from the store (upcast).
 * Feeds promise order within a stream only, so an event that names another stream (a payment naming its
 * order) may arrive before that stream's events; the store has them.
 */
export interface ProjectionContext {
  readStream(streamId: string, options?: StreamReadOptions): Promise<EventEnvelope[]>;
}

/**
 * A named, versioned handler of committed events that keeps one read model. Delivery is at least once
 * and ordered only within a stream: the engine skips versions a generation already applied and fills
 * holes from the store, and `apply` stays idempotent anyway. Bump `version` when the read model's
 * meaning changes: the projection is then rebuilt into a fresh generation.
 */
export interface ProjectionDefinition<RM> {
  readonly name: string;
  readonly version: number;
  readonly readModelKind: ReadModelKind;
  /** The aggregate types whose streams it follows, version by version. */
  readonly streams: ReadonlySet<string>;
  /** The event types it applies; other events of its streams only move its per-stream version on. */
  readonly handles: ReadonlySet<string>;
  readModel(catalog: ReadModelCatalog, generation: string): RM;
  apply(readModel: RM, event: EventEnvelope, context: ProjectionContext): Promise<void>;
  /**
   * Where a projection can, a batch's events in one read and one write of the read model: the same outcome
   * as `apply` event by event, in order. Used for whole batches committed in one transaction; a batch that
   * fails is gone through event by event with `apply`.
   */
  applyBatch?(readModel: RM, events: readonly EventEnvelope[], context: ProjectionContext): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of projections over different read models
export type AnyProjection = ProjectionDefinition<any>;

/** Streams are named `<AggregateType>-<id>`. */
export const aggregateTypeOf = (streamId: string): string => streamId.slice(0, Math.max(0, streamId.indexOf('-')));
export const aggregateIdOf = (streamId: string): string => streamId.slice(streamId.indexOf('-') + 1);

/** A read model of one row per stream (an order, a SKU), read and written a batch at a time. */
export interface RowsByStream<Row> {
  getMany(ids: readonly string[]): Promise<Map<string, Row>>;
  upsertMany(rows: readonly Row[]): Promise<void>;
}

/**
 * A batch in one read and one write of such a read model: each event folded into its stream's row in order, as
 * `apply` does one event at a time. `fold` answers null for an event that changes nothing.
 */
export const foldIntoRows = async <Row>(rows: RowsByStream<Row>, events: readonly EventEnvelope[], fold: (current: Row | null, event: EventEnvelope) => Row | null): Promise<void> => {
  const current = await rows.getMany([...new Set(events.map((event) => aggregateIdOf(event.streamId)))]);
  const changed = new Map<string, Row>();
  for (const event of events) {
    const id = aggregateIdOf(event.streamId);
    const next = fold(current.get(id) ?? null, event);
    if (next === null) continue;
    current.set(id, next);
    changed.set(id, next);
  }
  await rows.upsertMany([...changed.values()]);
};
