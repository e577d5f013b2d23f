import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import { isUuidV7, uuidV7Timestamp } from '../../src/application/events/event-ids.js';
import { chainHash, GENESIS_HASH } from '../../src/application/audit/event-chain.js';
import type { EventImport } from '../../src/application/ports/event-import.js';
import type { EventStore, GlobalEventLog } from '../../src/application/ports/event-store.js';
import { InMemoryEventStore } from '../../src/adapters/memory/in-memory-event-store.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { aStreamId, anEvent, events, metadata } from '../support/event-mother.js';

export interface EventStoreFixture {
  /** Every adapter takes imports too (disaster recovery, the replica): EventImport. */
  readonly store: EventStore & EventImport;
  /** Present where the adapter keeps a global commit order. */
  readonly log?: GlobalEventLog;
}

/** What every event-store adapter must do. `fixture` is called once per test and may share one database. */
export const eventStoreContract = (adapter: string, fixture: () => EventStoreFixture): void => {
  describe(`EventStore contract: ${adapter}`, () => {
    it('round-trips every envelope field', async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      const event = anEvent({ metadata: metadata({ causationId: 'cause-1', actor: 'alice', tenant: 'eu-1' }), schemaVersion: 2 });
      const appended = await store.append(streamId, [event], 'no-stream');
      expect(appended._unsafeUnwrap()).toMatchObject({ streamId, nextVersion: 1 });
      const [stored] = await store.readStream(streamId);
      expect(stored).toMatchObject({ ...event, streamId, version: 1 });
      expect(stored?.data).toEqual(event.data);
      expect(stored?.metadata).toEqual(event.metadata);
      expect(Date.parse(stored?.occurredAt ?? '')).toBe(Date.parse(event.occurredAt));
      expect(Number.isNaN(Date.parse(stored?.recordedAt ?? ''))).toBe(false);
      if (fixture().log) expect(stored?.globalPosition).toBeGreaterThan(0);
    });

    it('returns an empty array for a stream that does not exist', async () => {
      expect(await fixture().store.readStream(aStreamId())).toEqual([]);
    });

    it('appends at the exact expected version and refuses a stale or ahead one', async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      expect((await store.append(streamId, events(2), 0)).isOk()).toBe(true);
      expect((await store.append(streamId, events(1), 2))._unsafeUnwrap().nextVersion).toBe(3);
      const stale = await store.append(streamId, events(1), 2);
      expect(stale._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', streamId, expected: 2, actual: 3 });
      const ahead = await store.append(streamId, events(1), 5);
      expect(ahead._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 5, actual: 3 });
      expect(await store.readStream(streamId)).toHaveLength(3);
    });

    it("honours 'no-stream' and 'any'", async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      expect((await store.append(streamId, events(1), 'no-stream')).isOk()).toBe(true);
      expect((await store.append(streamId, events(1), 'no-stream'))._unsafeUnwrapErr().code).toBe('EVENT_STORE.CONCURRENCY_CONFLICT');
      expect((await store.append(streamId, events(2), 'any'))._unsafeUnwrap().nextVersion).toBe(3);
      expect((await store.append(aStreamId(), events(1), 'any'))._unsafeUnwrap().nextVersion).toBe(1);
      expect((await store.readStream(streamId)).map((e) => e.version)).toEqual([1, 2, 3]);
    });

    it('commits a multi-event append all or nothing', async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      await store.append(streamId, events(1), 'no-stream');
      const before = await store.readStream(streamId);
      // Version 1 is taken, 2 and 3 are free: a store that wrote event by event would leave them behind.
      const refused = await store.append(streamId, events(3), 0);
      expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', streamId, expected: 0, actual: 1 });
      expect(await store.readStream(streamId)).toEqual(before);
      expect((await store.append(streamId, events(3), 1))._unsafeUnwrap().nextVersion).toBe(4);
    });

    it('mints every event id: a UUIDv7, unique across streams and commits, in event order within a commit', async () => {
      const { store } = fixture();
      const [a, b] = [aStreamId(), aStreamId()];
      const startedAt = Date.now();
      await store.append(a, events(5), 'no-stream');
      await store.append(b, events(5), 'no-stream');
      await store.append(a, events(5), 5);
      const endedAt = Date.now();
      const ids = [...(await store.readStream(a)), ...(await store.readStream(b))].map((event) => event.eventId);
      expect(ids).toHaveLength(15);
      for (const id of ids) {
        expect(isUuidV7(id), id).toBe(true);
        expect(uuidV7Timestamp(id)).toBeGreaterThanOrEqual(startedAt);
        expect(uuidV7Timestamp(id)).toBeLessThanOrEqual(endedAt + 1);
      }
      expect(new Set(ids).size).toBe(15);
      for (const commit of [ids.slice(0, 5), ids.slice(5, 10), ids.slice(10)]) expect(commit).toEqual([...commit].sort());
    });

    it('assigns a new id to an event handed in with one (an envelope read back and appended again)', async () => {
      const { store } = fixture();
      await store.append(aStreamId(), events(1), 'no-stream');
      const streamId = aStreamId();
      await store.append(streamId, events(1), 'no-stream');
      const [stored] = (await store.readStream(streamId)) as [EventEnvelope];
      const copy = aStreamId();
      expect((await store.append(copy, [stored, stored], 'no-stream'))._unsafeUnwrap().nextVersion).toBe(2);
      const copied = (await store.readStream(copy)).map((event) => event.eventId);
      expect(new Set([stored.eventId, ...copied]).size).toBe(3);
    });

    it('refuses empty commits, commits over 100 events and bad expected versions before storing anything', async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      expect((await store.append(streamId, [], 'any'))._unsafeUnwrapErr().code).toBe('EVENT_STORE.INVALID_APPEND');
      const tooMany = await store.append(streamId, events(101), 'any');
      expect(tooMany._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', message: expect.stringContaining('100') });
      expect((await store.append(streamId, events(1), -1))._unsafeUnwrapErr().code).toBe('EVENT_STORE.INVALID_APPEND');
      expect((await store.append(streamId, events(100), 'no-stream'))._unsafeUnwrap().nextVersion).toBe(100);
    });

    it('lets exactly one of 20 concurrent appenders win each version', async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      await store.append(streamId, events(1), 'no-stream');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.append(streamId, events(2), 1)));
      const winners = results.filter((r) => r.isOk());
      expect(winners).toHaveLength(1);
      for (const loser of results.filter((r) => r.isErr())) {
        expect(loser._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 1 });
      }
      // Racing appenders that each read and retry end with one contiguous stream.
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          for (;;) {
            const current = (await store.readStream(streamId)).length;
            if ((await store.append(streamId, events(1), current)).isOk()) return;
          }
        }),
      );
      const versions = (await store.readStream(streamId)).map((e) => e.version);
      expect(versions).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    });

    it('reads from and to a version and up to a time', async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      const batch = Array.from({ length: 5 }, (_, i) => anEvent({ occurredAt: `2026-01-0${i + 1}T12:00:00.000Z` }));
      await store.append(streamId, batch, 'no-stream');
      expect((await store.readStream(streamId, { fromVersion: 2, toVersion: 4 })).map((e) => e.version)).toEqual([2, 3, 4]);
      expect((await store.readStream(streamId, { fromVersion: 4 })).map((e) => e.version)).toEqual([4, 5]);
      expect((await store.readStream(streamId, { until: '2026-01-03T12:00:00.000Z' })).map((e) => e.version)).toEqual([1, 2, 3]);
      expect((await store.readStream(streamId, { fromVersion: 2, until: '2026-01-02T23:59:59.000Z' })).map((e) => e.version)).toEqual([2]);
    });

    it('reads events by type within a time range, in time order', async () => {
      const { store } = fixture();
      const type = `Probe${Date.now()}${Math.floor(Math.random() * 1e6)}`;
      const a = aStreamId();
      const b = aStreamId();
      await store.append(a, [anEvent({ type, occurredAt: '2026-02-03T00:00:00.000Z' }), anEvent({ type: 'Other', occurredAt: '2026-02-03T00:00:00.000Z' })], 'no-stream');
      await store.append(b, [anEvent({ type, occurredAt: '2026-02-01T00:00:00.000Z' }), anEvent({ type, occurredAt: '2026-02-05T00:00:00.000Z' })], 'no-stream');
      const all = await store.readByType(type);
      expect(all.map((e) => [e.streamId, e.version])).toEqual([
        [b, 1],
        [a, 1],
        [b, 2],
      ]);
      const ranged = await store.readByType(type, { from: '2026-02-02T00:00:00.000Z', to: '2026-02-04T00:00:00.000Z' });
      expect(ranged.map((e) => e.streamId)).toEqual([a]);
      expect(await store.readByType(type, { limit: 2 })).toHaveLength(2);
    });

    it('chains every event from its predecessor: the hashes recompute from readStream, whichever way it was appended (issue 11, SOX)', async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      await store.append(streamId, events(2), 'no-stream');
      await store.append(streamId, events(1), 2);
      await store.append(streamId, events(2), 'any');
      const head = (await store.readStream(streamId)).at(-1);
      expect((await store.append(streamId, events(1), 5, { previousHash: head?.hash ?? '' }))._unsafeUnwrap().nextVersion).toBe(6);
      const stored = await store.readStream(streamId);
      expect(stored.map((event) => event.version)).toEqual([1, 2, 3, 4, 5, 6]);
      let previous = GENESIS_HASH;
      for (const event of stored) {
        expect(event.previousHash).toBe(previous);
        expect(event.hash).toBe(chainHash(previous, event));
        previous = event.hash ?? '';
      }
      expect(new Set(stored.map((event) => event.hash)).size).toBe(6);
    });

    it('refuses a malformed previous hash, and a stale one as a conflict where the store can check it without a read', async () => {
      const { store } = fixture();
      const streamId = aStreamId();
      await store.append(streamId, events(2), 'no-stream');
      const malformed = await store.append(streamId, events(1), 2, { previousHash: 'not-a-hash' });
      expect(malformed._unsafeUnwrapErr().code).toBe('EVENT_STORE.INVALID_APPEND');
      const fresh = await store.append(aStreamId(), events(1), 'no-stream', { previousHash: 'f'.repeat(64) });
      // DynamoDB checks the hash only inside the ConditionCheck it sends for a version it has not seen (a read per append otherwise).
      if (adapter.match(/dynamo/i)) return;
      expect(fresh._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', actual: 0 });
      const stale = await store.append(streamId, events(1), 2, { previousHash: GENESIS_HASH });
      expect(stale._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 2, actual: 2 });
      expect(await store.readStream(streamId)).toHaveLength(2);
    });

    it('reads the global log in commit order from a position', async () => {
      const { log, store } = fixture();
      if (!log) {
        expect(adapter).toMatch(/dynamo/i); // only stores without a global order may skip this
        return;
      }
      const head = await log.headPosition();
      const a = aStreamId();
      const b = aStreamId();
      await store.append(a, events(2), 'no-stream');
      await store.append(b, events(1), 'no-stream');
      await store.append(a, events(1), 2);
      const read = await log.readAll(head, 1000);
      const ours = read.filter((e) => e.streamId === a || e.streamId === b);
      expect(ours.map((e) => [e.streamId, e.version])).toEqual([
        [a, 1],
        [a, 2],
        [b, 1],
        [a, 3],
      ]);
      const positions = read.map((e) => e.globalPosition ?? 0);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
      expect(positions[0]).toBeGreaterThan(head);
      const second = ours[1]?.globalPosition ?? 0;
      const after = await log.readAll(second, 1000);
      expect(after.filter((e) => e.streamId === a || e.streamId === b).map((e) => e.version)).toEqual([1, 3]);
      expect(await log.headPosition()).toBeGreaterThanOrEqual(ours[3]?.globalPosition ?? Infinity);
      expect((await log.readAll(head, 2)).length).toBe(2);
    });

    describe('EventImport: events carried over from another store as it holds them', () => {
      /** A source store's events: two streams, appended at other instants than the target would stamp. */
      const sourceEvents = async (versions: number): Promise<EventEnvelope[]> => {
        const source = new InMemoryEventStore({ now: () => '2025-06-01T08:00:00.000Z' });
        const [a, b] = [aStreamId(), aStreamId()];
        await source.append(a, events(versions), 'no-stream');
        // A type no projection reads: the store is shared with the projection engine's contract, which follows the whole log.
        await source.append(b, events(1, { type: 'ContractImported', occurredAt: '2025-06-01T07:59:59.123Z' }), 'no-stream');
        return [...(await source.readStream(a)), ...(await source.readStream(b))];
      };

      it('keeps ids, versions, hashes, occurredAt and recordedAt, so the chains verify; a repeat skips everything', async () => {
        const { store, log } = fixture();
        const given = await sourceEvents(3);
        expect((await store.importEvents(given))._unsafeUnwrap()).toEqual({ imported: 4, skipped: 0 });
        for (const streamId of new Set(given.map((event) => event.streamId))) {
          const stored = await store.readStream(streamId);
          const expected = given.filter((event) => event.streamId === streamId);
          expect(stored.map(({ globalPosition: _, ...kept }) => kept)).toEqual(expected.map(({ globalPosition: _, ...kept }) => kept));
          let previous = GENESIS_HASH;
          for (const event of stored) {
            expect(event.hash).toBe(chainHash(previous, event));
            previous = event.hash ?? '';
          }
        }
        expect((await store.importEvents(given))._unsafeUnwrap()).toEqual({ imported: 0, skipped: 4 });
        if (log) {
          const ours = (await log.readAll(0, 1_000_000)).filter((event) => event.eventId === given[0]?.eventId);
          expect(ours).toHaveLength(1);
        }
      });

      it('resumes where an earlier import stopped, and appends then chain on from the imported head', async () => {
        const { store } = fixture();
        const given = (await sourceEvents(5)).slice(0, 5);
        const streamId = given[0]?.streamId ?? '';
        expect((await store.importEvents(given.slice(0, 2)))._unsafeUnwrap()).toEqual({ imported: 2, skipped: 0 });
        expect((await store.importEvents(given))._unsafeUnwrap()).toEqual({ imported: 3, skipped: 2 });
        expect((await store.append(streamId, events(1), 5))._unsafeUnwrap().nextVersion).toBe(6);
        const stored = await store.readStream(streamId);
        expect(stored[5]?.previousHash).toBe(given[4]?.hash);
      });

      it('takes a stream of more than one commit (over 100 events) in one call', async () => {
        const { store } = fixture();
        const source = new InMemoryEventStore(new SystemClock());
        const streamId = aStreamId();
        for (let commit = 0; commit < 3; commit += 1) await source.append(streamId, events(90), commit * 90);
        const given = await source.readStream(streamId);
        expect((await store.importEvents(given))._unsafeUnwrap()).toEqual({ imported: 270, skipped: 0 });
        expect((await store.readStream(streamId)).map((event) => event.eventId)).toEqual(given.map((event) => event.eventId));
      });

      it('refuses a gap, another event at a stored version, a broken chain and an event without hashes, naming the stream and version', async () => {
        const { store } = fixture();
        const given = (await sourceEvents(3)).slice(0, 3);
        const streamId = given[0]?.streamId ?? '';
        const gap = await store.importEvents(given.slice(1));
        expect(gap._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.IMPORT_OUT_OF_ORDER', streamId, version: 2 });
        const [first, second, third] = given as [EventEnvelope, EventEnvelope, EventEnvelope];
        expect((await store.importEvents([first, third]))._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.IMPORT_OUT_OF_ORDER', version: 3 });
        const tampered = { ...second, data: { tampered: true } };
        expect((await store.importEvents([first, tampered]))._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.IMPORT_CHAIN_BROKEN', streamId, version: 2 });
        // Checked before anything is written: nothing of the refused call landed.
        expect(await store.readStream(streamId)).toEqual([]);
        expect((await store.importEvents([first]))._unsafeUnwrap()).toEqual({ imported: 1, skipped: 0 });
        expect((await store.importEvents([{ ...first, eventId: 'another-id' }]))._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.IMPORT_CONFLICT', version: 1 });
        const { hash: _, ...unhashed } = second;
        expect((await store.importEvents([unhashed as EventEnvelope]))._unsafeUnwrapErr().code).toBe('EVENT_STORE.IMPORT_INVALID');
        expect((await store.importEvents(given))._unsafeUnwrap()).toEqual({ imported: 2, skipped: 1 });
      });
    });
  });
};
