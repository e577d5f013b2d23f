import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanForCardNumbers } from '../../src/application/compliance/card-number-scan.js';
import type { DeadLetterSink } from '../../src/application/ports/dead-letter-sink.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import type { StoredTextSource } from '../../src/application/ports/stored-text.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import { anEvent, aStreamId } from '../support/event-mother.js';

export interface StoredTextFixture {
  readonly source: StoredTextSource;
  readonly eventStore: EventStore;
  readonly deadLetters: DeadLetterSink;
}

/**
 * What every store's "everything stored, as text" must do: reach every table, nested fields and numbers included,
 * and say where each value is. The store may hold other tests' data: only what this suite planted is looked for.
 */
export const storedTextContract = (adapter: string, fixture: () => StoredTextFixture): void => {
  describe(`StoredTextSource contract: ${adapter}`, () => {
    it('reaches nested event fields, whole numbers and other tables, and names where each finding is without the number', async () => {
      const { source, eventStore, deadLetters } = fixture();
      const streamId = aStreamId();
      const event = anEvent();
      // A card number as a JSON number too: read with every digit, where JSON.parse would not matter for 15 digits but would for 19.
      const data = { ...(event.data as object), shippingAddress: { line1: 'card 4111 1111 1111 1111', city: 'Lisbon' }, totalAmount: 378_282_246_310_005 };
      (await eventStore.append(streamId, [{ ...event, data }], 'no-stream'))._unsafeUnwrap();
      const letterId = randomUUID();
      const letter = { ...anEvent(), eventId: letterId, streamId: `Order-${letterId}`, version: 1, recordedAt: '2026-01-01T10:00:00.000Z', globalPosition: null, storedSchemaVersion: 1 } as EventEnvelope;
      await deadLetters.put([{ event: letter, code: 'PUBLISH.REJECTED_BY_BUS', message: 'bus said: 6011-0009-9013-9424 is bad', busErrorCode: 'X', deadLetteredAt: '2026-01-01T10:00:00.000Z' }]);

      const report = await scanForCardNumbers([source]);
      const ours = report.findings.filter((f) => f.location.includes(streamId));
      expect(ours).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: expect.stringContaining('shippingAddress.line1'), last4: '1111', brand: 'visa' }),
          expect.objectContaining({ field: expect.stringContaining('totalAmount'), last4: '0005', brand: 'amex' }),
        ]),
      );
      expect(ours.every((f) => /version=1/i.test(f.location))).toBe(true);
      expect(report.findings.some((f) => f.location.includes(letterId) && f.last4 === '9424')).toBe(true);
      const printed = JSON.stringify(report);
      for (const digits of ['4111111111111111', '378282246310005', '6011000990139424']) expect(printed).not.toContain(digits);
      expect(report.valuesScanned).toBeGreaterThan(20);
    });
  });
};
