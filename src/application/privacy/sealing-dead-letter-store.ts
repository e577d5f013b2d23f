import type { DeadLetter, DeadLetterStore } from '../ports/dead-letter-sink.js';
import type { PersonalDataCodec } from './personal-data-codec.js';
import { openEvent, sealEvent } from './personal-fields.js';

/**
 * Dead letters hold the event as it was handed to the bus, personal fields included: they are sealed again
 * before the letter is kept, and opened (ERASED once the subject is) when it is read or replayed.
 */
export class SealingDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly letters: DeadLetterStore,
    private readonly codec: PersonalDataCodec,
  ) {}

  async put(letters: readonly DeadLetter[]): Promise<void> {
    const sealed = await Promise.all(letters.map(async (letter) => ({ ...letter, event: await sealEvent(letter.event, letter.event.streamId, this.codec) })));
    await this.letters.put(sealed);
  }

  async list(limit: number, after?: string): Promise<DeadLetter[]> {
    return Promise.all((await this.letters.list(limit, after)).map((letter) => this.#open(letter)));
  }

  async get(eventId: string): Promise<DeadLetter | null> {
    const letter = await this.letters.get(eventId);
    return letter === null ? null : this.#open(letter);
  }

  remove(eventId: string): Promise<boolean> {
    return this.letters.remove(eventId);
  }

  async #open(letter: DeadLetter): Promise<DeadLetter> {
    return { ...letter, event: await openEvent(letter.event, this.codec) };
  }
}
