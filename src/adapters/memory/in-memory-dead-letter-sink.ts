import type { DeadLetter, DeadLetterSink } from '../../application/ports/dead-letter-sink.js';

/** Keeps dead letters by event id, for local runs and tests. */
export class InMemoryDeadLetterSink implements DeadLetterSink {
  readonly #byEventId = new Map<string, DeadLetter>();

  async put(letters: readonly DeadLetter[]): Promise<void> {
    for (const letter of letters) this.#byEventId.set(letter.event.eventId, structuredClone(letter));
  }

  letters(): DeadLetter[] {
    return [...this.#byEventId.values()].map((letter) => structuredClone(letter));
  }
}
