import type { DeadLetter, DeadLetterStore } from '../ports/dead-letter-sink.js';
import { eventLogFields, type Logger } from '../ports/logger.js';

/**
 * Every letter set aside makes a warning line about its event, whoever set it aside (the bus refused it, the
 * relay met a hole in its stream): a dead letter is an event subscribers will not see until an operator acts.
 */
export class LoggedDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly letters: DeadLetterStore,
    private readonly logger: Logger,
  ) {}

  async put(letters: readonly DeadLetter[]): Promise<void> {
    await this.letters.put(letters);
    for (const letter of letters) {
      this.logger.warn('event set aside as a dead letter', { ...eventLogFields(letter.event), deadLetterCode: letter.code, busErrorCode: letter.busErrorCode, error: letter.message });
    }
  }

  list(limit: number, after?: string): Promise<DeadLetter[]> {
    return this.letters.list(limit, after);
  }

  get(eventId: string): Promise<DeadLetter | null> {
    return this.letters.get(eventId);
  }

  async remove(eventId: string): Promise<boolean> {
    const removed = await this.letters.remove(eventId);
    if (removed) this.logger.info('dead letter removed (replayed or discarded)', { eventId });
    return removed;
  }
}
