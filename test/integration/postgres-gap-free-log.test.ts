import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresAdapters } from '../../src/adapters/postgres/open-postgres.js';
import { PostgresEventStore } from '../../src/adapters/postgres/postgres-event-store.js';
import type { SqlDriver, SqlSession } from '../../src/adapters/postgres/sql-driver.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { aStreamId, events } from '../support/event-mother.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

class RolledBack extends Error {}

/** A transaction held open on its own connection until the test commits or rolls it back. */
interface OpenTransaction {
  /** An event store whose appends run inside this transaction. */
  readonly store: PostgresEventStore;
  readonly session: SqlSession;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

const openTransaction = async (driver: SqlDriver): Promise<OpenTransaction> => {
  let decide!: (outcome: 'commit' | 'rollback') => void;
  const decided = new Promise<'commit' | 'rollback'>((resolve) => (decide = resolve));
  let started!: (session: SqlSession) => void;
  const session = new Promise<SqlSession>((resolve) => (started = resolve));
  const finished = driver
    .transaction(async (tx) => {
      started(tx);
      if ((await decided) === 'rollback') throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  const tx = await session;
  const inTransaction: SqlDriver = { ...tx, transaction: (work) => work(tx), close: async () => undefined };
  return {
    store: new PostgresEventStore(inTransaction, new SystemClock()),
    session: tx,
    commit: () => (decide('commit'), finished),
    rollback: () => (decide('rollback'), finished),
  };
};

const positionsOf = (read: readonly { globalPosition: number | null }[]): number[] => read.map((event) => event.globalPosition ?? 0);

let server: PostgresServer | undefined;
let adapters: PostgresAdapters;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  adapters = await openPostgres({ url: await (server as PostgresServer).createDatabase(), clock: new SystemClock() });
});
afterEach(async () => {
  await adapters.close();
});

describe('PostgreSQL global log: gap-free for readers', () => {
  it('does not pass a position whose transaction is still open, and delivers it once it commits', async () => {
    const { eventStore: log } = adapters;
    await log.append(aStreamId(), events(1), 'no-stream');
    const a = await openTransaction(adapters.driver);
    const taken = await a.store.append(aStreamId(), events(1), 'no-stream');
    const aPosition = taken._unsafeUnwrap().lastPosition as number;
    const b = await log.append(aStreamId(), events(1), 'no-stream');
    expect(b._unsafeUnwrap().lastPosition).toBeGreaterThan(aPosition);

    expect(positionsOf(await log.readAll(0, 100))).toEqual([1]);
    expect(positionsOf(await log.readAll(aPosition - 1, 100))).toEqual([]);
    expect(await log.headPosition()).toBe(aPosition - 1);

    await a.commit();
    expect(positionsOf(await log.readAll(0, 100))).toEqual([1, aPosition, aPosition + 1]);
    expect(await log.headPosition()).toBe(aPosition + 1);
  });

  it('holds readers back even when the open transaction is newer than every finished one', async () => {
    // B takes its transaction id first, A second; A draws its position first and stays open, B commits.
    // PostgreSQL then leaves A out of the snapshot's in-flight list (A's id is not below xmax).
    const { eventStore: log } = adapters;
    const b = await openTransaction(adapters.driver);
    await b.session.query('SELECT pg_current_xact_id()');
    const a = await openTransaction(adapters.driver);
    const aPosition = (await a.store.append(aStreamId(), events(1), 'no-stream'))._unsafeUnwrap().lastPosition as number;
    await b.store.append(aStreamId(), events(1), 'no-stream');
    await b.commit();

    expect(positionsOf(await log.readAll(0, 100))).toEqual([]);
    expect(await log.headPosition()).toBe(aPosition - 1);
    await a.commit();
    expect(positionsOf(await log.readAll(0, 100))).toEqual([aPosition, aPosition + 1]);
  });

  it('passes the hole a rolled-back transaction leaves, in one read', async () => {
    const { eventStore: log } = adapters;
    const a = await openTransaction(adapters.driver);
    const hole = (await a.store.append(aStreamId(), events(2), 'no-stream'))._unsafeUnwrap().lastPosition as number;
    const after = (await log.append(aStreamId(), events(1), 'no-stream'))._unsafeUnwrap().lastPosition as number;
    await a.rollback();

    expect(positionsOf(await log.readAll(0, 100))).toEqual([after]);
    expect(hole).toBeLessThan(after);
    expect(await log.headPosition()).toBe(after);
  });

  it('reports the last event as the head, not a rolled-back position after it, so caught-up readers show no lag', async () => {
    const { eventStore: log } = adapters;
    const last = (await log.append(aStreamId(), events(1), 'no-stream'))._unsafeUnwrap().lastPosition as number;
    const a = await openTransaction(adapters.driver);
    const hole = (await a.store.append(aStreamId(), events(3), 'no-stream'))._unsafeUnwrap().lastPosition as number;
    await a.rollback();
    expect(hole).toBeGreaterThan(last);
    expect(positionsOf(await log.readAll(last, 100))).toEqual([]);
    expect(await log.headPosition()).toBe(last);
  });

  it('reports the last event as the head when a fresh reader opens a log longer than one page', async () => {
    const { eventStore: log } = adapters;
    let last = 0;
    for (let commit = 0; commit < 101; commit += 1) last = (await log.append(aStreamId(), events(100), 'no-stream'))._unsafeUnwrap().lastPosition as number;
    const freshReader = new PostgresEventStore(adapters.driver, new SystemClock());
    expect(await freshReader.headPosition()).toBe(last);
  });

  it('lets one long-open transaction hold readers back only while it is open', async () => {
    const { eventStore: log } = adapters;
    // A rolled-back hole, then later events, while an unrelated transaction that took an id stays open.
    const longOpen = await openTransaction(adapters.driver);
    await longOpen.session.query('SELECT pg_current_xact_id()');
    const rolledBack = await openTransaction(adapters.driver);
    await rolledBack.store.append(aStreamId(), events(1), 'no-stream');
    await log.append(aStreamId(), events(3), 'no-stream');
    await rolledBack.rollback();

    expect(await log.readAll(0, 100)).toEqual([]);
    await longOpen.commit();
    expect(positionsOf(await log.readAll(0, 100))).toEqual([2, 3, 4]);
  });

  it('hands a reader every committed event exactly once while appenders race and some roll back', async () => {
    const { eventStore: log } = adapters;
    const streams: string[] = [];
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      for (let round = 0; round < 15; round += 1) {
        if ((writer + round) % 5 === 0) {
          const doomed = await openTransaction(adapters.driver);
          await doomed.store.append(aStreamId(), events(2), 'no-stream');
          await doomed.rollback();
        } else {
          const streamId = aStreamId();
          expect((await log.append(streamId, events(1 + (round % 3)), 'no-stream')).isOk()).toBe(true);
          streams.push(streamId);
        }
      }
    });
    const seen: number[] = [];
    let cursor = 0;
    let writing = true;
    const done = Promise.all(writers).finally(() => (writing = false));
    for (;;) {
      const finished = !writing;
      const batch = await log.readAll(cursor, 7);
      for (const event of batch) seen.push(event.globalPosition as number);
      cursor = seen.at(-1) ?? cursor;
      if (finished && batch.length === 0) break;
    }
    await done;
    const committed = new Set(positionsOf((await Promise.all(streams.map((streamId) => log.readStream(streamId)))).flat()));
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(committed);
  });
});
