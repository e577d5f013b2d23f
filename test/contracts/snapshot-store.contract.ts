import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SnapshotStore, StoredSnapshot } from '../../src/application/ports/snapshot-store.js';

const aSnapshot = (streamId: string, version: number, overrides: Partial<StoredSnapshot> = {}): StoredSnapshot => ({
  streamId,
  aggregateType: 'Inventory',
  aggregateId: streamId.slice('Inventory-'.length),
  version,
  stateSchemaVersion: 1,
  state: { onHand: version * 10, reservations: { [`order-${version}`]: version }, allocated: 0 },
  createdAt: '2026-01-01T10:00:00.000Z',
  lastModifiedAt: `2026-01-01T10:00:${String(version % 60).padStart(2, '0')}.000Z`,
  takenAt: '2026-01-02T08:30:00.000Z',
  ...overrides,
});

const aStreamId = (): string => `Inventory-${randomUUID()}`;

/** What every snapshot-store adapter must do. `fixture` is called once per test and may share one database. */
export const snapshotStoreContract = (adapter: string, fixture: () => SnapshotStore): void => {
  describe(`SnapshotStore contract: ${adapter}`, () => {
    it('has no snapshot of a stream it was never given one for', async () => {
      expect(await fixture().latest(aStreamId())).toBeNull();
      expect(await fixture().latest(aStreamId(), 10)).toBeNull();
    });

    it('round-trips every field, whatever the shape of the state', async () => {
      const store = fixture();
      const streamId = aStreamId();
      const state = { text: 'naïve café — 注文', nested: { list: [1, 'two', null, { three: 3 }], flag: false }, zero: 0, big: Number.MAX_SAFE_INTEGER, none: null };
      const snapshot = aSnapshot(streamId, 7, { state, stateSchemaVersion: 4, createdAt: null, lastModifiedAt: null });
      await store.save(snapshot);
      expect(await store.latest(streamId)).toEqual(snapshot);
    });

    it('gives the newest snapshot, whatever order they were saved in', async () => {
      const store = fixture();
      const streamId = aStreamId();
      for (const version of [3, 9, 6]) await store.save(aSnapshot(streamId, version));
      expect(await store.latest(streamId)).toEqual(aSnapshot(streamId, 9));
    });

    it('gives the newest snapshot at or below a version, for temporal loads', async () => {
      const store = fixture();
      const streamId = aStreamId();
      for (const version of [3, 6, 9]) await store.save(aSnapshot(streamId, version));
      expect((await store.latest(streamId, 7))?.version).toBe(6);
      expect((await store.latest(streamId, 6))?.version).toBe(6);
      expect((await store.latest(streamId, 100))?.version).toBe(9);
      expect(await store.latest(streamId, 2)).toBeNull();
    });

    it('keeps streams apart', async () => {
      const store = fixture();
      const [a, b] = [aStreamId(), aStreamId()];
      await store.save(aSnapshot(a, 5));
      await store.save(aSnapshot(b, 2));
      expect((await store.latest(a))?.version).toBe(5);
      expect((await store.latest(b))?.version).toBe(2);
    });

    it('accepts the same version saved again and keeps a single one', async () => {
      const store = fixture();
      const streamId = aStreamId();
      await store.save(aSnapshot(streamId, 4));
      await store.save(aSnapshot(streamId, 4, { takenAt: '2026-01-03T08:30:00.000Z' }));
      await store.save(aSnapshot(streamId, 2));
      expect((await store.latest(streamId))?.version).toBe(4);
      expect((await store.latest(streamId, 3))?.version).toBe(2);
    });
  });
};
