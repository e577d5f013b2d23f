import { PGlite, type Transaction } from '@electric-sql/pglite';
import { toSqlError, type Row, type SqlDriver, type SqlSession, type Statement } from './sql-driver.js';

type Queryable = Pick<Transaction, 'query' | 'exec'>;

const sessionOf = (target: Queryable): SqlSession => ({
  async query<R extends Row = Row>(statement: Statement | string, params: readonly unknown[] = []): Promise<R[]> {
    const sql = typeof statement === 'string' ? statement : statement.text;
    try {
      return (await target.query<R>(sql, [...params])).rows;
    } catch (error) {
      throw toSqlError(error, `PGlite ${typeof statement === 'string' ? 'query' : statement.name}`);
    }
  },
  async exec(script: string): Promise<void> {
    try {
      await target.exec(script);
    } catch (error) {
      throw toSqlError(error, 'PGlite script');
    }
  },
});

/**
 * Postgres compiled to WebAssembly, in this process: one connection, so statements and
 * transactions run one at a time. `dataDir` null keeps the database in memory.
 */
export class PgliteDriver implements SqlDriver {
  readonly #session: SqlSession;

  private constructor(private readonly db: PGlite) {
    this.#session = sessionOf(db);
  }

  static async open(dataDir: string | null): Promise<PgliteDriver> {
    try {
      return new PgliteDriver(await PGlite.create(dataDir ?? undefined));
    } catch (error) {
      throw toSqlError(error, `PGlite could not open ${dataDir ?? 'an in-memory database'}`);
    }
  }

  query<R extends Row = Row>(statement: Statement | string, params: readonly unknown[] = []): Promise<R[]> {
    return this.#session.query<R>(statement, params);
  }

  exec(script: string): Promise<void> {
    return this.#session.exec(script);
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const thrownByWork = new Set<unknown>();
    try {
      return await this.db.transaction((tx) =>
        work(sessionOf(tx)).catch((error: unknown) => {
          thrownByWork.add(error);
          throw error;
        }),
      );
    } catch (error) {
      // The work's own errors pass through unchanged; BEGIN or COMMIT failing is the driver's.
      throw thrownByWork.has(error) ? error : toSqlError(error, 'PGlite transaction');
    }
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
