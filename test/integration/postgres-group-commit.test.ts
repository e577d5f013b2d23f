import { describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/adapters/postgres/postgres-event-store.js';
import type { SqlDriver, Statement } from '../../src/adapters/postgres/sql-driver.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { aStreamId, events } from '../support/event-mother.js';
import { postgresForFile } from '../support/postgres-fixture.js';


const postgres = postgresForFile();

/** The real driver, counting the append round trips that go through it. */
const countingAppends = (driver: SqlDriver): { driver: SqlDriver; roundTrips: () => number } => {
  let count = 0;
  return {
    driver: {
      query: (statement: Statement | string, params?: readonly unknown[]) => {
        if (typeof statement !== 'string' && statement.name === 'es_append') count += 1;
        return driver.query(statement, params);
      },
      exec: (script) => driver.exec(script),
      transaction: (work) => driver.transaction(work),
      close: () => driver.close(),
    },
    roundTrips: () => count,
  };
};

describe('PostgreSQL group commit', () => {
  it('sends the appends callers make in one turn as one batch, each with its own outcome', async () => {
    const counting = countingAppends(postgres().adapters.driver);
    const store = new PostgresEventStore(counting.driver, new SystemClock());
    const streams = Array.from({ length: 16 }, () => aStreamId());
    const results = await Promise.all(streams.map((streamId, i) => store.append(streamId, events(1 + (i % 3)), i === 7 ? 5 : 'no-stream')));
    expect(counting.roundTrips()).toBe(1);
    expect(results.map((r) => (r.isOk() ? r.value.nextVersion : r.error.code))).toEqual(
      streams.map((_, i) => (i === 7 ? 'EVENT_STORE.CONCURRENCY_CONFLICT' : 1 + (i % 3))),
    );
  });

  it('applies commits naming one stream twice in one batch in the order they were made', async () => {
    const counting = countingAppends(postgres().adapters.driver);
    const store = new PostgresEventStore(counting.driver, new SystemClock());
    const streamId = aStreamId();
    const [first, second, stale, any] = await Promise.all([
      store.append(streamId, events(2), 'no-stream'),
      store.append(streamId, events(1), 2),
      store.append(streamId, events(1), 2),
      store.append(streamId, events(1), 'any'),
    ]);
    expect(counting.roundTrips()).toBe(1);
    expect([first, second, any].map((r) => r?._unsafeUnwrap().nextVersion)).toEqual([2, 3, 4]);
    expect(stale?._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 2, actual: 3 });
    const stored = await store.readStream(streamId);
    expect(stored.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(stored.map((e) => e.globalPosition)).toEqual([...stored.map((e) => e.globalPosition)].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });
});
