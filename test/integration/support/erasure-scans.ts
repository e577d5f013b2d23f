import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListTablesCommand, paginateScan, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SqlDriver } from '../../../src/adapters/postgres/sql-driver.js';

/** Every row of every table of the schema, each cast to text: what a scan for plaintext reads. */
export const postgresText = async (db: SqlDriver): Promise<string> => {
  const tables = await db.query<{ name: string }>(
    "SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
    parts.push(`${name}:\n${rows.map((r) => r.row).join('\n')}`);
  }
  return parts.join('\n');
};

/** Every file under `folder`, read as bytes (latin1 keeps each byte one character, so UTF-8 text is found as it is written). */
export const folderText = async (folder: string): Promise<string> => {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const contents = await Promise.all(files.map((file) => readFile(file).then((bytes) => bytes.toString('latin1'))));
  return contents.join('\n');
};

/** Every item of every table whose name starts with `prefix`, as JSON. */
export const dynamoDbText = async (client: DynamoDBClient, prefix: string): Promise<string> => {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []).filter((name) => name.startsWith(prefix)));
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  const parts: string[] = [];
  for (const name of names) {
    for await (const page of paginateScan({ client }, { TableName: name, ConsistentRead: true })) parts.push(`${name}: ${JSON.stringify(page.Items ?? [])}`);
  }
  return parts.join('\n');
};
