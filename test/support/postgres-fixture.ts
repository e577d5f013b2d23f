import { afterAll, beforeAll } from 'vitest';
import { openPostgres, type PostgresAdapters } from '../../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import type { Clock } from '../../src/application/ports/runtime.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

export interface PostgresFixture {
  readonly server: PostgresServer;
  /** The file's own database. */
  readonly url: string;
  readonly adapters: PostgresAdapters;
}

/**
 * For one test file: a PostgreSQL server and the adapters on a fresh database, opened before its
 * tests and closed after them. Call the returned function inside a test.
 */
export const postgresForFile = (clock: Clock = new SystemClock()): (() => PostgresFixture) => {
  let fixture: PostgresFixture | undefined;
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    fixture = { server, url, adapters: await openPostgres({ url, clock }) };
  });
  afterAll(async () => {
    await fixture?.adapters.close();
    await server?.stop();
  });
  return () => {
    if (fixture === undefined) throw new Error('the PostgreSQL fixture is used outside a test, or its server did not start');
    return fixture;
  };
};
