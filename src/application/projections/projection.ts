import type { EventEnvelope } from '../events/envelope.js';

/** A named handler of committed events that keeps one read model. Must be idempotent: delivery is at least once. */
export interface Projection {
  readonly name: string;
  readonly handles: ReadonlySet<string>;
  apply(event: EventEnvelope): Promise<void>;
}
