import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotPolicy } from '../../../src/application/repository/snapshot-policy.js';

describe('SnapshotPolicy', () => {
  it('snapshots every 100 events by default', () => {
    const policy = new SnapshotPolicy();
    expect([policy.shouldSnapshot(98, 99), policy.shouldSnapshot(99, 100), policy.shouldSnapshot(100, 101), policy.shouldSnapshot(199, 200)]).toEqual([false, true, false, true]);
  });

  it('snapshots when a multi-event commit jumps over a multiple of N', () => {
    const policy = new SnapshotPolicy(10);
    expect(policy.shouldSnapshot(8, 12)).toBe(true);
    expect(policy.shouldSnapshot(0, 35)).toBe(true);
    expect(policy.shouldSnapshot(10, 19)).toBe(false);
    expect(policy.shouldSnapshot(11, 20)).toBe(true);
  });

  it('snapshots exactly when a commit crosses a multiple of N', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.nat(1000), fc.integer({ min: 1, max: 100 }), (every, before, size) => {
        const crossed = Array.from({ length: size }, (_, i) => before + i + 1).some((version) => version % every === 0);
        expect(new SnapshotPolicy(every).shouldSnapshot(before, before + size)).toBe(crossed);
      }),
    );
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses a frequency of %s', (every) => {
    expect(() => new SnapshotPolicy(every)).toThrow(/positive integer/);
  });
});
