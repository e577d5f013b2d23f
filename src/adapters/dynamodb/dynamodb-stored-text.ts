import { DescribeTableCommand, ListTablesCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StoredText, StoredTextSource } from '../../application/ports/stored-text.js';
import { jsonLeaves } from '../text/json-leaves.js';

/** Every string and number of an item, with its path; binary attributes (ciphertexts) are not text. */
type Leaf = { path: string; text: string; isNumber?: boolean };

/** Event data and metadata are stored as JSON text: walked field by field, so a finding names `Data.shippingAddress.line1`. */
const stringLeaves = (text: string, path: string): Leaf[] => {
  if (/^\s*[{[]/.test(text)) {
    try {
      JSON.parse(text);
      return jsonLeaves(text).map((leaf) => ({ ...leaf, path: leaf.path === '(a key)' ? `${path} (a key)` : `${path}.${leaf.path}`.replace('.(a key)', ' (a key)') }));
    } catch {
      // Not JSON after all: scanned as text.
    }
  }
  return [{ path, text }];
};

const leavesOf = (value: AttributeValue, path: string): Leaf[] => {
  if (value.S !== undefined) return stringLeaves(value.S, path);
  // Numbers travel as their exact decimal text: no digit of a 19-digit number is lost.
  if (value.N !== undefined) return /^-?\d+$/.test(value.N) ? [{ path, text: value.N, isNumber: true }] : [];
  if (value.SS !== undefined) return value.SS.map((text, i) => ({ path: `${path}[${i}]`, text }));
  if (value.NS !== undefined) return value.NS.map((text, i) => ({ path: `${path}[${i}]`, text, isNumber: true }));
  if (value.L !== undefined) return value.L.flatMap((item, i) => leavesOf(item, `${path}[${i}]`));
  if (value.M !== undefined) return itemLeaves(value.M, path);
  return [];
};

const itemLeaves = (item: Record<string, AttributeValue>, path: string): Leaf[] =>
  Object.entries(item).flatMap(([name, value]) => {
    const at = path === '' ? name : `${path}.${name}`;
    return [{ path: `${at} (a key)`, text: name }, ...leavesOf(value, at)];
  });

const keyText = (value: AttributeValue | undefined): string => value?.S ?? value?.N ?? (value?.B === undefined ? '' : '(binary)');

/**
 * Every table whose name starts with the environment's prefix, every item, every attribute, as text: whatever
 * tables provisioning creates, without a list to keep up to date. A Scan reads the whole table; run it off-peak.
 */
export class DynamoDbStoredText implements StoredTextSource {
  readonly description: string;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tablePrefix: string,
  ) {
    this.description = `DynamoDB (tables ${tablePrefix}*)`;
  }

  private async tableNames(): Promise<string[]> {
    const names: string[] = [];
    let after: string | undefined;
    do {
      const page = await this.client.send(new ListTablesCommand({ ...(after === undefined ? {} : { ExclusiveStartTableName: after }) }));
      names.push(...(page.TableNames ?? []).filter((name) => name.startsWith(this.tablePrefix)));
      after = page.LastEvaluatedTableName;
    } while (after !== undefined);
    return names.sort();
  }

  async *everything(onTable?: (name: string) => void): AsyncIterable<StoredText> {
    for (const table of await this.tableNames()) {
      onTable?.(table);
      const described = await this.client.send(new DescribeTableCommand({ TableName: table }));
      const key = (described.Table?.KeySchema ?? []).map((part) => part.AttributeName ?? '');
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.client.send(new ScanCommand({ TableName: table, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
        for (const item of page.Items ?? []) {
          const location = `${table} ${key.map((name) => `${name}=${keyText(item[name])}`).join(' ')}`;
          for (const leaf of itemLeaves(item, '')) yield { location, field: leaf.path, text: leaf.text, isNumber: leaf.isNumber ?? false };
        }
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
    }
  }
}
