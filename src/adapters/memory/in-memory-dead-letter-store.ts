import type { DeadLetter, DeadLetterStore } from '../../application/ports/dead-letter-sink.js';
import { deadLetterOrder } from '../../application/relay/dead-letter-order.js';

/** Dead letters by event id, in the process: for the memory environment and tests. */
export class InMemoryDeadLetterStore implements DeadLetterStore {
  readonly #byEventId = new Map<string, DeadLetter>();

  async put(letters: readonly DeadLetter[]): Promise<void> {
    for (const letter of letters) this.#byEventId.set(letter.event.eventId, structuredClone(letter));
  }

  async list(limit: number, after?: string): Promise<DeadLetter[]> {
    const sorted = [...this.#byEventId.values()].sort(deadLetterOrder);
    const start = after === undefined ? 0 : sorted.findIndex((letter) => letter.event.eventId === after) + 1;
    return sorted.slice(start, start + limit).map((letter) => structuredClone(letter));
  }

  async get(eventId: string): Promise<DeadLetter | null> {
    const letter = this.#byEventId.get(eventId);
    return letter === undefined ? null : structuredClone(letter);
  }

  async remove(eventId: string): Promise<boolean> {
    return this.#byEventId.delete(eventId);
  }
}
