import type { DeadLetterStore } from '../ports/dead-letter-sink.js';
import type { Metrics } from '../ports/metrics.js';

const PAGE = 500;
/** Beyond this many the gauge reads this many: an alarm fires above 0, and counting further only costs reads. */
export const DEAD_LETTERS_COUNTED_UP_TO = 10_000;

/**
 * Records `DeadLetters`, the dead letters outstanding now (set aside, neither replayed nor discarded), and returns
 * it: the gauge an alarm watches, where `EventsDeadLettered` only counts them as they come.
 */
export const recordDeadLetters = async (deadLetters: DeadLetterStore, metrics: Metrics): Promise<number> => {
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const page = await deadLetters.list(PAGE, after);
    count += page.length;
    if (page.length < PAGE || count >= DEAD_LETTERS_COUNTED_UP_TO) break;
    after = page.at(-1)?.event.eventId;
  }
  const outstanding = Math.min(count, DEAD_LETTERS_COUNTED_UP_TO);
  metrics.record('DeadLetters', outstanding, 'Count', {});
  return outstanding;
};
