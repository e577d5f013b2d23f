import { FencedOffError, type CheckpointStore } from '../../application/ports/checkpoint-store.js';
import type { IdempotencyCompletion } from '../../application/ports/event-store.js';
import type { Claim, ClaimLease, IdempotencyStore } from '../../application/ports/idempotency-store.js';
import type { SnapshotStore, StoredSnapshot } from '../../application/ports/snapshot-store.js';
import type { SqlDriver, Statement } from './sql-driver.js';

const SAVE_SNAPSHOT: Statement = {
  name: 'es_save_snapshot',
  text: `INSERT INTO es_snapshots (stream_id, version, aggregate_type, aggregate_id, state_schema_version, state, created_at, last_modified_at, taken_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)
         ON CONFLICT (stream_id, version) DO UPDATE SET aggregate_type = EXCLUDED.aggregate_type, aggregate_id = EXCLUDED.aggregate_id,
           state_schema_version = EXCLUDED.state_schema_version, state = EXCLUDED.state, created_at = EXCLUDED.created_at,
           last_modified_at = EXCLUDED.last_modified_at, taken_at = EXCLUDED.taken_at`,
};
const LATEST_SNAPSHOT: Statement = {
  name: 'es_latest_snapshot',
  text: `SELECT stream_id, version, aggregate_type, aggregate_id, state_schema_version, state, created_at, last_modified_at, taken_at
         FROM es_snapshots WHERE stream_id = $1 AND version <= $2 ORDER BY version DESC LIMIT 1`,
};

interface SnapshotRow {
  readonly stream_id: string;
  readonly version: number;
  readonly aggregate_type: string;
  readonly aggregate_id: string;
  readonly state_schema_version: number;
  readonly state: unknown;
  readonly created_at: string | null;
  readonly last_modified_at: string | null;
  readonly taken_at: string;
}

/** Every snapshot is kept: temporal loads need the newest one at or below a past version. */
export class PostgresSnapshotStore implements SnapshotStore {
  constructor(private readonly db: SqlDriver) {}

  async save(snapshot: StoredSnapshot): Promise<void> {
    await this.db.query(SAVE_SNAPSHOT, [
      snapshot.streamId,
      snapshot.version,
      snapshot.aggregateType,
      snapshot.aggregateId,
      snapshot.stateSchemaVersion,
      JSON.stringify(snapshot.state),
      snapshot.createdAt,
      snapshot.lastModifiedAt,
      snapshot.takenAt,
    ]);
  }

  async latest(streamId: string, maxVersion = 2_147_483_647): Promise<StoredSnapshot | null> {
    const [row] = await this.db.query<SnapshotRow>(LATEST_SNAPSHOT, [streamId, Math.min(maxVersion, 2_147_483_647)]);
    if (row === undefined) return null;
    return {
      streamId: row.stream_id,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      version: row.version,
      stateSchemaVersion: row.state_schema_version,
      state: row.state,
      createdAt: row.created_at,
      lastModifiedAt: row.last_modified_at,
      takenAt: row.taken_at,
    };
  }
}

const LOAD_CHECKPOINT: Statement = { name: 'es_load_checkpoint', text: 'SELECT position FROM es_checkpoints WHERE subscriber = $1' };
// One statement, so a newer lease's save can never slip between the fence check and the write; no row back means fenced off.
const SAVE_CHECKPOINT: Statement = {
  name: 'es_save_checkpoint',
  text: `INSERT INTO es_checkpoints AS c (subscriber, position, fence) VALUES ($1, $2, coalesce($3::bigint, 0))
         ON CONFLICT (subscriber) DO UPDATE SET position = EXCLUDED.position, saved_at = now(), fence = coalesce($3::bigint, c.fence)
           WHERE $3::bigint IS NULL OR c.fence <= $3::bigint
         RETURNING 1 AS saved`,
};
const REMOVE_CHECKPOINT: Statement = { name: 'es_remove_checkpoint', text: 'DELETE FROM es_checkpoints WHERE subscriber = $1' };

export class PostgresCheckpointStore implements CheckpointStore {
  constructor(private readonly db: SqlDriver) {}

  async load(subscriber: string): Promise<string | null> {
    const [row] = await this.db.query<{ position: string }>(LOAD_CHECKPOINT, [subscriber]);
    return row?.position ?? null;
  }

  async save(subscriber: string, position: string, fence?: number): Promise<void> {
    const saved = await this.db.query(SAVE_CHECKPOINT, [subscriber, position, fence ?? null]);
    if (saved.length === 0) throw new FencedOffError(`checkpoint ${subscriber} was saved under a lease newer than ${String(fence)}: this holder lost its lease`);
  }

  async remove(subscriber: string): Promise<void> {
    await this.db.query(REMOVE_CHECKPOINT, [subscriber]);
  }
}

