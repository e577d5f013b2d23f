import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import type { DeadLetter, DeadLetterStore } from '../../src/application/ports/dead-letter-sink.js';
import { anEvent } from '../support/event-mother.js';

const aLetter = (deadLetteredAt: string, overrides: Partial<DeadLetter> = {}): DeadLetter => {
  const event: EventEnvelope = { ...anEvent(), eventId: randomUUID(), streamId: `Order-${randomUUID()}`, version: 1, recordedAt: '2026-01-01T10:00:00.000Z', globalPosition: null, storedSchemaVersion: 1 } as EventEnvelope;
  return { event, code: 'PUBLISH.REJECTED_BY_BUS', message: 'MalformedDetail: detail is not valid JSON', busErrorCode: 'MalformedDetail', deadLetteredAt, ...overrides };
};

/** What every durable dead-letter store must do. The store may hold other tests' letters: only ours are looked at. */
export const deadLetterStoreContract = (adapter: string, fixture: () => DeadLetterStore): void => {
  describe(`DeadLetterStore contract: ${adapter}`, () => {
    it('keeps a letter exactly as given, found by its event id', async () => {
      const store = fixture();
      const letter = aLetter('2026-02-01T10:00:00.000Z');
      await store.put([letter]);
      expect(await store.get(letter.event.eventId)).toEqual(letter);
      expect(await store.get(randomUUID())).toBeNull();
    });

    it('replaces the letter of an event that is set aside again', async () => {
      const store = fixture();
      const letter = aLetter('2026-02-01T10:00:00.000Z');
      await store.put([letter]);
      await store.put([{ ...letter, code: 'PUBLISH.ENTRY_TOO_LARGE', busErrorCode: null, message: 'too large', deadLetteredAt: '2026-02-02T10:00:00.000Z' }]);
      expect(await store.get(letter.event.eventId)).toMatchObject({ code: 'PUBLISH.ENTRY_TOO_LARGE', busErrorCode: null });
    });

    it('lists oldest first, a page at a time', async () => {
      const store = fixture();
      // Far in the future, so that no other test's letter sorts after ours.
      const year = 3000 + Math.floor(Math.random() * 5000);
      const letters = [3, 1, 2].map((day) => aLetter(`${year}-01-0${day}T00:00:00.000Z`));
      await store.put(letters);
      const all: DeadLetter[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.list(2, after);
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        all.push(...page);
        after = page.at(-1)?.event.eventId;
      }
      const ours = all.filter((letter) => letters.some((l) => l.event.eventId === letter.event.eventId));
      expect(ours.map((letter) => letter.deadLetteredAt)).toEqual([1, 2, 3].map((day) => `${year}-01-0${day}T00:00:00.000Z`));
    });

    it('removes a letter once, and says whether there was one', async () => {
      const store = fixture();
      const letter = aLetter('2026-02-01T10:00:00.000Z');
      await store.put([letter]);
      expect(await store.remove(letter.event.eventId)).toBe(true);
      expect(await store.remove(letter.event.eventId)).toBe(false);
      expect(await store.get(letter.event.eventId)).toBeNull();
    });
  });
};
