import { describe, expect, it } from 'vitest';
import { isoFromUtcText } from '../../src/adapters/postgres/event-rows.js';
import { FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import { aStreamId, anEvent } from '../support/event-mother.js';
import { postgresForFile } from '../support/postgres-fixture.js';

const clock = new FixedClock('2026-05-06T07:08:09.010Z');

const postgres = postgresForFile(clock);

describe('instants in the PostgreSQL event store', () => {
  it.each([
    ['whole seconds', '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00.000Z'],
    ['a tenth', '2026-01-01T10:00:00.100Z', '2026-01-01T10:00:00.100Z'],
    ['hundredths', '2026-01-01T10:00:00.120Z', '2026-01-01T10:00:00.120Z'],
    ['milliseconds', '1999-12-31T23:59:59.999Z', '1999-12-31T23:59:59.999Z'],
    ['an offset, kept as the same instant in UTC', '2026-01-01T12:00:00.5+02:00', '2026-01-01T10:00:00.500Z'],
  ])('reads back %s as ISO 8601 in UTC with milliseconds', async (_name, given, expected) => {
    const streamId = aStreamId();
    await postgres().adapters.eventStore.append(streamId, [anEvent({ occurredAt: given })], 'no-stream');
    const [stored] = await postgres().adapters.eventStore.readStream(streamId);
    expect(stored?.occurredAt).toBe(expected);
    expect(stored?.recordedAt).toBe('2026-05-06T07:08:09.010Z');
  });

  it('keeps milliseconds when the server prints microseconds', () => {
    expect(isoFromUtcText('2026-01-01 10:00:00.123456')).toBe('2026-01-01T10:00:00.123Z');
    expect(isoFromUtcText('2026-01-01 10:00:00')).toBe('2026-01-01T10:00:00.000Z');
  });
});
