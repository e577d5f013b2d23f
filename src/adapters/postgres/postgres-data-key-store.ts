import type { DataKeyStore, StoredDataKey, WrappedDataKey } from '../../application/ports/data-key-store.js';
import type { SqlDriver, Statement } from './sql-driver.js';

interface KeyRow {
  readonly subject: string;
  readonly version: number;
  readonly wrapped: string | null;
  readonly created_at: string | Date;
  readonly erased_at: string | Date | null;
}

const iso = (value: string | Date): string => new Date(value).toISOString();

const COLUMNS = 'subject, version, wrapped, created_at, erased_at';
// The first writer's row wins; the statement answers whichever row is there afterwards.
const CREATE: Statement = {
  name: 'es_create_data_key',
  text: `WITH created AS (
           INSERT INTO es_data_keys (subject, version, wrapped, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (subject) DO NOTHING RETURNING ${COLUMNS}
         )
         SELECT ${COLUMNS} FROM created UNION ALL SELECT ${COLUMNS} FROM es_data_keys WHERE subject = $1 AND NOT EXISTS (SELECT 1 FROM created)`,
};
const GET: Statement = { name: 'es_get_data_key', text: `SELECT ${COLUMNS} FROM es_data_keys WHERE subject = $1` };
// An upsert, so that an erasure of a subject that never had a key still leaves the tombstone; a repeat keeps the first time.
const DELETE: Statement = {
  name: 'es_delete_data_key',
  text: `INSERT INTO es_data_keys (subject, version, wrapped, created_at, erased_at) VALUES ($1, 0, NULL, $2, $2)
         ON CONFLICT (subject) DO UPDATE SET wrapped = NULL, erased_at = coalesce(es_data_keys.erased_at, EXCLUDED.erased_at)`,
};

const storedOf = (row: KeyRow): StoredDataKey =>
  row.wrapped === null || row.erased_at !== null
    ? { status: 'erased', subject: row.subject, erasedAt: iso(row.erased_at ?? row.created_at) }
    : { status: 'active', key: { subject: row.subject, version: Number(row.version), wrapped: row.wrapped, createdAt: iso(row.created_at) } };

/** Erasure overwrites the wrapped key in place; PostgreSQL's old row version is vacuumed away, and backups keep it for their retention. */
export class PostgresDataKeyStore implements DataKeyStore {
  constructor(private readonly db: SqlDriver) {}

  async create(key: WrappedDataKey): Promise<StoredDataKey> {
    for (;;) {
      const [row] = await this.db.query<KeyRow>(CREATE, [key.subject, key.version, key.wrapped, key.createdAt]);
      // A row committed after the statement's snapshot is invisible to it: ask again.
      if (row !== undefined) return storedOf(row);
    }
  }

  async get(subject: string): Promise<StoredDataKey | null> {
    const [row] = await this.db.query<KeyRow>(GET, [subject]);
    return row === undefined ? null : storedOf(row);
  }

  async delete(subject: string, erasedAt: string): Promise<void> {
    await this.db.query(DELETE, [subject, erasedAt]);
  }
}
