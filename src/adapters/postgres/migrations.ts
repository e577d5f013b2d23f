import { SCHEMA_V1 } from './schema-v1.js';
import { SCHEMA_V3 } from './schema-v3.js';
import { SCHEMA_V5 } from './schema-v5.js';
import { SCHEMA_V6 } from './schema-v6.js';
import { SCHEMA_V7 } from './schema-v7.js';
import { SCHEMA_V8 } from './schema-v8.js';
import { SCHEMA_V9 } from './schema-v9.js';
import type { SqlDriver } from './sql-driver.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** In order; a migration, once released, is never edited: the next change is a new entry. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'event log, snapshots, checkpoints, idempotency keys, read models', sql: SCHEMA_V1 },
  {
    version: 2,
    name: 'idempotency claims carry an owner and a lease',
    // Claims from before leases have none: they count as run out, so a crashed holder frees its key.
    sql: 'ALTER TABLE es_idempotency_keys ADD COLUMN owner text, ADD COLUMN lease_until timestamptz',
  },
  { version: 3, name: 'leases, dead letters, applied versions per read-model generation, fenced checkpoints', sql: SCHEMA_V3 },
  {
    version: 4,
    name: 'event ids are minted by the store (UUIDv7), unique by construction: no unique index on them',
    // Nothing looks events up by id, so no plain index replaces it: one index fewer for every appended row.
    sql: 'ALTER TABLE es_events DROP CONSTRAINT es_events_event_id_key',
  },
  { version: 5, name: 'durable deadlines of workflows, claimed by pollers with FOR UPDATE SKIP LOCKED', sql: SCHEMA_V5 },
  { version: 6, name: 'the audit chain: appends store each event\'s previous hash and hash, and refuse a stale previous hash', sql: SCHEMA_V6 },
  {
    version: 7,
    name: 'idempotency keys complete in the same transaction as their events, only by their claim\'s owner, and expire',
    sql: SCHEMA_V7,
  },
  { version: 8, name: 'data keys of data subjects, wrapped by the master key; erasure leaves a tombstone (GDPR)', sql: SCHEMA_V8 },
  { version: 9, name: 'es_import: events carried over from another store with their ids, hashes and recorded_at (DR import, replica)', sql: SCHEMA_V9 },
];

/** Any constant works, as long as nothing else in the database takes the same advisory lock. */
const MIGRATION_LOCK = 7_240_519_001;

export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/**
 * Brings the schema up to date in one transaction. The advisory lock makes concurrent starters
 * wait for each other, so two processes starting at once apply each migration exactly once.
 * Returns the versions this call applied.
 */
export const migrate = (db: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> =>
  db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS es_schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>('SELECT version FROM es_schema_migrations ORDER BY version');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new SchemaTooNewError(`the database schema is at version ${newest}, newer than this build knows (${known}): upgrade the application`);
    }
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO es_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    return pending.map((m) => m.version);
  });
