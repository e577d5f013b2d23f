import type { EventEnvelope } from '../events/envelope.js';
import type { ReadModelCatalog, ReadModelKind } from '../ports/read-models.js';

/**
 * A named, versioned handler of committed events that keeps one read model. Delivery is at least
 * once, so `apply` must be idempotent (per-stream version or event id). Bump `version` when the
 * read model's meaning changes: the projection is then rebuilt into a fresh generation.
 */
export interface ProjectionDefinition<RM> {
  readonly name: string;
  readonly version: number;
  readonly readModelKind: ReadModelKind;
  readonly handles: ReadonlySet<string>;
  readModel(catalog: ReadModelCatalog, generation: string): RM;
  apply(readModel: RM, event: EventEnvelope): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of projections over different read models
export type AnyProjection = ProjectionDefinition<any>;
