import { canonicalInstant, deadlineOrder, holdUntil, type Deadline, type DeadlineScheduler, type DeadlineSummary } from '../../application/ports/deadline-scheduler.js';
import { isoFromUtcText } from './event-rows.js';
import type { SqlDriver, Statement } from './sql-driver.js';

const DEADLINE_COLUMNS = `id, workflow, key, (due_at AT TIME ZONE 'UTC')::text AS due_at, (since AT TIME ZONE 'UTC')::text AS since`;

// The primary key decides between racing schedulers: the first row stays, with its due time.
const SCHEDULE: Statement = {
  name: 'es_schedule_deadline',
  text: 'INSERT INTO es_deadlines (id, workflow, key, due_at, since) VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz) ON CONFLICT (id) DO NOTHING',
};
const REMOVE: Statement = { name: 'es_remove_deadline', text: 'DELETE FROM es_deadlines WHERE id = $1' };

/**
 * One statement, so one transaction: the rows are locked as they are picked, and SKIP LOCKED passes over rows
 * another poller has locked in its own claim right now instead of waiting for it. A row that poller already
 * committed carries its hold, which the WHERE rechecks on the locked row, so it is passed over too.
 * RETURNING gives no order: the caller sorts.
 */
const CLAIM_DUE: Statement = {
  name: 'es_claim_due_deadlines',
  text: `WITH due AS (
           SELECT id FROM es_deadlines
           WHERE due_at <= $1::timestamptz AND (held_until IS NULL OR held_until <= $1::timestamptz)
           ORDER BY due_at, id
           LIMIT $2
           FOR UPDATE SKIP LOCKED
         )
         UPDATE es_deadlines AS d SET held_by = $3, held_until = $4::timestamptz
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.workflow, d.key, (d.due_at AT TIME ZONE 'UTC')::text AS due_at, (d.since AT TIME ZONE 'UTC')::text AS since`,
};
const PENDING_FOR: Statement = {
  name: 'es_pending_deadlines',
  text: `SELECT ${DEADLINE_COLUMNS} FROM es_deadlines WHERE workflow = $1 AND key = $2 ORDER BY due_at, id`,
};
const OVERDUE: Statement = {
  name: 'es_overdue_deadlines',
  text: `SELECT ${DEADLINE_COLUMNS} FROM es_deadlines WHERE due_at < $1::timestamptz ORDER BY due_at, id LIMIT $2`,
};
// One pass over the workflow's rows, found through the (workflow, key) index; an aggregate always answers one row.
const SUMMARY: Statement = {
  name: 'es_deadline_summary',
  text: `SELECT count(*) AS pending, count(*) FILTER (WHERE due_at < $2::timestamptz) AS overdue, (min(since) AT TIME ZONE 'UTC')::text AS oldest_since
         FROM es_deadlines WHERE workflow = $1`,
};

interface DeadlineRow {
  readonly id: string;
  readonly workflow: string;
  readonly key: string;
  readonly due_at: string;
  readonly since: string | null;
}

interface SummaryRow {
  // bigint arrives as a string from pg and as a number from PGlite.
  readonly pending: string | number;
  readonly overdue: string | number;
  readonly oldest_since: string | null;
}

const toDeadline = (row: DeadlineRow): Deadline => ({
  id: row.id,
  workflow: row.workflow,
  key: row.key,
  dueAt: isoFromUtcText(row.due_at),
  ...(row.since === null ? {} : { since: isoFromUtcText(row.since) }),
});

/**
 * Deadlines as rows of es_deadlines, polled by every instance. Time is the caller's `now`, not the server's
 * clock. Driver failures reach the caller as SqlError, transient where the server is unavailable or a
 * statement lost a race.
 */
export class PostgresDeadlineScheduler implements DeadlineScheduler {
  constructor(private readonly db: SqlDriver) {}

  async schedule(deadline: Deadline): Promise<void> {
    const since = deadline.since === undefined ? null : canonicalInstant(deadline.since);
    await this.db.query(SCHEDULE, [deadline.id, deadline.workflow, deadline.key, canonicalInstant(deadline.dueAt), since]);
  }

  async cancel(id: string): Promise<void> {
    await this.db.query(REMOVE, [id]);
  }

  async claimDue(now: string, limit: number, owner: string, holdMs: number): Promise<readonly Deadline[]> {
    const at = canonicalInstant(now);
    const until = holdUntil(at, holdMs);
    if (limit <= 0) return [];
    const rows = await this.db.query<DeadlineRow>(CLAIM_DUE, [at, limit, owner, until]);
    return rows.map(toDeadline).sort(deadlineOrder);
  }

  async complete(id: string): Promise<void> {
    await this.db.query(REMOVE, [id]);
  }

  async pendingFor(workflow: string, key: string): Promise<readonly Deadline[]> {
    return (await this.db.query<DeadlineRow>(PENDING_FOR, [workflow, key])).map(toDeadline);
  }

  async overdue(now: string, limit: number): Promise<readonly Deadline[]> {
    if (limit <= 0) return [];
    return (await this.db.query<DeadlineRow>(OVERDUE, [canonicalInstant(now), limit])).map(toDeadline);
  }

  async summary(workflow: string, now: string): Promise<DeadlineSummary> {
    const [row] = await this.db.query<SummaryRow>(SUMMARY, [workflow, canonicalInstant(now)]);
    if (row === undefined) return { pending: 0, overdue: 0, oldestSince: null };
    return { pending: Number(row.pending), overdue: Number(row.overdue), oldestSince: row.oldest_since === null ? null : isoFromUtcText(row.oldest_since) };
  }
}
