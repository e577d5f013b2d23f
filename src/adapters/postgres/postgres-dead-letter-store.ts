import type { EventEnvelope } from '../../application/events/envelope.js';
import type { DeadLetter, DeadLetterCode, DeadLetterStore } from '../../application/ports/dead-letter-sink.js';
import type { SqlDriver, Statement } from './sql-driver.js';

const LETTER_COLUMNS = 'event_id, dead_lettered_at, code, message, bus_error_code, event';

// Columns travel as arrays, each event as its own json text: json functions would de-escape it (and refuse a \u0000).
const PUT: Statement = {
  name: 'es_put_dead_letters',
  text: `INSERT INTO es_dead_letters AS d (${LETTER_COLUMNS})
         SELECT l.event_id, l.dead_lettered_at, l.code, l.message, l.bus_error_code, l.event::json
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS l (event_id, dead_lettered_at, code, message, bus_error_code, event)
         ON CONFLICT (event_id) DO UPDATE SET dead_lettered_at = EXCLUDED.dead_lettered_at, code = EXCLUDED.code, message = EXCLUDED.message,
           bus_error_code = EXCLUDED.bus_error_code, event = EXCLUDED.event`,
};
/**
 * Keyset paging from the letter named by `after`. When that letter has gone meanwhile (replayed and
 * removed while paging), listing starts again from the oldest, as the memory store does.
 */
const LIST: Statement = {
  name: 'es_list_dead_letters',
  text: `WITH cursor AS (SELECT dead_lettered_at, event_id FROM es_dead_letters WHERE event_id = $2::text)
         SELECT ${LETTER_COLUMNS} FROM es_dead_letters AS d
         WHERE NOT EXISTS (SELECT FROM cursor) OR (d.dead_lettered_at, d.event_id) > (SELECT dead_lettered_at, event_id FROM cursor)
         ORDER BY d.dead_lettered_at, d.event_id LIMIT $1`,
};
const GET: Statement = { name: 'es_get_dead_letter', text: `SELECT ${LETTER_COLUMNS} FROM es_dead_letters WHERE event_id = $1` };
const REMOVE: Statement = { name: 'es_remove_dead_letter', text: 'DELETE FROM es_dead_letters WHERE event_id = $1 RETURNING 1 AS removed' };

interface LetterRow {
  readonly event_id: string;
  readonly dead_lettered_at: string;
  readonly code: DeadLetterCode;
  readonly message: string;
  readonly bus_error_code: string | null;
  readonly event: EventEnvelope;
}

const toLetter = (row: LetterRow): DeadLetter => ({
  event: row.event,
  code: row.code,
  message: row.message,
  busErrorCode: row.bus_error_code,
  deadLetteredAt: row.dead_lettered_at,
});

/** Dead letters as rows of es_dead_letters, one per event id. */
export class PostgresDeadLetterStore implements DeadLetterStore {
  constructor(private readonly db: SqlDriver) {}

  async put(letters: readonly DeadLetter[]): Promise<void> {
    // One statement may not update a row twice: the last letter of an event wins, as with puts one by one.
    const latest = [...new Map(letters.map((letter) => [letter.event.eventId, letter])).values()];
    if (latest.length === 0) return;
    await this.db.query(PUT, [
      latest.map((l) => l.event.eventId),
      latest.map((l) => l.deadLetteredAt),
      latest.map((l) => l.code),
      latest.map((l) => l.message),
      latest.map((l) => l.busErrorCode),
      latest.map((l) => JSON.stringify(l.event)),
    ]);
  }

  async list(limit: number, after?: string): Promise<DeadLetter[]> {
    return (await this.db.query<LetterRow>(LIST, [limit, after ?? null])).map(toLetter);
  }

  async get(eventId: string): Promise<DeadLetter | null> {
    const [row] = await this.db.query<LetterRow>(GET, [eventId]);
    return row === undefined ? null : toLetter(row);
  }

  async remove(eventId: string): Promise<boolean> {
    return (await this.db.query(REMOVE, [eventId])).length > 0;
  }
}
