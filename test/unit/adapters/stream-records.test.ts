import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WireAttributeValue } from '../../../src/adapters/dynamodb/attribute-values.js';
import { eventItem } from '../../../src/adapters/dynamodb/event-item.js';
import { eventsOfStreamRecords, firstToResend, type EventTableRecord } from '../../../src/adapters/dynamodb/stream-records.js';
import { anEvent } from '../../support/event-mother.js';

/** A stream record of one stored event, in the wire shape Lambda hands over. */
const record = (streamId: string, version: number, sequenceNumber: string): EventTableRecord => {
  const item = eventItem(streamId, version, randomUUID(), anEvent(), '2026-03-01T09:00:00.000Z') as unknown as Record<string, string | number>;
  const image: Record<string, WireAttributeValue> = Object.fromEntries(
    Object.entries(item).map(([name, value]) => [name, typeof value === 'number' ? { N: String(value) } : { S: value }]),
  );
  return { eventID: sequenceNumber, eventName: 'INSERT', dynamodb: { NewImage: image, SequenceNumber: sequenceNumber } };
};

describe('Lambda stream records', () => {
  it('keep each event with its own record when a stream is put back in version order', () => {
    const batch = [record('Order-s', 2, '100'), record('Order-t', 1, '200'), record('Order-s', 1, '300')];
    const events = eventsOfStreamRecords(batch);
    expect(events.map(({ event, sequenceNumber }) => [event.streamId, event.version, sequenceNumber])).toEqual([
      ['Order-s', 1, '300'],
      ['Order-t', 1, '200'],
      ['Order-s', 2, '100'],
    ]);
  });

  it('resend from the earliest record of anything not handled, whatever its place in the batch', () => {
    const events = eventsOfStreamRecords([record('Order-s', 2, '100'), record('Order-t', 1, '200'), record('Order-s', 1, '300')]);
    // Order-t v1 failed: it and Order-s v2 (held in the first record) must both come again.
    expect(firstToResend(events.slice(1))).toBe('100');
    expect(firstToResend(events.slice(2))).toBe('100');
    expect(firstToResend([])).toBeNull();
    // Sequence numbers are integers longer than a double holds, compared as such.
    const long = eventsOfStreamRecords([record('Order-u', 1, '49590338271490256608559692538361571095921575989136588899'), record('Order-v', 1, '9')]);
    expect(firstToResend(long)).toBe('9');
  });
});
