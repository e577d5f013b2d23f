/**
 * Snapshot every N events, taken when a commit crosses a multiple of N.
 * (`version % N == 0` misses the boundary whenever a multi-event commit jumps over it.)
 */
export class SnapshotPolicy {
  constructor(readonly every = 100) {
    if (!Number.isSafeInteger(every) || every < 1) throw new Error(`snapshot frequency must be a positive integer, got ${every}`);
  }

  shouldSnapshot(versionBefore: number, versionAfter: number): boolean {
    return Math.floor(versionAfter / this.every) > Math.floor(versionBefore / this.every);
  }
}
