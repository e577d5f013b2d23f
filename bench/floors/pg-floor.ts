import { randomUUID } from 'node:crypto';
import { ok, type Result } from 'neverthrow';
import pg from 'pg';
import type { EventEnvelope, NewEvent } from '../../src/application/events/envelope.js';
import type { AppendError, AppendResult, EventStore } from '../../src/application/ports/event-store.js';

const TABLE = `
CREATE TABLE floor_events (
  stream_id text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  schema_version integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, version)
)`;

const PARAMS_PER_ROW = 8;

/**
 * What a client would do with no event store at all: one multi-row INSERT per append into a table keyed by
 * (stream, version), autocommit, on a `pg` pool as large as the store's; a read is one SELECT whose rows are
 * handed back as the driver decoded them. No expected-version logic, no global order, no envelope: the floor
 * the store's W1/W2/W3 are measured against.
 */
export class PgFloorStore implements EventStore {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async open(url: string): Promise<PgFloorStore> {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('error', () => undefined);
    await pool.query(TABLE);
    return new PgFloorStore(pool);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: number | 'no-stream' | 'any'): Promise<Result<AppendResult, AppendError>> {
    const base = typeof expected === 'number' ? expected : 0;
    const values: unknown[] = [];
    const rows = events.map((event, index) => {
      values.push(streamId, base + index + 1, randomUUID(), event.type, event.schemaVersion, JSON.stringify(event.data), JSON.stringify(event.metadata), event.occurredAt);
      const at = index * PARAMS_PER_ROW;
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}, $${at + 8})`;
    });
    await this.#pool.query(`INSERT INTO floor_events (stream_id, version, event_id, type, schema_version, data, metadata, occurred_at) VALUES ${rows.join(', ')}`, values);
    return ok({ streamId, nextVersion: base + events.length, lastPosition: null });
  }

  async readStream(streamId: string): Promise<EventEnvelope[]> {
    const read = await this.#pool.query({ name: 'floor_read', text: 'SELECT * FROM floor_events WHERE stream_id = $1 ORDER BY version', values: [streamId] });
    return read.rows as EventEnvelope[];
  }

  async readByType(): Promise<EventEnvelope[]> {
    throw new Error('the floor reads streams only');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
