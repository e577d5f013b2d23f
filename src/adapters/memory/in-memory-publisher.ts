import type { EventEnvelope } from '../../application/events/envelope.js';
import type { EventPublisher } from '../../application/ports/event-publisher.js';

/** A bus inside the process: keeps what was published, for local runs and tests. */
export class InMemoryPublisher implements EventPublisher {
  readonly published: EventEnvelope[] = [];

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    this.published.push(...events.map((event) => structuredClone(event)));
  }
}
