import type { AppliedVersions, ReadModelKind } from '../../application/ports/read-models.js';
import type { SqlDriver, Statement } from './sql-driver.js';

// Streams travel as arrays: a batch of hundreds of streams is one statement, one round trip.
const GET_VERSIONS: Statement = {
  name: 'rm_get_applied_versions',
  // One index probe per stream, whatever the statistics say: `stream_id = ANY($3)` was planned as a filter over the
  // whole generation while a fresh generation's statistics still said it was empty (15 ms instead of 0.7 at 12,500 rows).
  text: `SELECT s.id AS stream_id, v.version FROM unnest($3::text[]) AS s (id)
         CROSS JOIN LATERAL (SELECT version FROM rm_applied_versions WHERE kind = $1 AND generation = $2 AND stream_id = s.id LIMIT 1) v`,
};
const SET_VERSIONS: Statement = {
  name: 'rm_set_applied_versions',
  text: `INSERT INTO rm_applied_versions (kind, generation, stream_id, version)
         SELECT $1, $2, s.stream_id, s.version FROM unnest($3::text[], $4::integer[]) AS s (stream_id, version)
         ON CONFLICT (kind, generation, stream_id) DO UPDATE SET version = EXCLUDED.version`,
};
export const DROP_VERSIONS: Statement = { name: 'rm_drop_applied_versions', text: 'DELETE FROM rm_applied_versions WHERE kind = $1 AND generation = $2' };

export class PostgresAppliedVersions implements AppliedVersions {
  constructor(
    private readonly db: SqlDriver,
    private readonly kind: ReadModelKind,
    private readonly generation: string,
  ) {}

  async get(streamIds: readonly string[]): Promise<Map<string, number>> {
    if (streamIds.length === 0) return new Map();
    const rows = await this.db.query<{ stream_id: string; version: number }>(GET_VERSIONS, [this.kind, this.generation, [...streamIds]]);
    return new Map(rows.map((row) => [row.stream_id, row.version]));
  }

  async set(versions: ReadonlyMap<string, number>): Promise<void> {
    if (versions.size === 0) return;
    await this.db.query(SET_VERSIONS, [this.kind, this.generation, [...versions.keys()], [...versions.values()]]);
  }
}