/**
 * Claims in one statement: the primary key decides between racing claimants, in this process or
 * another. When the key exists, the same statement reports its state; a row committed after the
 * statement's snapshot is invisible to it, so that one case asks again.
 */
// Takes a new or expired key, a key whose holder's lease ran out, or a key this owner already holds (a re-sent claim).
const CLAIM: Statement = {
  name: 'es_claim_key',
  text: `WITH claimed AS (
           INSERT INTO es_idempotency_keys AS k (key, owner, lease_until, expires_at) VALUES ($1, $2, $3, $5)
           ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, expires_at = EXCLUDED.expires_at,
               claimed_at = now(), fingerprint = NULL, outcome = NULL
             WHERE k.expires_at <= $4 OR (k.fingerprint IS NULL AND (k.owner = EXCLUDED.owner OR k.lease_until IS NULL OR k.lease_until < $4))
           RETURNING key
         )
         SELECT true AS claimed, NULL AS fingerprint, NULL::jsonb AS outcome FROM claimed
         UNION ALL
         SELECT false, k.fingerprint, k.outcome FROM es_idempotency_keys AS k WHERE k.key = $1 AND k.expires_at > $4 AND NOT EXISTS (SELECT 1 FROM claimed)`,
};
// Outcomes with events are completed by es_append_completing, in the events' transaction; this is for refusals.
const COMPLETE: Statement = {
  name: 'es_complete_key',
  text: 'UPDATE es_idempotency_keys SET fingerprint = $3, outcome = $4::jsonb, expires_at = $5 WHERE key = $1 AND owner = $2 RETURNING 1 AS completed',
};
const RELEASE: Statement = { name: 'es_release_key', text: 'DELETE FROM es_idempotency_keys WHERE key = $1 AND owner = $2 AND fingerprint IS NULL' };
// Bounded, oldest first; the outer test re-checks each row, so a key claimed again meanwhile is kept.
const REMOVE_EXPIRED: Statement = {
  name: 'es_remove_expired_keys',
  text: `DELETE FROM es_idempotency_keys WHERE key IN (SELECT key FROM es_idempotency_keys WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2) AND expires_at <= $1
         RETURNING 1 AS removed`,
};
const RELEASE_EVERY_CLAIM: Statement = { name: 'es_release_every_claim', text: 'DELETE FROM es_idempotency_keys WHERE fingerprint IS NULL' };

const CLAIM_ATTEMPTS = 10;
/** How often claims also remove expired records, and how many at most each time. */
const SWEEP_EVERY_MS = 60_000;
const SWEEP_LIMIT = 1_000;

export class PostgresIdempotencyStore implements IdempotencyStore {
  #nextSweep = 0;

  constructor(private readonly db: SqlDriver) {}

  async claim(key: string, lease: ClaimLease): Promise<Claim> {
    this.#sweepNowAndThen(lease.now);
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      const [row] = await this.db.query<{ claimed: boolean; fingerprint: string | null; outcome: unknown }>(CLAIM, [key, lease.owner, lease.until, lease.now, lease.expiresAt]);
      if (row === undefined) continue;
      if (row.claimed) return { status: 'claimed' };
      return row.fingerprint === null ? { status: 'in-progress' } : { status: 'completed', stored: { fingerprint: row.fingerprint, outcome: row.outcome } };
    }
    throw new Error(`idempotency key ${key} kept changing under ${CLAIM_ATTEMPTS} claims in a row`);
  }

  async complete(completion: IdempotencyCompletion): Promise<boolean> {
    const { key, owner, fingerprint, outcome, expiresAt } = completion;
    const rows = await this.db.query(COMPLETE, [key, owner, fingerprint, JSON.stringify(outcome), expiresAt]);
    return rows.length > 0;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.db.query(RELEASE, [key, owner]);
  }

  /** Removes up to `limit` records expired at `now`, oldest first; how many it removed. */
  async removeExpired(now: string, limit = SWEEP_LIMIT): Promise<number> {
    return (await this.db.query(REMOVE_EXPIRED, [now, limit])).length;
  }

  /**
   * Gives back every claim in progress. Only for a store no other process can reach (PGlite in a data folder this
   * process has locked): every claim in it belongs to a run that died with its process, so a retry need not wait
   * out the lease. Completed keys are kept.
   */
  async releaseEveryClaim(): Promise<void> {
    await this.db.query(RELEASE_EVERY_CLAIM);
  }

  #sweepNowAndThen(now: string): void {
    const at = Date.parse(now);
    if (at < this.#nextSweep) return;
    this.#nextSweep = at + SWEEP_EVERY_MS;
    // Off the claim's path: a failed sweep only leaves expired records for the next one.
    void this.removeExpired(now).catch(() => undefined);
  }
}
