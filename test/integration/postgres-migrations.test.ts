import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, SchemaTooNewError } from '../../src/adapters/postgres/migrations.js';
import { openPglite } from '../../src/adapters/postgres/open-postgres.js';
import { PgDriver } from '../../src/adapters/postgres/pg-driver.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { aStreamId, events } from '../support/event-mother.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

const run = promisify(execFile);
const latest = Math.max(...MIGRATIONS.map((m) => m.version));

let server: PostgresServer | undefined;
const drivers: PgDriver[] = [];
const driverFor = (url: string): PgDriver => {
  const driver = new PgDriver({ connectionString: url, poolSize: 2 });
  drivers.push(driver);
  return driver;
};

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await Promise.all(drivers.map((driver) => driver.close()));
  await server?.stop();
});

/** Migrates `url` from a separate Node process, as a second instance of the service would. */
const migrateInAnotherProcess = async (url: string): Promise<number[]> => {
  const script = `
    import { migrate } from './src/adapters/postgres/migrations.ts';
    import { PgDriver } from './src/adapters/postgres/pg-driver.ts';
    const driver = new PgDriver({ connectionString: process.env.TARGET_URL, poolSize: 1 });
    console.log(JSON.stringify(await migrate(driver)));
    await driver.close();`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TARGET_URL: url }, timeout: 60_000 });
  return JSON.parse(stdout.trim()) as number[];
};

describe('schema migrations', () => {
  it('applies every migration once, and nothing when run again', async () => {
    const db = driverFor(await (server as PostgresServer).createDatabase());
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    expect(await db.query('SELECT version FROM es_schema_migrations ORDER BY version')).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('applies each migration exactly once when two processes start at the same moment', async () => {
    const url = await (server as PostgresServer).createDatabase();
    const [first, second] = await Promise.all([migrateInAnotherProcess(url), migrateInAnotherProcess(url)]);
    expect([first, second].sort((a, b) => b.length - a.length)).toEqual([MIGRATIONS.map((m) => m.version), []]);
    const [row] = await driverFor(url).query<{ count: string }>('SELECT count(*) FROM es_schema_migrations');
    expect(Number(row?.count)).toBe(MIGRATIONS.length);
  });

  it('drops the unique index on event ids (version 4): the store mints them, unique by construction', async () => {
    const db = driverFor(await (server as PostgresServer).createDatabase());
    await migrate(db, MIGRATIONS.filter((m) => m.version < 4));
    const indexes = async (): Promise<string[]> =>
      (await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'es_events' ORDER BY indexname")).map((row) => row.indexname);
    expect(await indexes()).toContain('es_events_event_id_key');
    expect(await migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 4).map((m) => m.version));
    expect(await indexes()).toEqual(['es_events_pkey', 'es_events_stream_version_key', 'es_events_type_idx']);
  });

  it('refuses a database migrated by a newer build, changing nothing', async () => {
    const db = driverFor(await (server as PostgresServer).createDatabase());
    await migrate(db);
    await db.query('INSERT INTO es_schema_migrations (version, name) VALUES ($1, $2)', [latest + 1, 'from the future']);
    await expect(migrate(db)).rejects.toThrow(SchemaTooNewError);
    await expect(migrate(db)).rejects.toThrow(`schema is at version ${latest + 1}, newer than this build knows (${latest})`);
  });

  it('keeps a PGlite folder across restarts and migrates it only once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'es-pglite-'));
    try {
      const streamId = aStreamId();
      const first = await openPglite({ dataDir, clock: new SystemClock() });
      await first.eventStore.append(streamId, events(2), 'no-stream');
      await first.close();
      const reopened = await openPglite({ dataDir, clock: new SystemClock() });
      try {
        expect(await migrate(reopened.driver)).toEqual([]);
        expect((await reopened.eventStore.readStream(streamId)).map((e) => e.version)).toEqual([1, 2]);
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
