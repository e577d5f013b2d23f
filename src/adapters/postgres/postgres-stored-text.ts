import type { StoredText, StoredTextSource } from '../../application/ports/stored-text.js';
import { jsonLeaves } from '../text/json-leaves.js';
import type { SqlDriver } from './sql-driver.js';

const PAGE = 500;

const quoted = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

interface TableShape {
  readonly name: string;
  /** The primary key's columns in order; empty when the table has none (then it is paged by ctid). */
  readonly key: readonly string[];
  /** Binary columns: ciphertexts are not text. */
  readonly binary: readonly string[];
  /** Columns that say which stream a row belongs to, named in each location besides the key. */
  readonly context: readonly string[];
}

const CONTEXT_COLUMNS = ['stream_id', 'version', 'aggregate_type', 'aggregate_id'];

/**
 * Every table of the schema the adapters use, every row, every column, as text: whatever tables the migrations
 * create (the event log, snapshots, read models, dead letters, idempotency keys, deadlines, data keys...), without
 * a list to keep up to date. Each row is read as JSON, so nested documents (event data, metadata) are walked field by field.
 */
export class PostgresStoredText implements StoredTextSource {
  constructor(
    private readonly db: SqlDriver,
    readonly description = 'PostgreSQL',
  ) {}

  private async tables(): Promise<TableShape[]> {
    const tables = await this.db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    const shapes: TableShape[] = [];
    for (const { name } of tables) {
      const key = await this.db.query<{ column: string }>(
        `SELECT a.attname AS column FROM pg_index AS i JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
        [quoted(name)],
      );
      const columns = await this.db.query<{ column: string; type: string }>(
        'SELECT column_name AS column, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
        [name],
      );
      const keyColumns = key.map((row) => row.column);
      shapes.push({
        name,
        key: keyColumns,
        binary: columns.filter((column) => column.type === 'bytea').map((column) => column.column),
        context: CONTEXT_COLUMNS.filter((column) => !keyColumns.includes(column) && columns.some((c) => c.column === column)),
      });
    }
    return shapes;
  }

  async *everything(onTable?: (name: string) => void): AsyncIterable<StoredText> {
    for (const table of await this.tables()) {
      onTable?.(table.name);
      yield* this.rowsOf(table);
    }
  }

  private async *rowsOf({ name, key, binary, context }: TableShape): AsyncIterable<StoredText> {
    const keyed = key.length > 0;
    const order = keyed ? key.map(quoted).join(', ') : 'ctid';
    const named = [...(keyed ? key : ['ctid']), ...context];
    const keyColumns = named.map((column) => `t.${column === 'ctid' ? column : quoted(column)}::text AS ${quoted(`k_${column}`)}`).join(', ');
    let after: readonly string[] | null = null;
    for (;;) {
      const params: unknown[] = [binary];
      let where = '';
      if (after !== null) {
        params.push(...after);
        const placeholders = after.map((_, i) => `$${i + 2}`);
        where = keyed ? `WHERE (${key.map((column) => `t.${quoted(column)}`).join(', ')}) > (${placeholders.join(', ')})` : `WHERE t.ctid > $2::tid`;
      }
      const rows = await this.db.query<Record<string, string>>(
        `SELECT (to_jsonb(t) - $1::text[])::text AS "row", ${keyColumns} FROM ${quoted(name)} AS t ${where} ORDER BY ${order} LIMIT ${PAGE}`,
        params,
      );
      for (const row of rows) {
        const keyValues = keyed ? key.map((column) => row[`k_${column}`] ?? '') : [row.k_ctid ?? ''];
        const location = `${name} ${named.map((column) => `${column}=${row[`k_${column}`] ?? ''}`).join(' ')}`;
        // Top-level keys are column names: the schema's words, not stored data.
        for (const leaf of jsonLeaves(row.row ?? 'null').filter((one) => one.path !== '(a key)')) yield { location, field: leaf.path, text: leaf.text, isNumber: leaf.isNumber ?? false };
        after = keyValues;
      }
      if (rows.length < PAGE) return;
    }
  }
}
