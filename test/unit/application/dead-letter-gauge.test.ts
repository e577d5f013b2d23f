import { describe, expect, it } from 'vitest';
import { InMemoryDeadLetterStore } from '../../../src/adapters/memory/in-memory-dead-letter-store.js';
import { InMemoryMetrics } from '../../../src/adapters/memory/in-memory-metrics.js';
import { recordDeadLetters } from '../../../src/application/relay/dead-letter-gauge.js';
import type { EventEnvelope } from '../../../src/application/events/envelope.js';

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
});
