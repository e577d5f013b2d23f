import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuidV7, newEventIds, uuidV7Minter, uuidV7Timestamp, type UuidV7Sources } from '../../../src/application/events/event-ids.js';

/** A clock the test sets and randomness that is all zeros, or all ones. */
const fixed = (start: number, fill = 0): UuidV7Sources & { set(ms: number): void } => {
  let now = start;
  return { now: () => now, random: (bytes) => void bytes.fill(fill), set: (ms) => void (now = ms) };
};

const strictlyIncreasing = (ids: readonly string[]): boolean => ids.every((id, index) => index === 0 || (ids[index - 1] as string) < id);

describe('UUIDv7 event ids (RFC 9562)', () => {
  it('lays out the timestamp, version, counter, variant and random bits', () => {
    // 1,700,000,000,000 ms is 0x018bcfe56800.
    const zeros = uuidV7Minter(fixed(1_700_000_000_000));
    expect([zeros(), zeros(), zeros()]).toEqual(['018bcfe5-6800-7000-8000-000000000000', '018bcfe5-6800-7001-8000-000000000000', '018bcfe5-6800-7002-8000-000000000000']);
    // Random bits all set: the counter starts in its lower half (0x7ff), the variant stays 0b10.
    const ones = uuidV7Minter(fixed(0, 0xff));
    expect(ones()).toBe('00000000-0000-77ff-bfff-ffffffffffff');
    expect(uuidV7Minter(fixed(2 ** 48 - 1))()).toMatch(/^ffffffff-ffff-7/);
  });

  it('has the canonical shape and carries its timestamp', () => {
    const before = Date.now();
    const [id] = newEventIds(1) as [string];
    expect(isUuidV7(id)).toBe(true);
    expect(uuidV7Timestamp(id)).toBeGreaterThanOrEqual(before);
    expect(uuidV7Timestamp(id)).toBeLessThanOrEqual(Date.now());
    expect(isUuidV7(crypto.randomUUID())).toBe(false);
  });

  it('mints distinct ids in order, within a commit and across commits', () => {
    const commits = Array.from({ length: 200 }, () => newEventIds(100));
    const all = commits.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(strictlyIncreasing(all)).toBe(true);
    expect(all.every(isUuidV7)).toBe(true);
  });

  it('keeps order when one millisecond runs out of counter values, borrowing the next millisecond', () => {
    const clock = fixed(1_000);
    const mint = uuidV7Minter(clock);
    const ids = Array.from({ length: 5_000 }, () => mint());
    expect(strictlyIncreasing(ids)).toBe(true);
    expect(uuidV7Timestamp(ids[0] as string)).toBe(1_000);
    expect(uuidV7Timestamp(ids.at(-1) as string)).toBeGreaterThan(1_000);
    // The clock catches up: minting goes on from the later of the two.
    clock.set(1_001);
    const next = mint();
    expect(next > (ids.at(-1) as string)).toBe(true);
  });

  it('keeps order whatever the clock does, stepping back included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: 255 }), (readings, fill) => {
        const clock = fixed(0, fill);
        const mint = uuidV7Minter(clock);
        const ids = readings.map((ms) => {
          clock.set(ms);
          return mint();
        });
        return strictlyIncreasing(ids) && ids.every(isUuidV7) && uuidV7Timestamp(ids.at(-1) as string) >= Math.max(...readings);
      }),
    );
  });

  it('refuses a clock outside what 48 bits hold', () => {
    expect(() => uuidV7Minter(fixed(-1))()).toThrow(RangeError);
    expect(() => uuidV7Minter(fixed(2 ** 48))()).toThrow(RangeError);
  });
});
