import { describe, expect, it } from 'vitest';
import { InMemoryDeadLetterStore } from '../../../src/adapters/memory/in-memory-dead-letter-store.js';
import { InMemoryMetrics } from '../../../src/adapters/memory/in-memory-metrics.js';
import { recordDeadLetters } from '../../../src/application/relay/dead-letter-gauge.js';
import type { EventEnvelope } from '../../../src/application/events/envelope.js';
import type { DeadLetterStore } from '../../../src/application/ports/dead-letter-sink.js';

const letter = (n: number) => ({
  event: { eventId: `e-${n}`, streamId: `Order-${n}`, version: 1, type: 'OrderCreated', schemaVersion: 3, data: {}, metadata: { correlationId: 'c', causationId: null, actor: 'a' }, occurredAt: '2026-03-01T09:00:00.000Z', recordedAt: '2026-03-01T09:00:00.000Z', globalPosition: null } satisfies EventEnvelope,
  code: 'RELAY.STREAM_HOLE' as const,
  message: 'hole',
  busErrorCode: null,
  deadLetteredAt: '2026-03-01T09:00:00.000Z',
});

describe('the DeadLetters gauge', () => {
  it('records the dead letters outstanding now, across pages, and 0 once they are gone', async () => {
    const store = new InMemoryDeadLetterStore();
    const metrics = new InMemoryMetrics();
    await store.put(Array.from({ length: 501 }, (_, n) => letter(n)));
    expect(await recordDeadLetters(store, metrics)).toBe(501);
    for (let n = 0; n < 501; n += 1) await store.remove(`e-${n}`);
    await recordDeadLetters(store, metrics);
    expect(metrics.samples('DeadLetters').map((sample) => [sample.value, sample.unit, sample.dimensions])).toEqual([
      [501, 'Count', {}],
      [0, 'Count', {}],
    ]);
  });

  it('counts each letter once when the letter a page ended at is removed before the next page is read', async () => {
    const store = new InMemoryDeadLetterStore();
    await store.put(Array.from({ length: 501 }, (_, n) => letter(n)));
    // An operator replays the cursor letter between pages: the store no longer finds it and starts again from the oldest.
    const replayedMeanwhile: DeadLetterStore = {
      put: async (letters) => store.put(letters),
      get: async (eventId) => store.get(eventId),
      remove: async (eventId) => store.remove(eventId),
      list: async (limit, after) => {
        const page = await store.list(limit, after);
        if (after === undefined) await store.remove(page.at(-1)?.event.eventId ?? '');
        return page;
      },
    };
    // 501 letters were outstanding while counted (the replayed one among them); paging again from the start is not 1,001.
    expect(await recordDeadLetters(replayedMeanwhile, new InMemoryMetrics())).toBe(501);
  });
});
