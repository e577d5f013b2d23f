import type { DeadLetterStore } from '../ports/dead-letter-sink.js';
import type { Metrics } from '../ports/metrics.js';

const PAGE = 500;
/** Beyond this many the gauge reads this many: an alarm fires above 0, and counting further only costs reads. */
export const DEAD_LETTERS_COUNTED_UP_TO = 10_000;
/** Room for a few restarts of the paging, each a letter removed under the cursor, before the count settles for what it has. */
const MAX_PAGES = 2 * Math.ceil(DEAD_LETTERS_COUNTED_UP_TO / PAGE);

/**
 * Records `DeadLetters`, the dead letters outstanding now (set aside, neither replayed nor discarded), and returns
 * it: the gauge an alarm watches, where `EventsDeadLettered` only counts them as they come.
 */
export const recordDeadLetters = async (deadLetters: DeadLetterStore, metrics: Metrics): Promise<number> => {
  // Counted by event id: a page whose cursor letter was replayed or discarded meanwhile starts again from the
  // oldest, and the letters it repeats must not count twice. The pages are bounded for the same reason.
  const seen = new Set<string>();
  let after: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    const page = await deadLetters.list(PAGE, after);
    for (const letter of page) seen.add(letter.event.eventId);
    if (page.length < PAGE || seen.size >= DEAD_LETTERS_COUNTED_UP_TO) break;
    after = page.at(-1)?.event.eventId;
  }
  const outstanding = Math.min(seen.size, DEAD_LETTERS_COUNTED_UP_TO);
  metrics.record('DeadLetters', outstanding, 'Count', {});
  return outstanding;
};
