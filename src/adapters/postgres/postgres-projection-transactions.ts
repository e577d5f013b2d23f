import type { ProjectionScope, ProjectionTransactions } from '../../application/ports/projection-transactions.js';
import { PostgresReadModelCatalog } from './postgres-read-models.js';
import { PostgresCheckpointStore } from './postgres-stores.js';
import type { SqlDriver, SqlSession } from './sql-driver.js';

/** The session as a driver whose nested transactions are the session's own. */
const within = (session: SqlSession): SqlDriver => ({
  query: (statement, params) => session.query(statement, params),
  exec: (script) => session.exec(script),
  transaction: (work) => work(session),
  close: async () => undefined,
});

/** A projection batch's read-model writes and its checkpoint in one PostgreSQL transaction. */
export class PostgresProjectionTransactions implements ProjectionTransactions {
  constructor(private readonly db: SqlDriver) {}

  run<T>(work: (scope: ProjectionScope) => Promise<T>): Promise<T> {
    return this.db.transaction((session) => {
      const driver = within(session);
      return work({ catalog: new PostgresReadModelCatalog(driver), checkpoints: new PostgresCheckpointStore(driver) });
    });
  }
}
