import pg from 'pg';
import { toSqlError, type Row, type SqlDriver, type SqlSession, type Statement } from './sql-driver.js';

export interface PgDriverOptions {
  readonly connectionString: string;
  /** Connections in the pool; appends in flight beyond this wait for a free one. */
  readonly poolSize?: number;
  readonly applicationName?: string;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

const run = async <R extends Row>(target: Queryable, statement: Statement | string, params: readonly unknown[]): Promise<R[]> => {
  const config = typeof statement === 'string' ? { text: statement, values: [...params] } : { name: statement.name, text: statement.text, values: [...params] };
  try {
    return (await target.query<R>(config)).rows;
  } catch (error) {
    throw toSqlError(error, `PostgreSQL ${typeof statement === 'string' ? 'query' : statement.name}`);
  }
};

const sessionOf = (target: Queryable): SqlSession => ({
  query: <R extends Row = Row>(statement: Statement | string, params: readonly unknown[] = []) => run<R>(target, statement, params),
  exec: async (script) => {
    await run(target, script, []);
  },
});

/** A PostgreSQL server through a `pg` pool; named statements are prepared once per connection. */
export class PgDriver implements SqlDriver {
  readonly #pool: pg.Pool;
  readonly #session: SqlSession;

  constructor(options: PgDriverOptions) {
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'es-core',
      // Timestamps are read as ISO-style text whatever the server's default style.
      options: '-c DateStyle=ISO,YMD',
    });
    // An idle connection the server drops must not crash the process; the next query reports it.
    this.#pool.on('error', () => undefined);
    this.#session = sessionOf(this.#pool);
  }

  query<R extends Row = Row>(statement: Statement | string, params: readonly unknown[] = []): Promise<R[]> {
    return this.#session.query<R>(statement, params);
  }

  exec(script: string): Promise<void> {
    return this.#session.exec(script);
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw toSqlError(error, 'PostgreSQL connect');
    }
    let broken: unknown;
    // The pool listens for errors only on idle connections: one the server terminates while checked out here
    // (between the transaction's statements) would otherwise crash the process. Its next statement reports it.
    const dropped = (error: Error): void => {
      broken = error;
    };
    client.on('error', dropped);
    const session = sessionOf(client);
    try {
      await session.exec('BEGIN');
      const result = await work(session);
      await session.exec('COMMIT');
      return result;
    } catch (error) {
      await session.exec('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A connection the server dropped, or whose rollback failed, is in an unknown state: discard it rather than reuse it.
      client.off('error', dropped);
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
