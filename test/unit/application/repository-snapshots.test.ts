import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decideInventory, Inventory } from '../../../src/domain/index.js';
import { metadata } from '../../support/event-mother.js';
import { aContext, memoryCore, type MemoryCore } from './memory-core.js';

const day = (n: number) => `2026-04-${String(n).padStart(2, '0')}T12:00:00.000Z`;
/** Receiving n units on day n makes the stock after version v the v-th triangular number. */
const onHandAt = (version: number) => (version * (version + 1)) / 2;

const receiveDaily = async (core: MemoryCore, sku: string, from: number, to: number): Promise<void> => {
  for (let n = from; n <= to; n += 1) {
    core.clock.set(day(n));
    (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: n }, aContext()))._unsafeUnwrap();
  }
};

const lastEventsLoaded = (core: MemoryCore) => core.metrics.samples('EventsLoaded').at(-1)?.value;

describe('AggregateRepository with snapshots', () => {
  it('takes a snapshot when a commit reaches a multiple of N', async () => {
    const core = memoryCore({ snapshotEvery: 3 });
    const sku = randomUUID();
    await receiveDaily(core, sku, 1, 2);
    expect(await core.snapshots.latest(`Inventory-${sku}`)).toBeNull();
    await receiveDaily(core, sku, 3, 5);
    expect(await core.snapshots.latest(`Inventory-${sku}`)).toMatchObject({ version: 3, state: { onHand: onHandAt(3) }, stateSchemaVersion: Inventory.stateSchemaVersion, takenAt: day(3) });
  });

  it('takes a snapshot when a multi-event commit jumps over a multiple of N', async () => {
    const core = memoryCore({ snapshotEvery: 3 });
    const sku = randomUUID();
    await receiveDaily(core, sku, 1, 2);
    const aggregate = (await core.repository.load(Inventory, sku))._unsafeUnwrap();
    for (const quantity of [3, 4]) aggregate.execute((state) => decideInventory({ type: 'ReceiveStock', sku, quantity, now: day(quantity) }, state));
    (await core.repository.save(aggregate, metadata()))._unsafeUnwrap();
    expect(await core.snapshots.latest(`Inventory-${sku}`)).toMatchObject({ version: 4, state: { onHand: onHandAt(4) } });
  });

  it('loads from the latest snapshot plus the events after it', async () => {
    const core = memoryCore({ snapshotEvery: 3 });
    const sku = randomUUID();
    await receiveDaily(core, sku, 1, 7);
    const aggregate = (await core.repository.load(Inventory, sku))._unsafeUnwrap();
    expect([aggregate.version, aggregate.state.onHand, aggregate.createdAt, aggregate.lastModifiedAt]).toEqual([7, onHandAt(7), day(1), day(7)]);
    expect(lastEventsLoaded(core)).toBe(1);
  });

  it('ignores a snapshot taken under another state schema and reads the whole stream', async () => {
    const core = memoryCore({ snapshotEvery: 3 });
    const sku = randomUUID();
    await receiveDaily(core, sku, 1, 4);
    const taken = await core.snapshots.latest(`Inventory-${sku}`);
    if (taken === null) throw new Error('expected the snapshot at version 3');
    await core.snapshots.save({ ...taken, version: 4, stateSchemaVersion: 0, state: { onHand: 999, reservations: {}, allocations: {} } });
    const aggregate = (await core.repository.load(Inventory, sku))._unsafeUnwrap();
    expect([aggregate.version, aggregate.state.onHand]).toEqual([4, onHandAt(4)]);
    expect(lastEventsLoaded(core)).toBe(4);
  });

  describe('as of a version or a time', () => {
    const history = async () => {
      const core = memoryCore({ snapshotEvery: 3 });
      const sku = randomUUID();
      await receiveDaily(core, sku, 1, 7);
      return { core, sku };
    };

    it.each([
      { asOfVersion: 5, eventsRead: 2 },
      { asOfVersion: 6, eventsRead: 0 },
      { asOfVersion: 2, eventsRead: 2 },
    ])('loads version $asOfVersion from the newest snapshot at or below it', async ({ asOfVersion, eventsRead }) => {
      const { core, sku } = await history();
      const aggregate = (await core.repository.load(Inventory, sku, { asOfVersion }))._unsafeUnwrap();
      expect([aggregate.version, aggregate.state.onHand, aggregate.lastModifiedAt]).toEqual([asOfVersion, onHandAt(asOfVersion), day(asOfVersion)]);
      expect(lastEventsLoaded(core)).toBe(eventsRead);
    });

    it.each([
      { when: 'not newer than the time asked for', asOf: '2026-04-06T18:00:00.000Z', version: 6, eventsRead: 0 },
      { when: 'newer than the time asked for', asOf: '2026-04-04T18:00:00.000Z', version: 4, eventsRead: 4 },
      // 13:00 at +02:00 is 11:00Z on day 6: before the event of day 6 at 12:00Z, which the snapshot at version 6 holds.
      { when: 'newer, given a time with an offset', asOf: '2026-04-06T13:00:00+02:00', version: 5, eventsRead: 5 },
    ])('uses the latest snapshot only when it is $when', async ({ asOf, version, eventsRead }) => {
      const { core, sku } = await history();
      const aggregate = (await core.repository.load(Inventory, sku, { asOf }))._unsafeUnwrap();
      expect([aggregate.version, aggregate.state.onHand]).toEqual([version, onHandAt(version)]);
      expect(lastEventsLoaded(core)).toBe(eventsRead);
    });

    it('answers as of the last event at or before the time even when writers\' clocks disagree (no version gap)', async () => {
      const core = memoryCore();
      const sku = randomUUID();
      // Version 2 was written by a writer whose clock ran ahead: it carries a later time than version 3.
      for (const [n, at] of [[1, day(1)], [2, day(5)], [3, day(3)]] as const) {
        core.clock.set(at);
        (await core.inventory.handle({ type: 'ReceiveStock', sku, quantity: n }, aContext()))._unsafeUnwrap();
      }
      const aggregate = (await core.repository.load(Inventory, sku, { asOf: day(4) }))._unsafeUnwrap();
      expect([aggregate.version, aggregate.state.onHand]).toEqual([3, 6]);
      expect((await core.repository.load(Inventory, sku, { asOf: day(2) }))._unsafeUnwrap().version).toBe(1);
    });

    it('combines a version and a time: whichever comes first', async () => {
      const { core, sku } = await history();
      expect((await core.repository.load(Inventory, sku, { asOfVersion: 3, asOf: day(6) }))._unsafeUnwrap().version).toBe(3);
      expect((await core.repository.load(Inventory, sku, { asOfVersion: 6, asOf: day(4) }))._unsafeUnwrap().version).toBe(4);
    });
  });
});
