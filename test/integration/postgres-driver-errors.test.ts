import { describe, expect, it } from 'vitest';
import { meaningOf } from '../../src/adapters/postgres/append-errors.js';
import { openPostgres } from '../../src/adapters/postgres/open-postgres.js';
import { PgDriver } from '../../src/adapters/postgres/pg-driver.js';
import { PostgresEventStore } from '../../src/adapters/postgres/postgres-event-store.js';
import { SqlError } from '../../src/adapters/postgres/sql-driver.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { aStreamId, anEvent, events } from '../support/event-mother.js';
import { postgresForFile } from '../support/postgres-fixture.js';
import { startPostgres } from '../support/postgres-server.js';


const postgres = postgresForFile();

/** A port nothing listens on. */
const deadUrl = 'postgres://postgres@127.0.0.1:1/nothing';

describe('PostgreSQL driver failures, in the port’s words', () => {
  it('reports an unreachable server as EVENT_STORE.UNAVAILABLE and fails reads with an SqlError, never a pg error', async () => {
    const driver = new PgDriver({ connectionString: deadUrl, poolSize: 1 });
    const store = new PostgresEventStore(driver, new SystemClock());
    try {
      const appended = await store.append(aStreamId(), events(1), 'no-stream');
      expect(appended._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE', message: expect.stringContaining('PostgreSQL') });
      const read = store.readStream(aStreamId());
      await expect(read).rejects.toBeInstanceOf(SqlError);
      await expect(read).rejects.toMatchObject({ isUnavailable: true, message: expect.stringContaining('ECONNREFUSED') });
    } finally {
      await driver.close();
    }
  });

  it('refuses at start-up, with the reason, when the server cannot be reached', async () => {
    await expect(openPostgres({ url: deadUrl, clock: new SystemClock() })).rejects.toThrow(/PostgreSQL connect: .*ECONNREFUSED/);
  });

  it('refuses data PostgreSQL cannot store as EVENT_STORE.INVALID_APPEND, and stores nothing', async () => {
    const streamId = aStreamId();
    const refused = await postgres().adapters.eventStore.append(streamId, [anEvent({ data: { note: 'nul \u0000 byte' } })], 'no-stream');
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', message: expect.stringContaining('the database refused the events') });
    expect(await postgres().adapters.eventStore.readStream(streamId)).toEqual([]);
    const unserialisable = await postgres().adapters.eventStore.append(streamId, [anEvent({ data: { amount: 10n } })], 'no-stream');
    expect(unserialisable._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', message: expect.stringContaining('events must be JSON') });
  });

  it('lets the other commits of a batch through when one of them is refused', async () => {
    const store = new PostgresEventStore(postgres().adapters.driver, new SystemClock(), { batching: { concurrency: 1, maxEvents: 1_000 } });
    const streams = Array.from({ length: 10 }, () => aStreamId());
    const refusedByTheServer = anEvent({ data: { note: 'nul \u0000 byte' } });
    const results = await Promise.all(streams.map((streamId, i) => store.append(streamId, [i === 4 ? refusedByTheServer : anEvent()], 'no-stream')));
    expect(results.map((r) => (r.isOk() ? 'ok' : r.error.code))).toEqual([...Array(4).fill('ok'), 'EVENT_STORE.INVALID_APPEND', ...Array(5).fill('ok')]);
    expect((await store.readStream(streams[4] as string)).length).toBe(0);
  });

  it('turns a race lost on the unique index between two pools into a concurrency conflict', async () => {
    const rival = await openPostgres({ url: postgres().url, clock: new SystemClock() });
    try {
      const streamId = aStreamId();
      await postgres().adapters.eventStore.append(streamId, events(1), 'no-stream');
      for (let version = 1; version <= 10; version += 1) {
        const results = await Promise.all([postgres().adapters.eventStore.append(streamId, events(2), version * 2 - 1), rival.eventStore.append(streamId, events(2), version * 2 - 1)]);
        expect(results.filter((r) => r.isOk())).toHaveLength(1);
        for (const lost of results.filter((r) => r.isErr())) {
          expect(lost._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', streamId, expected: version * 2 - 1, actual: version * 2 + 1 });
        }
      }
      expect((await postgres().adapters.eventStore.readStream(streamId)).map((e) => e.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    } finally {
      await rival.close();
    }
  });

  it('reports a server that went away after start-up as EVENT_STORE.UNAVAILABLE', async () => {
    const own = await startPostgres();
    const stores = await openPostgres({ url: await own.createDatabase(), clock: new SystemClock() });
    try {
      expect((await stores.eventStore.append(aStreamId(), events(1), 'no-stream')).isOk()).toBe(true);
      await own.stop();
      const appended = await stores.eventStore.append(aStreamId(), events(1), 'no-stream');
      expect(appended._unsafeUnwrapErr().code).toBe('EVENT_STORE.UNAVAILABLE');
    } finally {
      await stores.close();
      await own.stop();
    }
  });

  it('maps serialization failures and deadlocks to conflicts, and leaves unknown failures to surface as bugs', () => {
    const failure = (code: string | null, constraint: string | null = null): SqlError => new SqlError('boom', code, constraint, null);
    expect(meaningOf(failure('40001'))).toEqual({ kind: 'conflict' });
    expect(meaningOf(failure('40P01'))).toEqual({ kind: 'conflict' });
    expect(meaningOf(failure('23505', 'es_events_stream_version_key'))).toEqual({ kind: 'conflict' });
    expect(meaningOf(failure('57P01'))).toMatchObject({ kind: 'error', error: { code: 'EVENT_STORE.UNAVAILABLE' } });
    expect(meaningOf(failure('42601'))).toBeNull();
  });
});
