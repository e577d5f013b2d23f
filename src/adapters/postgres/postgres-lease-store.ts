import type { Lease, LeaseStore } from '../../application/ports/lease-store.js';
import { isoFromUtcText } from './event-rows.js';
import type { SqlDriver, Statement } from './sql-driver.js';

const LEASE_COLUMNS = `name, owner, fence, (expires_at AT TIME ZONE 'UTC')::text AS expires_at`;

/**
 * One statement decides: the primary key makes racing owners queue on the row, and each sees the
 * winner's row before its WHERE is checked, so two can never both take the lease. Expiry is judged on
 * the server's clock (clock_timestamp, not the transaction's start, which a wait on the row makes stale),
 * so instances with drifting clocks still agree.
 */
const ACQUIRE: Statement = {
  name: 'es_acquire_lease',
  text: `INSERT INTO es_leases AS l (name, owner, fence, expires_at) VALUES ($1, $2, 1, clock_timestamp() + $3::float8 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = clock_timestamp() + $3::float8 * interval '1 millisecond',
           fence = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > clock_timestamp() THEN l.fence ELSE l.fence + 1 END
           WHERE l.owner = EXCLUDED.owner OR l.expires_at <= clock_timestamp()
         RETURNING ${LEASE_COLUMNS}`,
};
const RELEASE: Statement = {
  name: 'es_release_lease',
  text: 'UPDATE es_leases SET expires_at = least(expires_at, clock_timestamp()) WHERE name = $1 AND owner = $2 AND fence = $3',
};
const HOLDER: Statement = { name: 'es_lease_holder', text: `SELECT ${LEASE_COLUMNS} FROM es_leases WHERE name = $1 AND expires_at > clock_timestamp()` };

interface LeaseRow {
  readonly name: string;
  readonly owner: string;
  readonly fence: unknown;
  readonly expires_at: string;
}

// bigint arrives as a string from pg and as a number from PGlite.
const toLease = (row: LeaseRow): Lease => ({ name: row.name, owner: row.owner, fence: Number(row.fence), expiresAt: isoFromUtcText(row.expires_at) });

/** Leases as rows of es_leases, on the database server's clock. */
export class PostgresLeaseStore implements LeaseStore {
  constructor(private readonly db: SqlDriver) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<Lease | null> {
    const [row] = await this.db.query<LeaseRow>(ACQUIRE, [name, owner, ttlMs]);
    return row === undefined ? null : toLease(row);
  }

  async release(lease: Lease): Promise<void> {
    await this.db.query(RELEASE, [lease.name, lease.owner, lease.fence]);
  }

  async holder(name: string): Promise<Lease | null> {
    const [row] = await this.db.query<LeaseRow>(HOLDER, [name]);
    return row === undefined ? null : toLease(row);
  }
}
