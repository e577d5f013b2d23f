import type { EventEnvelope } from '../events/envelope.js';
import type { GlobalEventLog } from '../ports/event-store.js';

/**
 * Stands in for the global log on a store that keeps none (DynamoDB): projections there must be fed
 * from the store's own change feed, which the engine does not read yet. Any attempt says so plainly.
 */
export class NoGlobalLog implements GlobalEventLog {
  constructor(private readonly store: string) {}

  readAll(): Promise<EventEnvelope[]> {
    return Promise.reject(new Error(`the ${this.store} store keeps no global log, so its read models cannot be projected by this engine yet`));
  }

  headPosition(): Promise<number> {
    return this.readAll().then(() => 0);
  }
}
